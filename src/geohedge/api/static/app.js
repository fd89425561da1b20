// geohedge dashboard: vanilla JS, no dependencies, talks only to this server's /api.
"use strict";

const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
const MEASURES = {
  "trade": [["export_share", "Share of exports"], ["import_share", "Share of imports"]],
  "raw": [["import_share", "Share of raw-material imports"], ["export_share", "Share of raw-material exports"]],
  "value-added": [["share_of_gdp", "Share of GDP absorbed by the partner's final demand"],
                  ["share_of_exports", "Partner's value added in exports"]],
};
const PINNED = ["USA", "CHN", "RUS", "JPN", "TUR"];
const state = { map: null, names: {}, icio: new Set(), scenarios: {}, exposure: null, base: null, shocks: [], token: 0, ctoken: 0 };

class ApiError extends Error {}

async function api(path, options) {
  const res = await fetch(path, options);
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!res.ok) throw new ApiError((body && body.error) || `${res.status} ${res.statusText}`);
  return body;
}

// Errors go beside the control that caused them; the banner is for loading the page.
function showError(err) {
  const box = $("error");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = "error: " + (err.message || String(err));
}

function fieldError(id, err) {
  const box = $(id);
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = "error: " + (err.message || String(err));
}

function el(tag, attrs, text) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// --- formatting: the same rules as geohedge.labels (percentages, money, indices) ----------

function decimals(x, least, most = 4) {
  if (x === 0 || !Number.isFinite(x)) return least;
  return Math.max(least, Math.min(most, 1 - Math.floor(Math.log10(Math.abs(x)))));
}

function grouped(x, d) {
  return x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
}

function fmt(lab, v) {
  if (v === null || v === undefined || (typeof v === "number" && Number.isNaN(v))) return "";
  if (typeof v !== "number" || !lab || lab.kind === "text") return String(v);
  const sign = (text) => ((lab.signed && v > 0 && !text.startsWith("+")) ? "+" + text : text);
  const d0 = lab.digits;
  switch (lab.kind) {
    case "share": case "change": {
      const pct = 100 * v, d = d0 ?? decimals(pct, 1);
      if (Number(pct.toFixed(d)) === 0) return (0).toFixed(d) + "%";
      const text = grouped(pct, d) + "%";
      return (lab.signed || lab.kind === "change") && v > 0 ? "+" + text : text;
    }
    case "usd": case "usd_mn": {
      const mn = lab.kind === "usd" ? v / 1e6 : v;
      const d = d0 ?? ((Math.abs(mn) >= 10 || mn === 0) ? 0 : decimals(mn, 0, 2));
      return sign(grouped(mn, d));
    }
    case "pp": return (v > 0 ? "+" : "") + grouped(v, d0 ?? decimals(v, 1, 3));
    case "tonnes": case "count": return sign(grouped(v, 0));
    case "hhi": return sign(v.toFixed(d0 ?? 3));
    case "intensity": return sign(grouped(v, d0 ?? 1));
    case "index": return sign(grouped(v, d0 ?? 2));
    default: return sign(Math.abs(v) < 1000 ? String(Number(v.toPrecision(3))) : grouped(v, 0));
  }
}

const SHARE = { kind: "share", signed: false, digits: null };
const pct = (v) => fmt(SHARE, v);

function labelsOf(tab) {
  const out = {};
  for (const l of tab.labels || []) out[l.name] = l;
  return out;
}

// A table from an API table: human headers, cells formatted by their column's label.
function fillTable(t, tab, cols, opts = {}) {
  const labs = labelsOf(tab);
  const shown = cols || tab.columns;
  t.tHead.replaceChildren(el("tr"));
  for (const c of shown) {
    const lab = labs[c];
    const num = lab && lab.kind !== "text";
    t.tHead.rows[0].append(el("th", { class: num ? "num" : "", "data-column": c }, lab ? lab.header : c));
  }
  const rows = opts.rows || tab.rows;
  t.tBodies[0].replaceChildren(...rows.map((r) => {
    const tr = el("tr", { class: opts.pinned && opts.pinned(r) ? "pinned" : "" });
    for (const c of shown) {
      const lab = labs[c];
      const num = lab && lab.kind !== "text";
      const text = opts.cell ? opts.cell(c, r, lab) : fmt(lab, r[c]);
      tr.append(el("td", { class: num ? "num" : (opts.wrap && opts.wrap.includes(c) ? "wrap" : "") }, text));
    }
    if (opts.onclick) { tr.style.cursor = "pointer"; tr.addEventListener("click", () => opts.onclick(r, tr)); }
    return tr;
  }));
}

// Sequential colour from light to dark blue; square-root scale so small shares still show.
function colour(t) {
  const a = [232, 241, 248], b = [11, 61, 107];
  const s = Math.sqrt(Math.max(0, Math.min(1, t)));
  const c = a.map((x, i) => Math.round(x + (b[i] - x) * s));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// --- set-up ---------------------------------------------------------------------------

async function init() {
  try {
    const [countries, map, scenarios] = await Promise.all([api("/api/countries"), api("/api/map"), api("/api/scenarios")]);
    for (const c of countries) { state.names[c.iso3] = c.name; if (c.icio) state.icio.add(c.iso3); }
    const select = $("country");
    for (const c of countries.filter((c) => c.icio).sort((a, b) => a.name.localeCompare(b.name))) {
      select.append(el("option", { value: c.iso3 }, `${c.name} (${c.iso3})`));
    }
    $("country-names").replaceChildren(...countries.map((c) => el("option", { value: c.iso3 }, c.name)));
    if (!state.icio.size) {
      throw new Error("no input-output table in the store, so no country to show; run 'geohedge data build' and restart 'geohedge serve'");
    }
    const wanted = new URLSearchParams(location.search).get("country") || "MYS";
    if (state.icio.has(wanted)) select.value = wanted;
    drawMap(map);
    const sc = $("scenario-select");
    for (const s of scenarios) { state.scenarios[s.name] = s; sc.append(el("option", { value: s.name }, s.name)); }
    if (state.scenarios["mys-tur-agreement"]) sc.value = "mys-tur-agreement";
    pickScenario();
    fillMeasures();
    select.addEventListener("change", () => refresh(true));
    $("channel").addEventListener("change", () => { fillMeasures(); $("year").replaceChildren(); refresh(false); });
    $("year").addEventListener("change", () => refresh(false));
    $("blocs").addEventListener("change", () => refresh(false));
    $("measure").addEventListener("change", colourMap);
    sc.addEventListener("change", pickScenario);
    $("scenario-form").addEventListener("submit", runScenario);
    $("compare-form").addEventListener("submit", (e) => { e.preventDefault(); compare(); });
    $("add-shock").addEventListener("click", () => { state.shocks.push({ type: "tariff", importers: ["USA"], exporters: [$("country").value], sectors: ["all"], value: 10, both_ways: false }); renderShocks(); syncSpec(); });
    for (const id of ["sc-name", "sc-title", "sc-elasticities"]) $(id).addEventListener("input", syncSpec);
    $("scenario-spec").addEventListener("input", specEdited);
    await refresh(true);
    document.body.dataset.ready = "1";
  } catch (err) {
    showError(err);
  }
}

function fillMeasures() {
  const m = $("measure");
  m.replaceChildren(...MEASURES[$("channel").value].map(([v, label]) => el("option", { value: v }, label)));
}

function drawMap(map) {
  const svg = $("map");
  svg.setAttribute("viewBox", `0 0 ${map.width} ${map.height}`);
  state.map = [];
  for (const s of map.shapes) {
    const p = el("svg:path", { d: s.d, class: "nodata", "data-iso3": s.iso3 || "" });
    p.append(el("svg:title", {}, s.name));
    if (s.iso3 && state.icio.has(s.iso3)) {
      p.addEventListener("click", () => { $("country").value = s.iso3; refresh(true); });
    }
    svg.append(p);
    state.map.push({ shape: s, path: p });
  }
}

// --- a country switch clears what belonged to the previous country -------------------------

function clearCountryResults() {
  $("scenario-results").hidden = true;
  $("scenario-status").textContent = "";
  fieldError("scenario-error", null);
  $("events").tHead.replaceChildren();
  $("events").tBodies[0].replaceChildren();
  $("events-title").textContent = "Click a month to see the events behind it";
  $("compare-table").tHead.replaceChildren();
  $("compare-table").tBodies[0].replaceChildren();
  $("compare-notes").replaceChildren();
  fieldError("compare-error", null);
  delete document.body.dataset.scenario;
  delete document.body.dataset.compare;
  delete document.body.dataset.alignment;
  delete document.body.dataset.relations;
  delete document.body.dataset.ideal;
}

// --- exposure -------------------------------------------------------------------------

async function refresh(countryChanged) {
  const iso3 = $("country").value;
  const token = ++state.token;
  if (countryChanged) { clearCountryResults(); state.ctoken = token; }
  showError(null);
  fieldError("blocs-error", null);
  $("loading").textContent = "loading…";
  $("brief-link").href = `/api/brief/${encodeURIComponent(iso3)}`;
  $("brief-pdf-link").href = `/api/brief/${encodeURIComponent(iso3)}?format=pdf`;
  if (countryChanged) {
    // these panels belong to the country, not to the channel, year or blocs: a later
    // refresh for the same country must not discard them (state.ctoken)
    ranking(iso3, token);
    alignment(iso3, token);
    relations(iso3, token);
    if ($("compare").value.trim()) compare();
  }
  const channel = $("channel").value;
  const q = new URLSearchParams({ channel: channel === "raw" ? "trade" : channel });
  if (channel === "raw") q.set("dataset", "baci_raw");
  if ($("year").value) q.set("year", $("year").value);
  const blocs = $("blocs").value.trim();
  if (blocs) q.set("blocs", blocs);
  try {
    let byBloc;
    try {
      byBloc = await api(`/api/exposure/${encodeURIComponent(iso3)}?${q}&by=bloc`);
    } catch (err) {
      if (blocs && err instanceof ApiError && /bloc/.test(err.message)) { fieldError("blocs-error", err); return; }
      throw err;
    }
    q.delete("blocs");
    const byPartner = await api(`/api/exposure/${encodeURIComponent(iso3)}?${q}&by=partner`);
    if (token !== state.token) return;  // the user moved on
    state.exposure = byPartner;
    fillYears(byPartner);
    if (!blocs) $("blocs").placeholder = byBloc.blocs.join(",");
    $("map-title").textContent = `${byPartner.name}: ${$("channel").selectedOptions[0].textContent} by partner, ${byPartner.year}`;
    $("caption").textContent = byPartner.caption;
    $("notes").replaceChildren(...byPartner.notes.map((n) => el("li", {}, n)));
    $("summary").replaceChildren(...[...byPartner.summary, ...byBloc.summary.filter((s) => !byPartner.summary.includes(s))].map((n) => el("li", {}, n)));
    colourMap();
    barChart($("bloc-chart"), byBloc.rows.map((r) => ({ label: r.bloc, value: r[measure()] })), "bloc");
    partnerTable(byPartner);
    document.body.dataset.country = iso3;
  } catch (err) {
    showError(err);
  } finally {
    if (token === state.token) $("loading").textContent = "";
  }
}

function fillYears(view) {
  const y = $("year");
  const years = view.years || [];
  if (y.options.length === years.length && [...y.options].every((o, i) => Number(o.value) === years[i])) { y.value = String(view.year); return; }
  y.replaceChildren(...[...years].reverse().map((v) => el("option", { value: String(v) }, String(v))));
  y.value = String(view.year);
  y.disabled = years.length <= 1;
}

const measure = () => $("measure").value;

function topPartners(view) {
  const m = measure();
  return view.rows.filter((r) => r[m] !== null).sort((a, b) => b[m] - a[m]).slice(0, 12)
    .map((r) => ({ label: r.partner, value: r[m] }));
}

function colourMap() {
  const view = state.exposure;
  if (!view || !state.map) return;
  const m = measure();
  const values = {};
  for (const r of view.rows) if (r.partner && r[m] !== null && r[m] !== undefined) values[r.partner] = r[m];
  const max = Math.max(...Object.values(values), 1e-9);
  for (const { shape, path } of state.map) {
    const v = values[shape.iso3];
    path.setAttribute("class", shape.iso3 === view.country ? "focus" : (v === undefined ? "nodata" : ""));
    path.style.fill = v === undefined ? "" : colour(v / max);
    path.firstChild.textContent = `${shape.name}${v === undefined ? "" : ": " + pct(v)}`;
  }
  $("legend").replaceChildren(el("span", {}, "0%"), el("span", { class: "ramp" }), el("span", {}, pct(max)),
    el("span", {}, `${MEASURES[$("channel").value].find(([k]) => k === m)[1]}; grey: no data or not a separate region`));
  barChart($("partner-chart"), topPartners(view), "partner");
}

function barChart(svg, items, kind) {
  svg.replaceChildren();
  const W = 460, H = 300, left = 70, right = 56, top = 8;
  const n = Math.max(items.length, 1), bh = (H - top - 8) / n;
  const max = Math.max(...items.map((d) => Math.abs(d.value || 0)), 1e-9);
  svg.append(el("svg:line", { x1: left, x2: left, y1: top, y2: H - 8, class: "axis" }));
  items.forEach((d, i) => {
    const w = (W - left - right) * Math.abs(d.value || 0) / max;
    const y = top + i * bh;
    svg.append(el("svg:text", { x: left - 6, y: y + bh * 0.65, "text-anchor": "end" }, d.label));
    const bar = el("svg:rect", { x: left, y: y + bh * 0.15, width: Math.max(w, 0.5), height: bh * 0.7, fill: PINNED.includes(d.label) ? "#D55E00" : "#0072B2", "data-kind": kind });
    bar.append(el("svg:title", {}, `${d.label}: ${pct(d.value)}`));
    svg.append(bar);
    svg.append(el("svg:text", { x: left + w + 4, y: y + bh * 0.65 }, pct(d.value)));
  });
}

function partnerTable(view) {
  const m = measure();
  const rows = [...view.rows].sort((a, b) => (b[m] ?? -1) - (a[m] ?? -1)).slice(0, 40);
  fillTable($("partners"), view, view.columns.filter((c) => c !== "year"), { rows, pinned: (r) => PINNED.includes(r.partner) });
}

async function ranking(iso3, token) {
  const t = $("ranking");
  $("ranking-summary").textContent = "scoring partners…";
  t.tHead.replaceChildren();
  t.tBodies[0].replaceChildren();
  try {
    const out = await api(`/api/partners/${encodeURIComponent(iso3)}?top=10`);
    if (token !== state.ctoken) return;
    $("ranking-summary").textContent = `${out.summary}`;
    const cols = ["rank", "partner", "name", "score_pp", "rank_p10", "rank_p90", "trade_share", "va_exposure_reduction_pp", "shift_pp", "quality", "flags"];
    fillTable(t, out, cols, { pinned: (r) => PINNED.includes(r.partner), wrap: ["flags"] });
  } catch (err) {
    $("ranking-summary").textContent = "partner ranking unavailable: " + err.message;
  }
}

// --- line charts (alignment, ideal points) ----------------------------------------------

function lineChart(svg, xs, series, opts) {
  svg.replaceChildren();
  const W = 460, H = 260, left = 40, right = opts.right ? 40 : 12, top = 10, bottom = 58;
  const all = series.flatMap((s) => s.values.filter((v) => v !== null && !s.right));
  const lo = opts.ylim ? opts.ylim[0] : Math.min(...all), hi = opts.ylim ? opts.ylim[1] : Math.max(...all);
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const X = (x) => left + (W - left - right) * (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0));
  const Y = (y, r) => {
    const [a, b] = r ? opts.right : [lo, hi];
    return top + (H - top - bottom) * (1 - (y - a) / ((b - a) || 1));
  };
  svg.append(el("svg:line", { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: "axis" }),
             el("svg:line", { x1: left, x2: left, y1: top, y2: H - bottom, class: "axis" }));
  for (const t of [lo, (lo + hi) / 2, hi]) svg.append(el("svg:text", { x: left - 4, y: Y(t) + 4, "text-anchor": "end" }, opts.yfmt(t)));
  if (opts.right) for (const t of opts.right) svg.append(el("svg:text", { x: W - right + 4, y: Y(t, true) + 4 }, String(t)));
  for (const t of [x0, Math.round((x0 + x1) / 2), x1]) svg.append(el("svg:text", { x: X(t), y: H - bottom + 14, "text-anchor": "middle" }, String(t)));
  series.forEach((s, k) => {
    let d = "";
    s.values.forEach((v, i) => { if (v === null || v === undefined) return; d += `${d ? "L" : "M"}${X(xs[i]).toFixed(1)},${Y(v, s.right).toFixed(1)}`; });
    svg.append(el("svg:path", { d, fill: "none", stroke: PALETTE[k % PALETTE.length], "stroke-width": 1.8, "stroke-dasharray": s.right ? "4 3" : "", "data-series": s.name }));
    const lx = left + 4 + (k % 3) * 140, ly = H - 8 - Math.floor(k / 3) * 13;
    svg.append(el("svg:rect", { x: lx, y: ly - 8, width: 10, height: 3, fill: PALETTE[k % PALETTE.length] }), el("svg:text", { x: lx + 14, y: ly - 4 }, s.name));
  });
}

async function alignment(iso3, token) {
  $("alignment-summary").textContent = "loading…";
  $("alignment-chart").replaceChildren();
  $("ideal-chart").replaceChildren();
  try {
    const out = await api(`/api/alignment/${encodeURIComponent(iso3)}?since=1990`);
    if (token !== state.ctoken) return;
    const rows = out.rows;
    const xs = rows.map((r) => r.year);
    const series = out.powers.map((p) => ({ name: `agreement with ${p}`, values: rows.map((r) => r[`agree_${p}`] === null ? null : 100 * r[`agree_${p}`]) }));
    series.push({ name: "equidistance (right, 0-1)", values: rows.map((r) => r.equidistance), right: true });
    lineChart($("alignment-chart"), xs, series, { ylim: [0, 100], right: [0, 1], yfmt: (t) => `${Math.round(t)}%` });
    const labs = labelsOf(out);
    const last = rows[rows.length - 1];
    $("alignment-summary").textContent = `${last.year}: ` + out.powers.map((p) => `${p} ${fmt(labs[`agree_${p}`], last[`agree_${p}`])}`).join(", ")
      + `; equidistance ${fmt(labs.equidistance, last.equidistance)} (0-1). ${out.caption}`;
    document.body.dataset.alignment = iso3;
  } catch (err) {
    $("alignment-summary").textContent = "alignment unavailable: " + err.message;
    $("ideal-caption").textContent = "";
    return;
  }
  $("ideal-caption").textContent = "estimating ideal points (about a quarter of a minute the first time)…";
  try {
    const ip = await api(`/api/alignment/${encodeURIComponent(iso3)}/ideal`);
    if (token !== state.ctoken) return;
    const sessions = [...new Set(ip.rows.map((r) => r.session))].sort((a, b) => a - b);
    const codes = [ip.country, ...ip.powers];
    const series = codes.map((c) => {
      const by = Object.fromEntries(ip.rows.filter((r) => r.country === c).map((r) => [r.session, r.ideal_point]));
      return { name: c, values: sessions.map((s) => by[s] ?? null) };
    });
    lineChart($("ideal-chart"), sessions, series, { yfmt: (t) => t.toFixed(1) });
    $("ideal-caption").textContent = `x: UN General Assembly session; ${ip.caption}`;
    document.body.dataset.ideal = iso3;
  } catch (err) {
    $("ideal-caption").textContent = "ideal points unavailable: " + err.message;
  }
}

// --- relations ------------------------------------------------------------------------

async function relations(iso3, token) {
  const svg = $("relations-chart");
  svg.replaceChildren();
  $("relations-caption").textContent = "loading…";
  $("relations-partners").tHead.replaceChildren();
  $("relations-partners").tBodies[0].replaceChildren();
  try {
    const out = await api(`/api/relations/${encodeURIComponent(iso3)}`);
    if (token !== state.ctoken) return;
    if (out.missing) { $("relations-caption").textContent = out.missing; return; }
    const rows = out.totals.rows;
    const W = 460, H = 240, left = 40, bottom = 30, top = 10;
    const mid = top + (H - top - bottom) / 2, half = (H - top - bottom) / 2;
    const bw = Math.min(60, (W - left - 10) / Math.max(rows.length, 1));
    svg.append(el("svg:line", { x1: left, x2: W - 4, y1: mid, y2: mid, class: "axis" }));
    for (const t of [-10, 0, 10]) svg.append(el("svg:text", { x: left - 4, y: mid - (t / 10) * half + 4, "text-anchor": "end" }, (t > 0 ? "+" : "") + t));
    const labs = labelsOf(out.totals);
    rows.forEach((r, i) => {
      const v = r.mean_intensity, h = Math.abs(v) / 10 * half, x = left + 6 + i * bw;
      const bar = el("svg:rect", { x, y: v >= 0 ? mid - h : mid, width: bw * 0.8, height: Math.max(h, 0.5), fill: v >= 0 ? "#009E73" : "#D55E00", class: "bar-month", "data-month": r.month });
      bar.append(el("svg:title", {}, `${r.month}: mean intensity ${fmt(labs.mean_intensity, v)} over ${r.n_events} events (click for the events)`));
      bar.addEventListener("click", () => events(iso3, r.month));
      svg.append(bar);
      svg.append(el("svg:text", { x: x + bw * 0.4, y: H - bottom + 14, "text-anchor": "middle" }, r.month));
    });
    $("relations-caption").textContent = `Mean intensity of events with ${iso3} per month (${out.caption}); click a bar for the events behind it.`;
    fillTable($("relations-partners"), out.partners, ["partner", "n_events", "n_cooperation", "n_conflict", "mean_intensity", "last_date"],
      { cell: (c, r, lab) => c === "last_date" ? String(r[c] || "").slice(0, 10) : fmt(lab, r[c]) });
    document.body.dataset.relations = iso3;
  } catch (err) {
    $("relations-caption").textContent = "relations unavailable: " + err.message;
  }
}

async function events(iso3, month) {
  $("events-title").textContent = `Events involving ${iso3} in ${month}`;
  try {
    const out = await api(`/api/events?actor=${encodeURIComponent(iso3)}&month=${encodeURIComponent(month)}&limit=100`);
    if ($("country").value !== iso3) return;
    fillTable($("events"), out, ["date", "source_code", "event_type", "target_code", "intensity", "sentence"],
      { wrap: ["sentence"], cell: (c, r, lab) => c === "date" ? String(r[c] || "").slice(0, 10) : fmt(lab, r[c]) });
    document.body.dataset.events = month;
  } catch (err) {
    $("events-title").textContent = `Events in ${month} unavailable: ${err.message}`;
  }
}

// --- compare --------------------------------------------------------------------------

async function compare() {
  const a = $("country").value, b = $("compare").value.trim();
  const t = $("compare-table");
  fieldError("compare-error", null);
  t.tHead.replaceChildren();
  t.tBodies[0].replaceChildren();
  $("compare-notes").replaceChildren();
  if (!b) { fieldError("compare-error", new Error("type a second country, e.g. VNM or Viet Nam")); return; }
  try {
    const out = await api(`/api/compare/${encodeURIComponent(a)}/${encodeURIComponent(b)}`);
    if ($("country").value !== a) return;
    const [ca, cb] = out.countries;
    t.tHead.append(el("tr"));
    for (const [h, num] of [["Measure", false], ["Year", false], [`${out.names[0]} (${ca})`, true], [`${out.names[1]} (${cb})`, true]]) {
      t.tHead.rows[0].append(el("th", { class: num ? "num" : "" }, h));
    }
    // each row is one measure, formatted by the measure's own label
    const kinds = Object.fromEntries(out.measures.map((l) => [l.name, l]));
    t.tBodies[0].replaceChildren(...out.rows.map((r) => {
      const lab = kinds[r.measure];
      const tr = el("tr", { "data-measure": r.measure });
      tr.append(el("td", {}, r.label), el("td", {}, String(r.year ?? "")), el("td", { class: "num" }, fmt(lab, r[ca]) || "n/a"), el("td", { class: "num" }, fmt(lab, r[cb]) || "n/a"));
      return tr;
    }));
    $("compare-notes").replaceChildren(...out.notes.map((n) => el("li", {}, n)));
    document.body.dataset.compare = cb;
  } catch (err) {
    fieldError("compare-error", err);
  }
}

// --- scenario builder -----------------------------------------------------------------

const SHOCK_TYPES = ["tariff", "trade_cost", "embargo"];
const list = (text) => text.split(",").map((s) => s.trim()).filter(Boolean);

function pickScenario() {
  const s = state.scenarios[$("scenario-select").value];
  if (!s) return;
  state.base = JSON.parse(JSON.stringify(s.spec));
  $("scenario-title").textContent = s.title + (s.description ? " — " + s.description : "");
  $("sc-name").value = s.spec.name;
  $("sc-title").value = s.spec.title || "";
  $("sc-elasticities").value = (s.spec.elasticities && s.spec.elasticities.kind === "cp2015") ? "cp2015" : "uniform";
  state.shocks = s.spec.shocks.map((x) => ({ ...x }));
  renderShocks();
  syncSpec();
  fieldError("scenario-error", null);
}

function renderShocks() {
  const body = $("shocks").tBodies[0];
  body.replaceChildren(...state.shocks.map((sh, k) => {
    const tr = el("tr", { "data-shock": String(k) });
    const type = el("select", { "data-field": "type", "aria-label": `shock ${k + 1} type` });
    for (const t of SHOCK_TYPES) type.append(el("option", { value: t }, t));
    type.value = sh.type;
    const text = (field, value) => el("input", { type: "text", "data-field": field, value, spellcheck: "false", "aria-label": `shock ${k + 1} ${field}` });
    const value = el("input", { type: "number", step: "any", "data-field": "value", value: sh.value ?? "", "aria-label": `shock ${k + 1} value` });
    value.disabled = sh.type === "embargo";
    const both = el("input", { type: "checkbox", "data-field": "both_ways", "aria-label": `shock ${k + 1} both ways` });
    both.checked = !!sh.both_ways;
    const remove = el("button", { type: "button", class: "secondary" }, "Remove");
    remove.addEventListener("click", () => { state.shocks.splice(k, 1); renderShocks(); syncSpec(); });
    const cells = [type, text("importers", sh.importers.join(", ")), text("exporters", sh.exporters.join(", ")), text("sectors", (sh.sectors || ["all"]).join(", ")), value, both, remove];
    for (const c of cells) {
      const td = el("td");
      td.append(c);
      tr.append(td);
      c.addEventListener("input", () => { readShock(tr, k); syncSpec(); });
      c.addEventListener("change", () => { readShock(tr, k); syncSpec(); });
    }
    return tr;
  }));
}

function readShock(tr, k) {
  const get = (f) => tr.querySelector(`[data-field="${f}"]`);
  const type = get("type").value;
  const v = get("value").value;
  get("value").disabled = type === "embargo";
  state.shocks[k] = {
    type, importers: list(get("importers").value), exporters: list(get("exporters").value), sectors: list(get("sectors").value),
    value: type === "embargo" || v === "" ? null : Number(v), both_ways: get("both_ways").checked,
  };
}

function currentSpec() {
  const spec = JSON.parse(JSON.stringify(state.base || {}));
  spec.name = $("sc-name").value.trim();
  spec.title = $("sc-title").value;
  spec.elasticities = { ...(spec.elasticities || {}), kind: $("sc-elasticities").value };
  spec.shocks = state.shocks.map((s) => ({ ...s, sectors: s.sectors && s.sectors.length ? s.sectors : ["all"] }));
  return spec;
}

function syncSpec() {
  const spec = currentSpec();
  $("scenario-spec").value = JSON.stringify(spec, null, 2);
  $("scenario-toml").value = toToml(spec);
}

// Editing the JSON by hand updates the form when it parses (the JSON is what is sent).
function specEdited() {
  try {
    const spec = JSON.parse($("scenario-spec").value);
    if (!spec || !Array.isArray(spec.shocks)) return;
    state.base = spec;
    $("sc-name").value = spec.name || "";
    $("sc-title").value = spec.title || "";
    state.shocks = spec.shocks.map((s) => ({ type: s.type, importers: s.importers || [], exporters: s.exporters || [], sectors: s.sectors || ["all"], value: s.value ?? null, both_ways: !!s.both_ways }));
    renderShocks();
    $("scenario-toml").value = toToml(spec);
  } catch (e) { /* half-typed JSON: the run reports it */ }
}

function tomlValue(v) {
  if (Array.isArray(v)) return "[" + v.map(tomlValue).join(", ") + "]";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  return JSON.stringify(String(v));
}

// The scenario file format of geohedge.shocks.scenario (what 'geohedge scenario run FILE' reads).
function toToml(spec) {
  const lines = [];
  for (const [k, v] of Object.entries(spec)) {
    if (v === null || v === undefined || typeof v === "object") continue;
    lines.push(`${k} = ${tomlValue(v)}`);
  }
  const el_ = spec.elasticities || {};
  lines.push("", "[elasticities]");
  for (const [k, v] of Object.entries(el_)) if (v !== null && v !== undefined && typeof v !== "object") lines.push(`${k} = ${tomlValue(v)}`);
  if (el_.values && Object.keys(el_.values).length) {
    lines.push("", "[elasticities.values]");
    for (const [k, v] of Object.entries(el_.values)) lines.push(`${k} = ${tomlValue(v)}`);
  }
  for (const s of spec.shocks || []) {
    lines.push("", "[[shocks]]");
    for (const [k, v] of Object.entries(s)) if (v !== null && v !== undefined) lines.push(`${k} = ${tomlValue(v)}`);
  }
  return lines.join("\n") + "\n";
}

async function runScenario(event) {
  event.preventDefault();
  const iso3 = $("country").value;
  const button = $("run-scenario");
  button.disabled = true;
  $("scenario-status").textContent = "solving the model…";
  fieldError("scenario-error", null);
  $("scenario-results").hidden = true;
  try {
    const out = await api(`/api/scenarios/run?focus=${encodeURIComponent(iso3)}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: $("scenario-spec").value,
    });
    if ($("country").value !== iso3) return;  // a result for the previous country is not shown
    showScenario(out);
    $("scenario-status").textContent = "";
  } catch (err) {
    $("scenario-status").textContent = "";
    fieldError("scenario-error", err);
  } finally {
    button.disabled = false;
  }
}

function showScenario(out) {
  const f = out.focus;
  $("scenario-results").hidden = false;
  const name = state.names[f.country] || f.country;
  $("scenario-headline").replaceChildren(
    document.createTextNode(`${out.title}: ${name}'s real income `),
    el("b", {}, fmt({ kind: "change", signed: true }, f.welfare_change)));
  $("scenario-summary").textContent = f.summary;
  $("scenario-convergence").textContent = `${out.convergence}. Notes: ${out.notes.join("; ")}.`;
  const svg = $("scenario-chart");
  svg.replaceChildren();
  const rows = f.blocs.rows.filter((r) => r.flow === "exports");
  const W = 460, H = 300, left = 60, top = 22, bh = (H - top - 10) / Math.max(rows.length, 1);
  const max = Math.max(...rows.map((r) => Math.max(r.base_share, r.new_share)), 1e-9);
  svg.append(el("svg:rect", { x: left, y: 4, width: 10, height: 10, fill: "#9aa5b1" }), el("svg:text", { x: left + 14, y: 13 }, "before"),
             el("svg:rect", { x: left + 70, y: 4, width: 10, height: 10, fill: "#0072B2" }), el("svg:text", { x: left + 84, y: 13 }, "after"));
  rows.forEach((r, i) => {
    const y = top + i * bh, scale = (W - left - 60) / max;
    svg.append(el("svg:text", { x: left - 6, y: y + bh * 0.6, "text-anchor": "end" }, r.bloc));
    svg.append(el("svg:rect", { x: left, y: y + bh * 0.1, width: Math.max(r.base_share * scale, 0.5), height: bh * 0.38, fill: "#9aa5b1" }));
    svg.append(el("svg:rect", { x: left, y: y + bh * 0.5, width: Math.max(r.new_share * scale, 0.5), height: bh * 0.38, fill: "#0072B2", "data-bloc": r.bloc }));
    svg.append(el("svg:text", { x: left + Math.max(r.base_share, r.new_share) * scale + 4, y: y + bh * 0.6 }, `${fmt({ kind: "pp" }, r.change_pp)} pp`));
  });
  fillTable($("diversion"), f.exports, ["partner", "base_usd_mn", "new_usd_mn", "change_usd_mn", "change"], { rows: f.exports.rows.slice(0, 15) });
  document.body.dataset.scenario = out.scenario;
}

document.addEventListener("DOMContentLoaded", init);

// geohedge dashboard: vanilla JS, no dependencies, talks only to this server's /api.
"use strict";

const $ = (id) => document.getElementById(id);
const SVGNS = "http://www.w3.org/2000/svg";
const MEASURES = {
  "trade": [["export_share", "Share of exports"], ["import_share", "Share of imports"]],
  "value-added": [["share_of_gdp", "Share of GDP absorbed by the partner's final demand"],
                  ["share_of_exports", "Partner's value added in exports"]],
};
const PINNED = ["USA", "CHN", "RUS", "JPN", "TUR"];
const state = { map: null, names: {}, icio: new Set(), scenarios: {}, exposure: null };

async function api(path, options) {
  const res = await fetch(path, options);
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
  if (!res.ok) {
    throw new Error((body && body.error) || `${res.status} ${res.statusText}`);
  }
  return body;
}

function showError(err) {
  const box = $("error");
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

const pct = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v)) ? "" : (100 * v).toFixed(d) + "%";
const money = (v) => (v === null || v === undefined) ? "" : Math.round(v).toLocaleString("en-US");

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
    select.addEventListener("change", refresh);
    $("channel").addEventListener("change", () => { fillMeasures(); refresh(); });
    $("measure").addEventListener("change", colourMap);
    sc.addEventListener("change", pickScenario);
    $("scenario-form").addEventListener("submit", runScenario);
    await refresh();
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
      p.addEventListener("click", () => { $("country").value = s.iso3; refresh(); });
    }
    svg.append(p);
    state.map.push({ shape: s, path: p });
  }
}

// --- exposure -------------------------------------------------------------------------

async function refresh() {
  const iso3 = $("country").value;
  const channel = $("channel").value;
  showError(null);
  $("loading").textContent = "loading…";
  $("brief-link").href = `/api/brief/${encodeURIComponent(iso3)}`;
  try {
    const q = `channel=${encodeURIComponent(channel)}`;
    const [byPartner, byBloc] = await Promise.all([
      api(`/api/exposure/${encodeURIComponent(iso3)}?${q}&by=partner`),
      api(`/api/exposure/${encodeURIComponent(iso3)}?${q}&by=bloc`),
    ]);
    state.exposure = byPartner;
    $("map-title").textContent = `${byPartner.name}: ${channel === "trade" ? "trade" : "value-added"} exposure by partner`;
    $("caption").textContent = byPartner.caption;
    $("notes").replaceChildren(...byPartner.notes.map((n) => el("li", {}, n)));
    $("summary").replaceChildren(...[...byPartner.summary, ...byBloc.summary.filter((s) => !byPartner.summary.includes(s))].map((n) => el("li", {}, n)));
    colourMap();
    barChart($("partner-chart"), topPartners(byPartner), "partner");
    barChart($("bloc-chart"), byBloc.rows.map((r) => ({ label: r.bloc, value: r[measure()] })), "bloc");
    partnerTable(byPartner);
    document.body.dataset.country = iso3;
    ranking(iso3);
  } catch (err) {
    showError(err);
  } finally {
    $("loading").textContent = "";
  }
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
  for (const r of view.rows) if (r.partner && r[m] !== null) values[r.partner] = r[m];
  const max = Math.max(...Object.values(values), 1e-9);
  for (const { shape, path } of state.map) {
    const v = values[shape.iso3];
    path.setAttribute("class", shape.iso3 === view.country ? "focus" : (v === undefined ? "nodata" : ""));
    path.style.fill = v === undefined ? "" : colour(v / max);
    path.firstChild.textContent = `${shape.name}${v === undefined ? "" : ": " + pct(v)}`;
  }
  $("legend").replaceChildren(el("span", {}, "0%"), el("span", { class: "ramp" }), el("span", {}, pct(max)),
    el("span", {}, `${MEASURES[$("channel").value].find(([k]) => k === m)[1]}; grey: no data or not a separate ICIO region`));
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
  const cols = view.columns.filter((c) => c !== "year");
  const thead = $("partners").tHead, tbody = $("partners").tBodies[0];
  thead.replaceChildren(el("tr", {}, undefined));
  for (const c of cols) thead.rows[0].append(el("th", { class: /share|usd/.test(c) ? "num" : "" }, c.replace(/_usd_mn$/, " (USD mn)").replace(/_usd$/, " (USD mn)").replaceAll("_", " ")));
  const m = measure();
  const rows = [...view.rows].sort((a, b) => (b[m] ?? -1) - (a[m] ?? -1));
  tbody.replaceChildren(...rows.slice(0, 40).map((r) => {
    const tr = el("tr", { class: PINNED.includes(r.partner) ? "pinned" : "" });
    for (const c of cols) {
      const v = r[c];
      const text = /share/.test(c) ? pct(v) : /_usd$/.test(c) ? money(v / 1e6) : /_usd_mn$/.test(c) ? money(v) : (v ?? "");
      tr.append(el("td", { class: /share|usd/.test(c) ? "num" : "" }, String(text)));
    }
    return tr;
  }));
}

async function ranking(iso3) {
  const t = $("ranking");
  $("ranking-summary").textContent = "scoring partners…";
  t.tHead.replaceChildren();
  t.tBodies[0].replaceChildren();
  try {
    const out = await api(`/api/partners/${encodeURIComponent(iso3)}?top=10`);
    if ($("country").value !== iso3) return;  // the user moved on
    $("ranking-summary").textContent = `${out.summary}`;
    const cols = [["rank", "rank"], ["partner", "partner"], ["name", "name"], ["score_pp", "score (pp)"], ["rank_p10", "rank from"], ["rank_p90", "rank to"],
                  ["trade_share", "share of trade"], ["va_exposure_reduction_pp", "exposure reduction (pp)"], ["shift_pp", "fits (pp)"], ["quality", "quality"], ["flags", "flags"]];
    t.tHead.append(el("tr"));
    for (const [, label] of cols) t.tHead.rows[0].append(el("th", {}, label));
    t.tBodies[0].replaceChildren(...out.rows.map((r) => {
      const tr = el("tr", { class: PINNED.includes(r.partner) ? "pinned" : "" });
      for (const [c] of cols) {
        const v = r[c];
        tr.append(el("td", { class: typeof v === "number" ? "num" : "" }, c === "trade_share" ? pct(v) : typeof v === "number" && !c.startsWith("rank") ? v.toFixed(c === "score_pp" ? 3 : 2) : String(v ?? "")));
      }
      return tr;
    }));
  } catch (err) {
    $("ranking-summary").textContent = "partner ranking unavailable: " + err.message;
  }
}

// --- scenarios ------------------------------------------------------------------------

function pickScenario() {
  const s = state.scenarios[$("scenario-select").value];
  if (!s) return;
  $("scenario-title").textContent = s.title + (s.description ? " — " + s.description : "");
  $("scenario-spec").value = JSON.stringify(s.spec, null, 2);
}

async function runScenario(event) {
  event.preventDefault();
  const iso3 = $("country").value;
  const button = $("run-scenario");
  button.disabled = true;
  $("scenario-status").textContent = "solving the model…";
  showError(null);
  try {
    const out = await api(`/api/scenarios/run?focus=${encodeURIComponent(iso3)}`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: $("scenario-spec").value,
    });
    showScenario(out);
    $("scenario-status").textContent = "";
  } catch (err) {
    $("scenario-status").textContent = "";
    showError(err);
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
    el("b", {}, `${f.welfare_change >= 0 ? "+" : ""}${(100 * f.welfare_change).toFixed(3)}%`));
  $("scenario-summary").textContent = f.summary;
  $("scenario-convergence").textContent = `${out.convergence}. Notes: ${out.notes.join("; ")}.`;
  // bloc shares of exports before and after
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
    svg.append(el("svg:text", { x: left + Math.max(r.base_share, r.new_share) * scale + 4, y: y + bh * 0.6 }, `${r.change_pp >= 0 ? "+" : ""}${r.change_pp.toFixed(1)} pp`));
  });
  // diversion table
  const cols = [["partner", "partner"], ["base_usd_mn", "before (USD mn)"], ["new_usd_mn", "after (USD mn)"], ["change_usd_mn", "change (USD mn)"], ["change", "change"]];
  const t = $("diversion");
  t.tHead.replaceChildren(el("tr"));
  for (const [c, label] of cols) t.tHead.rows[0].append(el("th", { class: c === "partner" ? "" : "num" }, label));
  t.tBodies[0].replaceChildren(...f.exports.rows.slice(0, 15).map((r) => {
    const tr = el("tr");
    for (const [c] of cols) {
      const v = r[c];
      tr.append(el("td", { class: c === "partner" ? "" : "num" }, c === "partner" ? v : c === "change" ? pct(v) : money(v)));
    }
    return tr;
  }));
  document.body.dataset.scenario = out.scenario;
}

document.addEventListener("DOMContentLoaded", init);

// geohedge dashboard: the vulnerability atlas panel (a world map per shock family and a
// country x shock heat map), from /api/atlas. Vanilla JS, no dependencies; it builds its own
// section at the end of <main>, so the page only has to load this script.
"use strict";

(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const node = (tag, attrs, text) => {
    const n = tag.startsWith("svg:") ? document.createElementNS(SVGNS, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
    if (text !== undefined) n.textContent = text;
    return n;
  };
  const pct = (v, d = 2) => (v === null || v === undefined) ? "" : `${v >= 0 ? "+" : ""}${(100 * v).toFixed(d)}%`;

  async function getJSON(path) {
    const res = await fetch(path);
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new Error((body && body.error) || `${res.status} ${res.statusText}`);
    return body;
  }

  // Diverging colour: losses red, gains blue, zero white; square-root scale so small changes show.
  function colour(v, max) {
    const t = Math.sqrt(Math.min(1, Math.abs(v) / max));
    const end = v < 0 ? [178, 24, 43] : [33, 102, 172];
    const c = [247, 247, 247].map((x, i) => Math.round(x + (end[i] - x) * t));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  }

  function panel() {
    const sec = node("section", { class: "panel wide", id: "atlas-panel", "data-testid": "atlas-panel", "aria-label": "Vulnerability atlas" });
    sec.append(node("h2", {}, "Vulnerability atlas: every country against each great power's shock"));
    const controls = node("p", {});
    const label = node("label", {}, "Shock ");
    const select = node("select", { id: "atlas-family", "data-testid": "atlas-family" });
    label.append(select);
    controls.append(label);
    sec.append(controls);
    sec.append(node("p", { id: "atlas-status", class: "caption", "data-testid": "atlas-status" }, "loading the atlas…"));
    sec.append(node("svg:svg", { id: "atlas-map", "data-testid": "atlas-map", viewBox: "0 0 960 500", role: "img", "aria-label": "World map of the real-income change under the chosen shock" }));
    sec.append(node("div", { id: "atlas-legend", class: "legend" }));
    sec.append(node("h3", {}, "Country x shock: median real-income change (rank 1 = most exposed)"));
    const scroll = node("div", { class: "scroll", style: "max-height: 520px" });
    scroll.append(node("svg:svg", { id: "atlas-heat", "data-testid": "atlas-heat", role: "img", "aria-label": "Heat map of real-income changes, countries by shock families" }));
    sec.append(scroll);
    sec.append(node("p", { id: "atlas-caption", class: "caption" }));
    document.querySelector("main").append(sec);
    return { select };
  }

  function drawMap(svg, map, rows, family, names) {
    svg.replaceChildren();
    svg.setAttribute("viewBox", `0 0 ${map.width} ${map.height}`);
    const byTarget = {};
    for (const r of rows) if (r.family === family && r.status === "ok") byTarget[r.target] = r;
    const max = Math.max(...Object.values(byTarget).map((r) => Math.abs(r.welfare_median)), 1e-9);
    for (const s of map.shapes) {
      const r = byTarget[s.iso3];
      const p = node("svg:path", { d: s.d, class: r ? "" : "nodata", "data-iso3": s.iso3 || "" });
      if (r) p.style.fill = colour(r.welfare_median, max);
      const text = r ? `${s.name}: ${pct(r.welfare_median)} real income (90%: ${pct(r.welfare_p05)} to ${pct(r.welfare_p95)}), rank ${r.rank} of ${r.of}`
        : `${s.name}: not in the atlas for this shock`;
      p.append(node("svg:title", {}, text));
      svg.append(p);
    }
    const legend = document.getElementById("atlas-legend");
    legend.replaceChildren(node("span", {}, pct(-max)), node("span", { class: "ramp", style: "background: linear-gradient(to right, rgb(178,24,43), rgb(247,247,247), rgb(33,102,172))" }),
      node("span", {}, pct(max)), node("span", {}, "median real-income change of each target; grey: not a target (or the imposer)"));
    return Object.keys(byTarget).length;
  }

  function drawHeat(svg, rows, families, names) {
    svg.replaceChildren();
    const ok = rows.filter((r) => r.status === "ok");
    const targets = [...new Set(ok.map((r) => r.target))];
    const meanRank = {};
    for (const t of targets) {
      const rs = ok.filter((r) => r.target === t).map((r) => r.rank / r.of);
      meanRank[t] = rs.reduce((a, b) => a + b, 0) / rs.length;
    }
    targets.sort((a, b) => meanRank[a] - meanRank[b]);
    const cell = { w: 104, h: 16 }, left = 150, top = 64;
    svg.setAttribute("viewBox", `0 0 ${left + families.length * cell.w + 10} ${top + targets.length * cell.h + 10}`);
    svg.setAttribute("width", left + families.length * cell.w + 10);
    svg.setAttribute("height", top + targets.length * cell.h + 10);
    const max = Math.max(...ok.map((r) => Math.abs(r.welfare_median)), 1e-9);
    families.forEach((f, k) => {
      const x = left + k * cell.w + cell.w / 2;
      svg.append(node("svg:text", { x, y: top - 8, "text-anchor": "end", transform: `rotate(-30 ${x} ${top - 8})`, "font-size": "10" }, f));
    });
    const at = {};
    for (const r of ok) at[`${r.target}|${r.family}`] = r;
    targets.forEach((t, i) => {
      const y = top + i * cell.h;
      svg.append(node("svg:text", { x: left - 6, y: y + cell.h * 0.75, "text-anchor": "end", "font-size": "11" }, `${names[t] || t} (${t})`));
      families.forEach((f, k) => {
        const r = at[`${t}|${f}`];
        const rect = node("svg:rect", { x: left + k * cell.w + 1, y: y + 1, width: cell.w - 2, height: cell.h - 2, "data-cell": `${t}|${f}`,
          fill: r ? colour(r.welfare_median, max) : "#e0e0e0" });
        rect.append(node("svg:title", {}, r ? `${t}, ${f}: ${pct(r.welfare_median)} (rank ${r.rank} of ${r.of})` : `${t}, ${f}: does not apply`));
        svg.append(rect);
        if (r) svg.append(node("svg:text", { x: left + k * cell.w + cell.w / 2, y: y + cell.h * 0.75, "text-anchor": "middle", "font-size": "10" }, pct(r.welfare_median, 1)));
      });
    });
  }

  async function start() {
    const ui = panel();
    const status = document.getElementById("atlas-status");
    try {
      // Ask the status first: without an atlas the panel says how to make one (no failed request).
      const st = await getJSON("/api/status");
      if (!st.tables.rows.some((r) => r.table_name === "atlas" && r.rows > 0)) {
        status.textContent = "No atlas in the store yet: run 'geohedge atlas' (stop the server meanwhile), then reload.";
        document.getElementById("atlas-panel").dataset.ready = "0";
        return;
      }
      const [atlas, map, countries] = await Promise.all([getJSON("/api/atlas"), getJSON("/api/map"), getJSON("/api/countries")]);
      const names = {};
      for (const c of countries) names[c.iso3] = c.name;
      const families = atlas.families.map((f) => f.name);
      for (const f of atlas.families) ui.select.append(node("option", { value: f.name }, `${f.name}: ${f.title}`));
      const show = () => {
        const n = drawMap(document.getElementById("atlas-map"), map, atlas.rows, ui.select.value, names);
        const fam = atlas.families.find((f) => f.name === ui.select.value);
        status.textContent = `${fam ? fam.title : ui.select.value}: ${n} targets, ${atlas.draws} elasticity draws each (run ${atlas.run}).`;
      };
      ui.select.addEventListener("change", show);
      show();
      drawHeat(document.getElementById("atlas-heat"), atlas.rows, families, names);
      document.getElementById("atlas-caption").textContent = atlas.caption;
      document.getElementById("atlas-panel").dataset.ready = "1";
    } catch (err) {
      status.textContent = `No atlas to show (${err.message}).`;
      document.getElementById("atlas-panel").dataset.ready = "0";
    }
  }

  document.addEventListener("DOMContentLoaded", start);
})();

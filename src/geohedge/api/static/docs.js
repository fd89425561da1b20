// An offline API reference drawn from this server's /openapi.json (no Swagger UI, no CDN).
"use strict";
function el(tag, attrs, text) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}
document.addEventListener("DOMContentLoaded", async () => {
  const box = document.getElementById("endpoints");
  const spec = await (await fetch("/openapi.json")).json();
  box.replaceChildren(el("p", { class: "caption" }, `${spec.info.title} ${spec.info.version}: ${spec.info.summary || ""}`));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      box.append(el("h2", {}, `${method.toUpperCase()} ${path}`));
      if (op.summary) box.append(el("p", {}, op.summary));
      const params = op.parameters || [];
      if (params.length) {
        const t = el("table");
        t.append(el("tr"));
        for (const h of ["parameter", "in", "type", "description"]) t.rows[0].append(el("th", {}, h));
        for (const p of params) {
          const tr = el("tr");
          const s = p.schema || {};
          const type = s.enum ? s.enum.join(" | ") : (s.anyOf ? s.anyOf.map((x) => x.enum ? x.enum.join(" | ") : x.type).join(" or ") : s.type || "");
          for (const v of [p.name + (p.required ? " *" : ""), p.in, type, p.description || ""]) tr.append(el("td", {}, v));
          t.append(tr);
        }
        box.append(t);
      }
      if (op.requestBody) box.append(el("p", { class: "caption" }, "body: " + Object.keys(op.requestBody.content).join(" or ")));
      box.append(el("p", { class: "caption" }, "responses: " + Object.keys(op.responses || {}).join(", ")));
    }
  }
});

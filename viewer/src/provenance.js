// Where the numbers come from: per file its seed, version, commit and creation time; the
// scenario as given (with --set overrides) and as resolved (every default filled); the map.
import { get } from "./api.js";

const escape = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const KEYS = ["seed", "borderland_version", "git_commit", "created_utc", "start", "end", "threads", "model", "format_version"];

export async function showProvenance(state) {
  const select = document.getElementById("prov-scenario");
  const names = state.catalog.scenarios.map((s) => s.name);
  if (!select.options.length) {
    select.innerHTML = names.map((n) => `<option>${escape(n)}</option>`).join("");
    select.value = state.scenario;
    select.addEventListener("change", () => showProvenance(state));
  }
  const p = await get("provenance", { scenario: select.value });
  const head = `<tr><th>file</th>${KEYS.map((k) => `<th>${k}</th>`).join("")}</tr>`;
  const rows = p.files.map((f) => `<tr><td>${escape(f.file)}</td>${KEYS.map((k) => `<td>${escape(f[k])}</td>`).join("")}</tr>`);
  document.getElementById("provenance").innerHTML = `
    <p>${escape(p.scenario)}: ${p.files.length} ${p.kind === "sweep" ? "sweep file" : "run file(s)"};
      map drawn from <code>${escape(p.map)}</code>.</p>
    <table class="grid">${head}${rows.join("")}</table>
    <h3>Scenario as resolved (every default filled)</h3><pre data-testid="resolved">${escape(p.resolved)}</pre>
    <h3>Scenario as given${p.overrides ? ` (overrides: ${escape(p.overrides)})` : ""}</h3><pre>${escape(p.given)}</pre>`;
}

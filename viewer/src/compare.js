// The comparison view: each chosen policy against the baseline, with the numbers of
// `python3 -m borderland compare` (the server calls it; nothing is recomputed here), the difference in attacks
// per province on the map (interval in the tooltip and the labels), and the projections' bands.
import { get } from "./api.js";
import { MapView } from "./map.js";
import { SeriesPanel } from "./series.js";
import { diverging } from "./colours.js";
import { fixed, g } from "./format.js";

const LABELLED_PROVINCES = 8; // provinces labelled with their difference: the largest changes
const escape = (v) => String(v ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const $ = (id) => document.getElementById(id);
const view = { initialised: false, map: null, panels: [], result: null };

function centroids(state) {
  const m = state.map;
  const ids = view.map.province;
  const sum = new Map();
  for (let iy = 0; iy < m.ny; iy++) {
    for (let ix = 0; ix < m.nx; ix++) {
      const id = ids[iy * m.nx + ix];
      if (id < 0) continue;
      const s = sum.get(id) || [0, 0, 0];
      s[0] += m.lon0 + (ix + 0.5) * m.dlon; s[1] += m.lat0 + (iy + 0.5) * m.dlat; s[2] += 1;
      sum.set(id, s);
    }
  }
  return new Map([...sum].map(([id, [x, y, n]]) => [id, { lon: x / n, lat: y / n }]));
}

function init(state) {
  const names = state.catalog.scenarios.map((s) => s.name);
  const baseline = state.catalog.baseline || names[0];
  $("cmp-baseline").innerHTML = names.map((n) => `<option ${n === baseline ? "selected" : ""}>${escape(n)}</option>`).join("");
  const info = state.catalog.scenarios.find((s) => s.name === baseline);
  $("cmp-since").value = info.metrics_from || "";
  policyChecks(state);
  for (const id of ["cmp-baseline", "cmp-since", "cmp-level"]) {
    $(id).addEventListener("change", () => {
      if (id === "cmp-baseline") policyChecks(state);
      update(state).catch(showError);
    });
  }
  $("cmp-policies").addEventListener("change", () => update(state).catch(showError));
  $("cmp-map-policy").addEventListener("change", () => drawMap(state));
  if (state.map.available) {
    view.map = new MapView($("cmp-map"), state.map, {
      onHover: (hit, mouse) => provinceTip(state, mouse),
    });
    view.centroids = centroids(state);
  }
  view.initialised = true;
}

function showError(error) {
  const box = $("error");
  box.hidden = false;
  box.textContent = `error: ${error.message || error}`;
}

// Every scenario but the baseline and the historical record can be compared; all ticked at first.
function policyChecks(state) {
  const baseline = $("cmp-baseline").value;
  const policies = state.catalog.scenarios.filter((s) => s.name !== baseline && !s.name.startsWith("historical"));
  $("cmp-policies").innerHTML = policies.map((s) =>
    `<label><input type="checkbox" checked value="${escape(s.name)}"><i class="dot" style="background:${s.colour}"></i>${escape(s.name)}</label>`).join("");
}

export async function showComparison(state) {
  if (!view.initialised) init(state);
  await update(state);
}

async function update(state) {
  $("error").hidden = true;
  const chosen = [...$("cmp-policies").querySelectorAll("input:checked")].map((b) => b.value);
  const baseline = $("cmp-baseline").value;
  if (!chosen.length) {
    $("cmp-table").innerHTML = '<p class="muted">Tick one or more policies to compare with the baseline.</p>';
    return;
  }
  const params = { baseline, scenarios: chosen.join(","), since: $("cmp-since").value, level: $("cmp-level").value };
  const result = await get("compare", params);
  view.result = result;
  const level = Math.round(result.level * 100);
  $("cmp-note").textContent = `Differences of means (policy − baseline) over ${result.since ? `the days from ${result.since}` : "the whole run"}, ` +
    `with ${level} % percentile bootstrap intervals (as 'python3 -m borderland compare'); P(better): probability the policy comes ` +
    `out lower (lower is better for every outcome); paired by seed when both ran the same seeds.`;
  table(result);
  $("cmp-map-policy").innerHTML = chosen.map((n) => `<option>${escape(n)}</option>`).join("");
  drawMap(state);
  await panels(state, baseline, chosen, result.since);
  document.body.dataset.compareReady = JSON.stringify(params);
}

function table(result) {
  const head = "<tr><th>policy</th><th>outcome</th><th>baseline</th><th>policy</th><th>difference [interval]</th>" +
    "<th>change</th><th>P(better)</th><th>runs</th></tr>";
  const rows = result.rows.map((r) => `<tr data-testid="cmp-row" data-scenario="${escape(r.scenario)}" data-outcome="${escape(r.outcome)}"
      data-difference="${r.difference}" data-low="${r.diff_low}" data-high="${r.diff_high}" data-p="${r.p_better}"
      class="${r.diff_high < 0 ? "better" : r.diff_low > 0 ? "worse" : ""}">
    <td>${escape(r.scenario)}</td><td>${escape(r.outcome)} [${escape(r.units)}]</td>
    <td>${g(r.baseline_mean)}</td><td>${g(r.scenario_mean)}</td>
    <td class="ci"><span class="diff">${g(r.difference, 4, true)}</span> [<span class="low">${g(r.diff_low, 4, true)}</span>, <span class="high">${g(r.diff_high, 4, true)}</span>]</td>
    <td>${fixed(r.pct_change, 1, true)} % [${fixed(r.pct_low, 1, true)}, ${fixed(r.pct_high, 1, true)}]</td>
    <td>${fixed(r.p_better, 2)}</td><td>${r.replicas_scenario} vs ${r.replicas_baseline}${r.paired ? " (paired)" : ""}</td></tr>`);
  $("cmp-table").innerHTML = `<table class="grid">${head}${rows.join("")}</table>
    <p class="muted">Green: the whole interval below 0 (fewer); red: above 0 (more).</p>`;
}

// Provinces coloured by the difference in attacks (blue fewer, red more); those whose interval
// includes 0 washed out; the largest changes labelled "difference [low, high]".
function drawMap(state) {
  if (!view.map) return;
  const policy = $("cmp-map-policy").value;
  const rows = (view.result.provinces[policy] || []);
  const byName = new Map(state.map.provinces.map((p) => [p.name, p.id]));
  const scale = Math.max(1, ...rows.map((r) => Math.max(Math.abs(r.diff_low), Math.abs(r.diff_high))));
  const fill = {};
  view.byId = new Map();
  for (const r of rows) {
    const id = byName.get(r.province);
    if (id === undefined) continue;
    view.byId.set(id, r);
    const sure = r.diff_high < 0 || r.diff_low > 0;
    const rgb = diverging(r.difference / scale);
    fill[id] = sure ? rgb : rgb.map((v) => Math.round(v + (255 - v) * 0.6));
  }
  view.map.setProvinceFill(fill);
  const labelled = rows.filter((r) => byName.has(r.province) && (r.diff_low !== 0 || r.diff_high !== 0))
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference)).slice(0, LABELLED_PROVINCES);
  view.map.setLabels(labelled.map((r) => ({ ...view.centroids.get(byName.get(r.province)),
    text: `${g(r.difference, 3, true)} [${g(r.diff_low, 3, true)}, ${g(r.diff_high, 3, true)}]` })));
  view.map.render();
  const level = Math.round(view.result.level * 100);
  $("cmp-legend").innerHTML = rows.length ? `<div class="colourbar"><canvas id="cmp-bar" width="220" height="12"></canvas>
    <div class="ticks"><span>${g(-scale, 3)}</span><span>0</span><span>+${g(scale, 3)}</span></div>
    <div>attacks per province, ${escape(policy)} − ${escape(view.result.baseline)} (mean over runs${view.result.since ? ` from ${view.result.since}` : ""});
    labels: difference [${level} % interval]; washed-out provinces: the interval includes 0.</div></div>`
    : '<p class="muted">The files carry no attacks_by_province series: no map of the difference.</p>';
  const bar = $("cmp-bar");
  if (bar) {
    const ctx = bar.getContext("2d");
    for (let x = 0; x < bar.width; x++) {
      const [r, gg, b] = diverging((2 * x) / (bar.width - 1) - 1);
      ctx.fillStyle = `rgb(${r},${gg},${b})`;
      ctx.fillRect(x, 0, 1, bar.height);
    }
  }
}

function provinceTip(state, mouse) {
  const tip = $("cmp-tooltip");
  if (!mouse || !view.byId) { tip.hidden = true; return; }
  const rect = view.map.canvas.getBoundingClientRect();
  const id = view.map.provinceAt(mouse.clientX - rect.left, mouse.clientY - rect.top);
  const r = view.byId.get(id);
  if (!r) { tip.hidden = true; return; }
  tip.hidden = false;
  tip.innerHTML = `<b>${escape(r.province)}</b><br>attacks: baseline ${g(r.baseline_mean)}, policy ${g(r.scenario_mean)}<br>
    difference ${g(r.difference, 4, true)} [${g(r.diff_low, 4, true)}, ${g(r.diff_high, 4, true)}]`;
  tip.style.left = `${mouse.clientX - rect.left + 12}px`;
  tip.style.top = `${mouse.clientY - rect.top + 12}px`;
}

async function panels(state, baseline, chosen, since) {
  for (const p of view.panels) p.destroy();
  view.panels = [];
  const box = $("cmp-panels");
  box.innerHTML = "";
  const colour = (n) => state.catalog.scenarios.find((s) => s.name === n).colour;
  const base = await get("series", { scenario: baseline, spec: "attacks" }).catch(() => null);
  if (!base) return;
  const width = Math.max(360, Math.floor((box.clientWidth || 1200) / 2) - 24);
  for (const name of chosen) {
    const result = await get("series", { scenario: name, spec: "attacks" }).catch(() => null);
    if (!result) continue;
    view.panels.push(new SeriesPanel(box, [{ ...base, colour: colour(baseline) }, { ...result, colour: colour(name) }],
      { marks: state.catalog.timeline, width, since }));
  }
}

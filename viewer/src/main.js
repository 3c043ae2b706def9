// borderland viewer: wiring of the three views (map and series, comparison, provenance) to the
// JSON API of `borderland view` (viewer/API.md).
import "./style.css";
import { API_VERSION, decode, get } from "./api.js";
import { Filters } from "./filters.js";
import { MapView, fieldImage } from "./map.js";
import { SeriesPanel } from "./series.js";
import { sequential, tacticColours } from "./colours.js";
import { showComparison } from "./compare.js";
import { showProvenance } from "./provenance.js";
import { eventDetails, eventTooltip } from "./details.js";

const PLAY_INTERVAL_MS = 700;
const EARTH_RADIUS_KM = 6371;
const $ = (id) => document.getElementById(id);

const state = { catalog: null, map: null, scenario: null, run: 0, frames: [], frame: 0, events: null,
  snapshots: null, filters: null, panels: [], playing: null, view: null, selected: null };
window.borderlandViewer = state; // for the browser test and for curious users in the console

export function showError(error) {
  const box = $("error");
  box.hidden = false;
  box.textContent = `error: ${error.message || error}`;
  console.error(error);
}

const scenarioInfo = (name) => state.catalog.scenarios.find((s) => s.name === name);
const provinceName = (id) => (state.map.provinces.find((p) => p.id === Number(id)) || {}).name;
const deaths = (c, i) => (c.killed_police?.[i] || 0) + (c.killed_army?.[i] || 0) + (c.killed_civilians?.[i] || 0);
const radius = (d) => Math.min(18, 2.5 + 1.6 * Math.sqrt(d));

function options(select, values, labelOf = String, selected) {
  select.innerHTML = values.map((v, i) => `<option value="${i}">${labelOf(v)}</option>`).join("");
  if (selected !== undefined) select.value = String(selected);
}

export function nearestPlace(lon, lat) {
  const rad = Math.PI / 180;
  let best = null;
  let bestKm = Infinity;
  for (const p of state.map.places) {
    const dlat = (p.lat - lat) * rad;
    const dlon = (p.lon - lon) * rad;
    const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat * rad) * Math.cos(p.lat * rad) * Math.sin(dlon / 2) ** 2;
    const km = 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(a));
    if (km < bestKm) { bestKm = km; best = p; }
  }
  return best ? { ...best, km: bestKm } : null;
}

// The slider's positions: the snapshot dates and the run's last day (which shows the last
// snapshot), or (no snapshots) the first of every month and the last day.
function sliderDates(info) {
  if (state.snapshots) {
    const dates = state.snapshots.dates.filter((d) => d <= info.last);
    return dates[dates.length - 1] === info.last ? dates : dates.concat([info.last]);
  }
  const out = [];
  const d = new Date(`${info.first}T00:00:00Z`);
  while (d.toISOString().slice(0, 10) <= info.last) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  if (out[out.length - 1] !== info.last) out.push(info.last);
  return out;
}

async function selectScenario(name) {
  stop();
  state.scenario = name;
  const info = scenarioInfo(name);
  const runSelect = $("run");
  options(runSelect, info.seeds, (s) => `seed ${s}`, Math.min(state.run, info.seeds.length - 1));
  runSelect.disabled = info.kind !== "runs";
  options($("field"), info.snapshot_fields, String, Math.max(0, info.snapshot_fields.indexOf("fighters")));
  $("field").disabled = !info.snapshot_fields.length;
  await selectRun(Number(runSelect.value));
  buildPanels(info);
}

async function selectRun(run) {
  state.run = run;
  const info = scenarioInfo(state.scenario);
  state.events = info.has_events ? await get("events", { scenario: info.name, run }) : null;
  if (state.events && state.events.columns.tactic) { // tactics no series counts (e.g. army operations) too
    const known = Object.keys(state.tacticColours);
    const extra = [...new Set(state.events.columns.tactic)].filter((t) => !known.includes(t)).sort();
    state.tacticColours = tacticColours(known.concat(extra));
  }
  await loadField();
  state.filters = state.events ? new Filters($("filters"), state.events, {
    provinceName, tacticColours: state.tacticColours, first: info.first, last: info.last, onChange: render,
  }) : null;
  if (!state.events) $("filters").innerHTML = `<p class="muted">${info.kind === "sweep"
    ? "A sweep file keeps no events per run: view the run files (sweep --runs-dir) for the map's events."
    : "This run holds no events table."}</p>`;
  state.selected = null;
  $("event-details").textContent = "none: click an attack on the map";
  render();
}

async function loadField() {
  const info = scenarioInfo(state.scenario);
  const field = info.snapshot_fields[Number($("field").value)];
  state.snapshots = field ? await get("snapshots", { scenario: info.name, run: state.run, field }) : null;
  state.frames = sliderDates(info);
  const slider = $("slider");
  slider.max = String(state.frames.length - 1);
  state.frame = Math.min(state.frame, state.frames.length - 1);
  if (state.frame < 0 || Number.isNaN(state.frame)) state.frame = state.frames.length - 1;
  slider.value = String(state.frame);
  state.fieldImages = [];
}

// The snapshot shown at the slider's date: the last one taken on or before it.
function snapshotIndex() {
  const date = state.frames[state.frame];
  let k = 0;
  state.snapshots.dates.forEach((d, i) => { if (d <= date) k = i; });
  return k;
}

function currentFieldImage() {
  const s = state.snapshots;
  if (!s) return null;
  const k = snapshotIndex();
  if (!state.fieldImages[k]) {
    const [, height, width] = s.shape;
    state.fieldImages[k] = fieldImage(decode(s.frames[k], Float32Array), width, height, s.vmax, sequential);
  }
  return { image: state.fieldImages[k], extent: s.extent };
}

// Draw the frame at the slider: the field's snapshot, and the attacks that pass the filters
// from the "from" date up to the slider's date.
function render() {
  const date = state.frames[state.frame];
  $("slider-date").textContent = date;
  $("slider-date").dataset.date = date;
  const drawn = [];
  let passing = 0; // events that pass the filters (drawn where the events carry lon and lat)
  if (state.events && state.filters) {
    const c = state.events.columns;
    const placed = Boolean(c.lon && c.lat && state.view);
    for (let i = 0; i < state.events.rows; i++) {
      if (!state.filters.matches(c, i, date)) continue;
      passing += 1;
      if (!placed) continue;
      drawn.push({ lon: c.lon[i], lat: c.lat[i], row: i, colour: state.tacticColours[c.tactic?.[i]] || "#444",
        r: radius(deaths(c, i)) });
    }
    drawn.sort((a, b) => b.r - a.r); // large circles below small ones
  }
  const total = state.events ? state.events.rows : 0;
  $("drawn-count").textContent = state.events ? `${passing} of ${total} ${state.view ? "drawn" : "pass the filters"}` : "";
  $("drawn-count").dataset.count = String(passing);
  if (state.view) {
    state.view.setField(currentFieldImage());
    state.view.setEvents(drawn);
    state.view.selected = state.selected;
    state.view.render();
    legend();
  }
  for (const p of state.panels) p.setDate(date);
}

function legend() {
  const s = state.snapshots;
  const bar = s ? `<div class="colourbar"><canvas id="colourbar" width="220" height="12"></canvas>
    <div class="ticks"><span>0</span><span>${(s.vmax / 2).toPrecision(3)}</span><span>&ge; ${s.vmax.toPrecision(3)}</span></div>
    <div>${s.label}${s.description ? `: ${s.description}` : ""}; snapshot of ${s.dates[snapshotIndex()]}. Empty cells
    transparent; the top colour is the 99th percentile of the non-empty cells.</div></div>` : "";
  const sizes = [1, 10, 50].map((d) => `<span class="size"><svg width="${2 * radius(d) + 2}" height="${2 * radius(d) + 2}">
    <circle cx="${radius(d) + 1}" cy="${radius(d) + 1}" r="${radius(d)}" fill="#999"/></svg>${d}</span>`).join("");
  const v = state.view;
  const keys = [
    [v.provinceEdges.length, '<i class="line"></i>province'],
    [v.districtEdges.length, '<i class="line thin"></i>district'],
    [v.durandEdges.length, '<i class="line red"></i>Durand Line (Afghanistan-Pakistan border)'],
    [state.map.crossings.length, "&#9650; crossing"],
    [v.cities.length, "&#9679; city"],
    [state.events && state.events.columns.killed_police, `attack deaths: ${sizes}`],
  ].filter(([shown]) => shown).map(([, html]) => `<span>${html}</span>`);
  $("legend").innerHTML = `${bar}<div class="keys">${keys.join("")}</div>`;
  const canvas = $("colourbar");
  if (canvas) {
    const ctx = canvas.getContext("2d");
    for (let x = 0; x < canvas.width; x++) {
      const [r, g, b] = sequential(x / (canvas.width - 1));
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fillRect(x, 0, 1, canvas.height);
    }
  }
}

async function buildPanels(info) {
  for (const p of state.panels) p.destroy();
  state.panels = [];
  const box = $("panels");
  box.innerHTML = "";
  $("series-note").textContent = `${info.name}: ${info.replicas} run${info.replicas > 1 ? "s" : ""}` +
    "; counts as 30-day trailing sums; red dotted lines: timeline events; black line: the slider's date; " +
    "click a panel to move the slider there";
  const width = Math.max(360, Math.floor((box.clientWidth || 1200) / 2) - 24);
  for (const spec of info.panels) {
    const result = await get("series", { scenario: info.name, spec });
    state.panels.push(new SeriesPanel(box, [{ ...result, colour: info.colour }], {
      marks: state.catalog.timeline, width, onPickDate: moveToDate,
    }));
  }
  for (const p of state.panels) p.setDate(state.frames[state.frame]);
}

function moveToDate(date) {
  let best = 0;
  state.frames.forEach((d, i) => { if (d <= date) best = i; });
  state.frame = best;
  $("slider").value = String(best);
  render();
}

function stop() {
  if (state.playing) clearInterval(state.playing);
  state.playing = null;
  $("play").innerHTML = "&#9654; play";
}

function play() {
  if (state.playing) return stop();
  if (state.frame >= state.frames.length - 1) state.frame = 0;
  $("play").innerHTML = "&#10074;&#10074; pause";
  state.playing = setInterval(() => {
    if (state.frame >= state.frames.length - 1) return stop();
    state.frame += 1;
    $("slider").value = String(state.frame);
    render();
  }, PLAY_INTERVAL_MS);
}

function hover(hit, mouse) {
  const tip = $("tooltip");
  if (!hit) { tip.hidden = true; return; }
  tip.hidden = false;
  tip.innerHTML = eventTooltip(state.events.columns, hit.row, provinceName, nearestPlace);
  const rect = state.view.canvas.getBoundingClientRect();
  tip.style.left = `${mouse.clientX - rect.left + 12}px`;
  tip.style.top = `${mouse.clientY - rect.top + 12}px`;
}

function pick(hit) {
  state.selected = hit;
  $("event-details").innerHTML = hit
    ? eventDetails(state.events.columns, hit.row, provinceName, nearestPlace)
    : "none: click an attack on the map";
  render();
}

function tabs() {
  for (const button of document.querySelectorAll(".tab")) {
    button.addEventListener("click", () => {
      for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b === button);
      for (const page of document.querySelectorAll(".tab-page")) page.hidden = page.id !== `tab-${button.dataset.tab}`;
      if (button.dataset.tab === "compare") showComparison(state).catch(showError);
      if (button.dataset.tab === "provenance") showProvenance(state).catch(showError);
    });
  }
}

async function start() {
  state.catalog = await get("catalog");
  if (state.catalog.api_version !== API_VERSION) {
    throw new Error(`the server speaks API version ${state.catalog.api_version}, this page ${API_VERSION}: rebuild the viewer`);
  }
  $("source").textContent = state.catalog.source;
  state.map = await get("map");
  // One colour per tactic for the whole session, in the label order of the series attacks_by_tactic.
  const tactics = [...new Set(state.catalog.scenarios.flatMap((s) => s.tactics || []))];
  state.tacticColours = tacticColours(tactics);
  if (state.map.available) {
    state.view = new MapView($("map"), state.map, { onHover: hover, onPick: pick });
  } else { // a model without geography: the series and comparisons only
    for (const id of ["map", "cmp-map"]) $(id).parentElement.outerHTML = `<p class="muted">No map: ${state.map.reason}.</p>`;
  }
  const names = state.catalog.scenarios.map((s) => s.name);
  const first = names.find((n) => scenarioInfo(n).has_events) || names[0];
  options($("scenario"), names, String, names.indexOf(first));
  $("scenario").addEventListener("change", (e) => selectScenario(names[Number(e.target.value)]).catch(showError));
  $("run").addEventListener("change", (e) => selectRun(Number(e.target.value)).catch(showError));
  $("field").addEventListener("change", () => loadField().then(render).catch(showError));
  $("slider").addEventListener("input", (e) => { state.frame = Number(e.target.value); render(); });
  $("play").addEventListener("click", play);
  tabs();
  state.frame = Number.POSITIVE_INFINITY; // open on the last snapshot: every attack of the run
  await selectScenario(first);
  document.body.dataset.ready = "true";
}

start().catch(showError);

// Time-series panels (uPlot): per scenario the ensemble median with its 50 % and 90 % bands,
// the timeline's dated events as dotted lines, and the slider's date as a solid line. Panels
// share a cursor; a click on a panel moves the slider to that date.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const DAY_S = 86400;
export const toSeconds = (date) => Date.parse(`${date}T00:00:00Z`) / 1000;

function hexToRgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

// Several scenarios' bands on one date axis (their dates may differ: union of days, gaps as null).
function alignedData(results) {
  const days = new Set();
  for (const r of results) for (const d of r.dates) days.add(d);
  const dates = [...days].sort();
  const index = new Map(dates.map((d, i) => [d, i]));
  const xs = dates.map(toSeconds);
  const columns = [xs];
  for (const r of results) {
    const cols = [r.band90[0], r.band90[1], r.band50[0], r.band50[1], r.median].map(() => new Array(xs.length).fill(null));
    r.dates.forEach((d, k) => {
      const i = index.get(d);
      cols[0][i] = r.band90[0][k]; cols[1][i] = r.band90[1][k];
      cols[2][i] = r.band50[0][k]; cols[3][i] = r.band50[1][k]; cols[4][i] = r.median[k];
    });
    columns.push(...cols);
  }
  return columns;
}

export class SeriesPanel {
  // results: [{scenario, colour, ...series API answer}]; marks: [{date, label}]
  constructor(container, results, { marks = [], width = 560, height = 210, onPickDate, since } = {}) {
    this.marks = marks.map((m) => ({ ...m, t: toSeconds(m.date) }));
    this.current = null;
    this.since = since ? toSeconds(since) : null;
    const el = document.createElement("div");
    el.className = "panel";
    el.dataset.spec = results[0].spec;
    const head = document.createElement("div");
    head.className = "panel-title";
    const kind = results.every((r) => r.replicas === 1) ? "one run" : "median, 50 % and 90 % bands";
    head.textContent = `${results[0].title} (${kind})`;
    el.appendChild(head);
    const legend = document.createElement("div");
    legend.className = "panel-legend";
    legend.innerHTML = results.map((r) =>
      `<span><i style="background:${r.colour}"></i>${r.scenario} (${r.replicas} run${r.replicas > 1 ? "s" : ""})</span>`).join("");
    container.appendChild(el);
    const series = [{}];
    const bands = [];
    results.forEach((r, k) => {
      const base = 1 + 5 * k;
      for (const label of ["5 %", "95 %", "25 %", "75 %"]) {
        series.push({ label: `${r.scenario} ${label}`, stroke: "transparent", points: { show: false } });
      }
      series.push({ label: `${r.scenario} median`, stroke: r.colour, width: 1.6, points: { show: false } });
      bands.push({ series: [base + 1, base], fill: hexToRgba(r.colour, 0.13) });
      bands.push({ series: [base + 3, base + 2], fill: hexToRgba(r.colour, 0.3) });
    });
    const self = this;
    this.plot = new uPlot({
      width, height, series, bands,
      legend: { show: false },
      cursor: { sync: { key: "borderland" }, drag: { x: false, y: false } },
      axes: [{}, { label: results[0].ylabel, labelSize: 18, size: 56 }],
      scales: { x: { time: true } },
      hooks: { draw: [(u) => self.drawMarks(u)] },
    }, alignedData(results), el);
    el.appendChild(legend);
    if (onPickDate) {
      this.plot.over.addEventListener("click", () => {
        const t = this.plot.posToVal(this.plot.cursor.left, "x");
        onPickDate(new Date(Math.round(t / DAY_S) * DAY_S * 1000).toISOString().slice(0, 10));
      });
    }
  }

  drawMarks(u) {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    const [x0, x1] = [u.scales.x.min, u.scales.x.max];
    ctx.save();
    ctx.font = `${10 * devicePixelRatio}px sans-serif`;
    this.marks.forEach((m, i) => {
      if (m.t < x0 || m.t > x1) return;
      const x = u.valToPos(m.t, "x", true);
      ctx.strokeStyle = "#b2182b";
      ctx.setLineDash([3, 3]);
      ctx.lineWidth = devicePixelRatio;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = "#b2182b";
      ctx.fillText(m.label, x + 3 * devicePixelRatio, top + (11 + 11 * (i % 2)) * devicePixelRatio); // staggered
    });
    if (this.since !== null && this.since >= x0 && this.since <= x1) {
      const x = u.valToPos(this.since, "x", true);
      ctx.strokeStyle = "#555"; ctx.setLineDash([6, 3]); ctx.lineWidth = devicePixelRatio;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke(); ctx.setLineDash([]);
    }
    if (this.current !== null) {
      const x = u.valToPos(this.current, "x", true);
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 1.5 * devicePixelRatio;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
    }
    ctx.restore();
  }

  setDate(date) {
    this.current = date ? toSeconds(date) : null;
    this.plot.redraw(false);
  }

  destroy() { this.plot.destroy(); }
}

// Filters of the events: tactic, target, faction and province (checkbox groups of the values
// the run's events hold) and a date range. `matches(row)` says whether event `row` passes.
function group(container, key, title, values, labelOf, swatches) {
  const box = document.createElement("fieldset");
  box.className = "filter";
  box.dataset.filter = key;
  const legend = document.createElement("legend");
  legend.innerHTML = `${title} <button type="button" class="link" data-all="${key}">all</button>` +
    `<button type="button" class="link" data-none="${key}">none</button>`;
  box.appendChild(legend);
  for (const value of values) {
    const label = document.createElement("label");
    const swatch = swatches ? `<i class="dot" style="background:${swatches[value]}"></i>` : "";
    label.innerHTML = `<input type="checkbox" checked data-key="${key}" value="${String(value)}">${swatch}${labelOf(value)}`;
    box.appendChild(label);
  }
  container.appendChild(box);
}

export class Filters {
  // events: the API's columnar events; provinceName: id -> name; onChange: called after any change
  constructor(container, events, { provinceName, tacticColours, first, last, onChange }) {
    this.container = container;
    this.onChange = onChange;
    container.innerHTML = "";
    const cols = events.columns;
    const distinct = (name) => [...new Set(cols[name] || [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.keys = ["tactic", "target", "faction", "province"].filter((k) => cols[k]);
    if (cols.tactic) group(container, "tactic", "tactic", distinct("tactic"), String, tacticColours);
    if (cols.target) group(container, "target", "target", distinct("target"), String);
    if (cols.faction) group(container, "faction", "faction", distinct("faction"), String);
    if (cols.province) group(container, "province", "province", distinct("province"),
      (id) => provinceName(id) || `province ${id}`);
    const dates = document.createElement("fieldset");
    dates.className = "filter";
    dates.innerHTML = `<legend>dates</legend><label>from <input type="date" id="date-from" value="${first}"
      min="${first}" max="${last}"></label><label>to <input type="date" id="date-to" value="${last}"
      min="${first}" max="${last}"></label>`;
    container.appendChild(dates);
    container.addEventListener("change", () => this.changed());
    container.addEventListener("click", (e) => {
      const all = e.target.dataset.all;
      const none = e.target.dataset.none;
      if (!all && !none) return;
      for (const box of container.querySelectorAll(`input[data-key="${all || none}"]`)) box.checked = Boolean(all);
      this.changed();
    });
    this.read();
  }

  read() {
    this.allowed = {};
    for (const key of this.keys) {
      this.allowed[key] = new Set([...this.container.querySelectorAll(`input[data-key="${key}"]:checked`)]
        .map((box) => box.value));
    }
    this.from = this.container.querySelector("#date-from").value;
    this.to = this.container.querySelector("#date-to").value;
  }

  changed() {
    this.read();
    this.onChange();
  }

  // Row i of the columnar events passes every filter and lies in [from, min(to, until)].
  matches(cols, i, until) {
    for (const key of this.keys) if (!this.allowed[key].has(String(cols[key][i]))) return false;
    const date = cols.date[i];
    return date >= this.from && date <= this.to && date <= until;
  }
}

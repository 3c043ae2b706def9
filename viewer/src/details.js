// The text of a hovered or clicked attack: its row of /events, its province's name and the
// nearest place of the map's gazetteer (with the distance).
const DEATH_COLUMNS = ["killed_police", "killed_army", "killed_civilians", "killed_militants"];
const escape = (v) => String(v).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function nearestText(cols, i, nearestPlace) {
  const near = nearestPlace(cols.lon[i], cols.lat[i]);
  return near ? `${escape(near.name)} (${near.km.toFixed(0)} km)` : "";
}

export function eventTooltip(cols, i, provinceName, nearestPlace) {
  const killed = DEATH_COLUMNS.filter((c) => cols[c]).map((c) => `${c.slice(7)} ${cols[c][i]}`).join(", ");
  return `<b>${escape(cols.date[i])}</b> ${escape(cols.tactic[i])} on ${escape(cols.target?.[i] ?? "?")}<br>
    ${escape(cols.faction?.[i] ?? "")}, ${escape(provinceName(cols.province?.[i]) ?? "")}<br>
    near ${nearestText(cols, i, nearestPlace)}<br>killed: ${killed}`;
}

// Every column of the row, the province's name beside its id, and the nearest place.
export function eventDetails(cols, i, provinceName, nearestPlace) {
  const rows = Object.keys(cols).map((c) => {
    let value = escape(cols[c][i]);
    if (c === "province") value += ` (${escape(provinceName(cols[c][i]) ?? "?")})`;
    return `<tr><th>${escape(c)}</th><td>${value}</td></tr>`;
  });
  rows.push(`<tr><th>nearest place</th><td data-testid="nearest-place">${nearestText(cols, i, nearestPlace)}</td></tr>`);
  return `<table class="kv" data-row="${i}">${rows.join("")}</table>`;
}

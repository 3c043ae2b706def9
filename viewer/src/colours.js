// Colour scales of the viewer: a sequential scale for snapshot fields, a diverging one for
// differences against the baseline, and one colour per tactic (categorical, colour-blind safe).

// YlOrRd-like stops: saturated enough to read over the light grey province tints.
const SEQUENTIAL = [[255, 255, 178], [254, 204, 92], [253, 141, 60], [240, 59, 32], [189, 0, 38], [110, 0, 30]];
// Blue (fewer, better) - white - red (more, worse).
const DIVERGING = [[33, 102, 172], [103, 169, 207], [209, 229, 240], [247, 247, 247], [253, 219, 199],
  [239, 138, 98], [178, 24, 43]];

function ramp(stops, t) {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
}

export const sequential = (t) => ramp(SEQUENTIAL, t);
export const diverging = (t) => ramp(DIVERGING, (t + 1) / 2); // t in -1..1
export const css = ([r, g, b], a = 1) => `rgba(${r},${g},${b},${a})`;

// Okabe-Ito palette (colour-blind safe), in the order of the model's tactic labels.
const TACTIC_PALETTE = ["#D55E00", "#CC79A7", "#E69F00", "#0072B2", "#009E73", "#56B4E9", "#000000", "#F0E442"];
export function tacticColours(tactics) {
  return Object.fromEntries(tactics.map((t, i) => [t, TACTIC_PALETTE[i % TACTIC_PALETTE.length]]));
}

// Light, neutral province tints (greys with a hint of hue) so that a field's colours stay readable.
export const PROVINCE_TINTS = [[236, 236, 232], [226, 228, 230], [232, 230, 224], [222, 226, 222], [230, 226, 230]];
export const OTHER_LAND = [246, 246, 244];
export const SEA = [214, 228, 240];

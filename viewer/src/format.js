// Text on the page: numbers as the project's text tables print them (Python's "{:+.4g}" and
// "{:.4g}"), so the page and `python3 -m borderland compare` show the same digits; HTML escaping.
// The exact decimal digits of |value| (a double's expansion is finite: toFixed(100) is exact
// below 1e21, BigInt above) and the position of the decimal point in them.
function exactDigits(abs) {
  const text = abs < 1e21 ? abs.toFixed(100) : BigInt(abs).toString();
  const [whole, frac = ""] = text.split(".");
  return { digits: whole + frac, point: whole.length };
}

// |value| rounded to `precision` significant digits, half to even on exact ties as Python does:
// the digits (exactly `precision` of them) and the decimal exponent of the first.
function significant(abs, precision) {
  const { digits, point } = exactDigits(abs);
  const first = digits.search(/[1-9]/);
  let exponent = point - 1 - first;
  const kept = digits.slice(first, first + precision).padEnd(precision, "0");
  const rest = digits.slice(first + precision);
  const tie = /^50*$/.test(rest);
  const up = rest > "5" && !tie ? true : tie ? Number(kept[kept.length - 1]) % 2 === 1 : false;
  let rounded = up ? (BigInt(kept) + 1n).toString() : kept;
  if (rounded.length > precision) { // 9.995 -> 10.00: one more digit, one more decade
    rounded = rounded.slice(0, precision);
    exponent += 1;
  }
  return { rounded, exponent };
}

// Python's format(value, ".Pg") / "+.Pg": fixed notation for exponents -4 <= X < P, else
// d.ddde+XX; trailing zeros dropped.
export function g(value, digits = 4, sign = false) {
  if (value === null || value === undefined || Number.isNaN(value)) return "nan";
  const plus = value < 0 || Object.is(value, -0) ? "-" : sign ? "+" : "";
  if (!Number.isFinite(value)) return `${plus}inf`;
  if (value === 0) return `${plus}0`;
  const { rounded, exponent } = significant(Math.abs(value), digits);
  const strip = (text) => (text.includes(".") ? text.replace(/\.?0+$/, "") : text);
  if (exponent < -4 || exponent >= digits) {
    const mantissa = strip(rounded.length > 1 ? `${rounded[0]}.${rounded.slice(1)}` : rounded);
    return `${plus}${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  let text;
  if (exponent >= 0) {
    const fraction = rounded.slice(exponent + 1);
    text = fraction ? `${rounded.slice(0, exponent + 1)}.${fraction}` : rounded;
  } else {
    text = `0.${"0".repeat(-exponent - 1)}${rounded}`;
  }
  return plus + strip(text);
}

// Python's format(value, ".Nf") / "+.Nf": N decimals, half to even on exact ties (0.125 -> 0.12).
export function fixed(value, places, sign = false) {
  if (value === null || value === undefined || Number.isNaN(value)) return "nan";
  const plus = value < 0 ? "-" : sign ? "+" : "";
  if (!Number.isFinite(value)) return `${plus}inf`;
  const { digits, point } = exactDigits(Math.abs(value));
  const kept = digits.slice(0, point + places);
  const rest = digits.slice(point + places);
  const tie = /^50*$/.test(rest);
  const up = tie ? Number(kept[kept.length - 1]) % 2 === 1 : rest > "5";
  const n = (up ? BigInt(kept) + 1n : BigInt(kept)).toString().padStart(places + 1, "0");
  const text = places ? `${n.slice(0, n.length - places)}.${n.slice(n.length - places)}` : n;
  return plus + text;
}

// Text for innerHTML: the five characters HTML gives a meaning, escaped.
export const escape = (v) => String(v ?? "").replace(/[&<>"']/g, (c) =>
  ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

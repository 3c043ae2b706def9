// Numbers as the project's text tables print them (Python's "{:+.4g}" and "{:.4g}"), so the
// page and `python3 -m borderland compare` show the same digits.
export function g(value, digits = 4, sign = false) {
  if (value === null || value === undefined || Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return (value > 0 ? (sign ? "+" : "") : "-") + "inf";
  const plus = sign && value >= 0 ? "+" : "";
  if (value === 0) return `${plus}0`;
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(digits)))));
  let text;
  if (exponent < -4 || exponent >= digits) {
    const [mantissa, exp] = value.toExponential(digits - 1).split("e");
    const m = mantissa.includes(".") ? mantissa.replace(/\.?0+$/, "") : mantissa;
    const e = Number(exp);
    text = `${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  } else {
    text = value.toFixed(Math.max(0, digits - 1 - exponent));
    if (text.includes(".")) text = text.replace(/\.?0+$/, "");
  }
  return plus + text;
}

export const fixed = (value, places, sign = false) =>
  value === null || value === undefined ? "nan" : (sign && value >= 0 ? "+" : "") + value.toFixed(places);

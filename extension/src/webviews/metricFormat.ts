// Pure: how the webviews write a metric's value and the difference of two (the graph's scope picker, the
// Experiments panel and its comparison), the way the sidecar's render.diff_values.number and .difference write them
// in `trackit experiments`, `show` and `diff` (wordingContract.test.ts runs both over the same values).
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "NaN";
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : withoutTrailingZeros(value.toPrecision(4));
}

/** "0.8500" -> "0.85", "1.200e-7" -> "1.2e-7"; a whole number keeps its zeros (999.97 is "1000", not "1"). */
function withoutTrailingZeros(text: string): string {
  const [mantissa, exponent] = text.split("e");
  const kept = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  return exponent === undefined ? kept : `${kept}e${exponent}`;
}

/** A difference of two metrics, signed, to the decimals formatMetric shows its values with: accuracy 0.8525 → 0.857
 * is "+0.0045", not "+0.004508", a precision neither value shows (the sidecar's render.diff_values.difference says it
 * the same way in `trackit diff` and the evidence lines). One below their last decimal keeps a digit. */
export function formatDifference(delta: number | null | undefined, ...values: (number | null | undefined)[]): string {
  if (delta === null || delta === undefined || Number.isNaN(delta)) return "NaN";
  if (delta === 0) return "\u00b10";
  const decimals = values
    .filter((v): v is number => typeof v === "number" && Number.isFinite(v))
    .map((v) => (formatMetric(v).split(".")[1] ?? "").length);
  const places = decimals.length > 0 ? Math.max(...decimals) : undefined;
  const rounded = places !== undefined ? delta.toFixed(places) : "";
  const text = rounded && Number(rounded) !== 0 ? rounded : delta.toPrecision(1);
  return text.startsWith("-") ? `\u2212${text.slice(1)}` : `+${text}`;
}

// Pure: how the webviews write a metric's value and the difference of two (the graph's scope picker, the
// Experiments panel and its comparison), the way the sidecar's render.diff_values.difference says them.
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "NaN";
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(4).replace(/\.?0+$/, "");
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

/**
 * Exact decimals. Money is counted in integer fen (分), ratios in basis points of 1/10000, rates
 * in millionths: the strings written to numeric columns never pass through float rounding.
 */

function fixed(units: number, places: number): string {
  if (!Number.isSafeInteger(units)) throw new Error(`not an exact integer: ${units}`);
  const sign = units < 0 ? "-" : "";
  const abs = Math.abs(units);
  const scale = 10 ** places;
  return `${sign}${Math.trunc(abs / scale)}.${String(abs % scale).padStart(places, "0")}`;
}

/** fen → "1234.56" */
export const yuan = (fen: number) => fixed(fen, 2);
/** basis points → "0.6000" (shares, ratios, rate floats) */
export const ratio4 = (bp: number) => fixed(bp, 4);
/** millionths → "0.003500" (premium rates) */
export const rate6 = (micro: number) => fixed(micro, 6);

/** round(a × b / d) for non-negative integers, exact even when a × b exceeds 2^53. */
export function mulDiv(a: number, b: number, d: number): number {
  const num = BigInt(a) * BigInt(b);
  const den = BigInt(d);
  return Number((num * 2n + den) / (den * 2n));
}

/**
 * GB/T 2260 codes: a region's subtree is every code that starts with its significant prefix
 * (500000 → "50", 411000 → "4110", 411025 → "411025", 411025100 → "411025100").
 * Scoping compares prefixes in SQL (LIKE 'p%' on a text_pattern_ops index).
 */
export function regionPrefix(code: string): string {
  if (code.length === 9) return code;
  if (code.endsWith("0000")) return code.slice(0, 2);
  if (code.endsWith("00")) return code.slice(0, 4);
  return code;
}

export function regionLevel(code: string): 1 | 2 | 3 | 4 {
  if (code.length === 9) return 4;
  if (code.endsWith("0000")) return 1;
  if (code.endsWith("00")) return 2;
  return 3;
}

export function inRegion(code: string, ancestor: string): boolean {
  return code.startsWith(regionPrefix(ancestor));
}

export { readsTradeSecrets } from "./audiences.js";

/**
 * The small-cell rule (stated in full in src/modules/access.ts): an aggregate of trade secrets (premium,
 * fund amounts) is shown to a caller who may not read trade secrets only when the cell it sums is
 * empty or holds at least MIN_POLICIES policies of at least MIN_INSURERS insurers; otherwise the
 * figure is withheld (null) and its path listed. The reporting and assessment modules apply it, with
 * the complementary suppression each of their layouts needs.
 */
export const SMALL_CELL = { minPolicies: 3, minInsurers: 2 } as const;

/** What a cell sums: distinct policies and distinct insurers behind one money figure. */
export interface Contributors {
  policies: number;
  insurers: number;
}

export const NO_CONTRIBUTORS: Contributors = { policies: 0, insurers: 0 };

/** An unknown cell (undefined: e.g. a snapshot stored before the counts were kept) never passes. */
export function cellPasses(c: Contributors | undefined | null): boolean {
  if (!c) return false;
  return c.policies === 0 || (c.policies >= SMALL_CELL.minPolicies && c.insurers >= SMALL_CELL.minInsurers);
}


export const SMALL_CELL_NOTE =
  "小单元规则：少于3张保单或只涉及1家保险机构的保费、事故预防费用金额不予显示 / small-cell rule: premium and prevention-fund amounts of fewer than 3 policies or of a single insurer are withheld";

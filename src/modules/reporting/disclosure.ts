import { cellPasses, readsTradeSecrets } from "../../auth/small-cell.js";
import type { Viewer } from "../../auth/viewer.js";
import { canonicalJson } from "../idempotency/service.js";
import type { CellBasis, QuarterlyFigures, QuarterlyReport, QuarterlyReportSubmission } from "./types.js";

/**
 * The small-cell rule on a quarterly report (src/modules/access.ts states it; src/auth/small-cell.ts
 * holds the threshold). Reports are computed and stored whole; every copy handed to a reader goes
 * through discloseReport, which for a reader who may not read trade secrets nulls the premium and
 * fund amounts the rule withholds and lists their paths in `withheld`. The API (resolver.ts) and the
 * exports (export.ts) both call it.
 */

type Family = "premium" | "extracted" | "used";
const FAMILIES: Family[] = ["premium", "extracted", "used"];
const basisOf = (b: CellBasis | undefined, f: Family) => (b ? (f === "premium" ? b.premium : f === "extracted" ? b.extraction : b.use) : undefined);

/** The report as the viewer may see it: a copy, with `withheld` always set ([] for a reader of trade secrets). */
export function discloseReport<R extends Omit<QuarterlyReport, "periodStart" | "periodEnd" | "dueAt" | "computedAt">>(report: R, viewer: Pick<Viewer, "role">): R {
  if (readsTradeSecrets(viewer)) return { ...report, withheld: [] };
  const r: R = structuredClone(report);
  const withheld: string[] = [];
  const basis = report.disclosure;
  const ended = report.quarterEnded === true;
  const sectorBases = basis && basis.bySector.length === r.bySector.length ? basis.bySector : undefined;

  // rules 1 and 2: overall on its own; bySector all rows or none; byRegion never
  const show = {
    overall: Object.fromEntries(FAMILIES.map((f) => [f, ended && cellPasses(basisOf(basis?.overall, f))])) as Record<Family, boolean>,
    bySector: Object.fromEntries(FAMILIES.map((f) => [f, ended && !!sectorBases && sectorBases.every((b) => cellPasses(basisOf(b, f)))])) as Record<Family, boolean>,
  };
  const categoryCells = [basis?.overall, ...(sectorBases ?? [undefined])];
  const categoriesPass = ended && categoryCells.every((b) => !!b && Object.values(b.categories).every((c) => cellPasses(c)));

  const apply = (f: QuarterlyFigures, at: string, s: Record<Family, boolean>) => {
    const hide = (obj: Record<string, unknown>, key: string, path: string) => {
      obj[key] = null;
      withheld.push(`${at}.${path}`);
    };
    if (!s.premium) hide(f.insurance as never, "premiumTotal", "insurance.premiumTotal");
    if (!s.extracted) hide(f.preventionFund as never, "extracted", "preventionFund.extracted");
    if (!s.used) hide(f.preventionFund as never, "used", "preventionFund.used");
    if (!s.extracted || !s.used) hide(f.preventionFund as never, "usedToExtractedRatio", "preventionFund.usedToExtractedRatio");
    if (!s.used || !categoriesPass) {
      f.preventionFund.useByCategory.forEach((c, i) => hide(c as never, "amount", `preventionFund.useByCategory[${i}].amount`));
    }
  };
  apply(r.overall, "overall", show.overall);
  r.bySector.forEach((f, i) => apply(f, `bySector[${i}]`, show.bySector));
  const none = { premium: false, extracted: false, used: false };
  r.byRegion.forEach((f, i) => apply(f, `byRegion[${i}]`, none));
  return { ...r, withheld };
}

/** A stored submission as the viewer may see it: its report, and `figures` re-serialized from that copy. */
export function discloseSubmission(s: QuarterlyReportSubmission, viewer: Pick<Viewer, "role">): QuarterlyReportSubmission {
  const report = discloseReport(s.report, viewer);
  if (readsTradeSecrets(viewer)) return { ...s, report };
  // contentHash and hashVerified stay those of the stored snapshot: whoever reads it whole can check them
  return { ...s, report, figures: canonicalJson(JSON.parse(JSON.stringify(report))) };
}

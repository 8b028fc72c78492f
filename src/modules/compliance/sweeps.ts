import { sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { formatCst } from "../../graphql/scalars.js";
import { effectiveRules } from "../../rules/profiles.js";
import { mandatoryCondition } from "../../rules/mandatory-sql.js";
import { insuredAt } from "../enterprises/service.js";
import { syncRuleEverywhere } from "./service.js";

const DAY = 86_400_000;

/**
 * 断保 (lapse): a mandatory, operating enterprise that had cover, has none at `asOf`, and whose last
 * policy ended (or was cancelled) more than the region's grace days ago. Never-insured enterprises
 * are the uninsured list's business, not a lapse. One statement reads every candidate.
 */
export async function sweepLapses(db: Executor, asOf: Date): Promise<number> {
  const at = sql`${asOf.toISOString()}::timestamptz`;
  const candidates = (await db.execute(sql`
    select enterprises.uscc, enterprises.region_code, max(least(coalesce(p.cancelled_at, p.end_at), p.end_at)) as last_end
    from enterprises
    join policy_enterprises pe on pe.enterprise_uscc = enterprises.uscc
    join policies p on p.id = pe.policy_id
    where enterprises.status = 'OPERATING' and ${mandatoryCondition()} and not ${insuredAt(at)} and p.start_at <= ${at}
    group by enterprises.uscc, enterprises.region_code`)) as unknown as { rows: { uscc: string; region_code: string; last_end: string | Date }[] };
  const drafts = candidates.rows.flatMap((r) => {
    const rules = effectiveRules(r.region_code);
    const grace = rules.lapseGraceDays?.value ?? 0;
    const lastEnd = new Date(r.last_end);
    const days = Math.floor((asOf.getTime() - lastEnd.getTime()) / DAY);
    if (days < grace) return [];
    return [{
      subjectKey: r.uscc,
      ruleCode: "LAPSED",
      severity: "VIOLATION" as const,
      message: `应投保单位自 ${formatCst(lastEnd).slice(0, 10)} 起断保 / mandatory enterprise without cover since ${formatCst(lastEnd).slice(0, 10)}`,
      source: [...(rules.lapseGraceDays?.sources ?? ["应急〔2025〕27号 第十六条"]), ...(rules.penalty?.sources ?? [])].join("; "),
      enterpriseUscc: r.uscc,
      insurerUscc: null,
      policyId: null,
    }];
  });
  await syncRuleEverywhere(db, "LAPSED", "ENTERPRISE", drafts);
  return drafts.length;
}

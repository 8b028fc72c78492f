import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.js";
import { inRegion } from "../../domain/regions.js";
import { rateFloatBand } from "../../rules/float.js";
import { evaluatePolicy, POLICY_RULES, type FindingDraft, type PolicyFacts } from "../../rules/findings.js";
import { effectiveRules, type EffectiveRules } from "../../rules/profiles.js";
import { enterprises, policies, policyEnterprises } from "../../../schema/index.js";
import { syncFindingsOf } from "../compliance/service.js";
import type { EnterpriseFacts } from "./commands.js";

/**
 * The compliance findings of policies (rules/findings.ts decides; this module gathers the facts
 * and keeps the stored findings in step). Each insured enterprise of a policy is judged on its own.
 */

/**
 * (Re)evaluates the findings of policies: two statements read them, one their facts, two write
 * the findings, whatever the number of policies.
 */
export async function evaluatePolicyFindings(tx: Tx, policyIds: number[]): Promise<void> {
  if (!policyIds.length) return;
  // in a fixed order (policy, then member USCC as code units), which filePolicies' batch path follows too
  const pols = await tx.select().from(policies).where(inArray(policies.id, policyIds)).orderBy(policies.id);
  const links = await tx
    .select({ policyId: policyEnterprises.policyId, headcount: policyEnterprises.insuredHeadcount, e: enterprises })
    .from(policyEnterprises)
    .innerJoin(enterprises, eq(enterprises.uscc, policyEnterprises.enterpriseUscc))
    .where(inArray(policyEnterprises.policyId, policyIds))
    .orderBy(policyEnterprises.policyId, sql`${policyEnterprises.enterpriseUscc} collate "C"`);
  const list = pols.map((pol) => ({ pol, members: links.filter((l) => l.policyId === pol.id) }));
  if (!list.length) return;
  const facts = parseJudgingFacts(rowOf(await tx.execute(judgingFactsSql(factsScope(list)))));
  await syncFindingsOf(tx, "POLICY", POLICY_RULES, draftPolicyFindings(list, facts));
}

/** A stored policy and its insured enterprises, to be judged against the rules. */
export interface PolicyToJudge {
  pol: PolicyFacts;
  members: { e: EnterpriseFacts; headcount: number }[];
}

export interface OtherPolicy {
  uscc: string;
  id: number;
  startAt: Date;
  endAt: Date;
  /** the death limit per person, as stored ("500000.00") */
  limit: string;
}

/** What the rules read besides the policies and their enterprises. */
export interface JudgingFacts {
  /** the enterprises' policies in force during the period judged (not cancelled), by id */
  others: OtherPolicy[];
  quals: { orgUscc: string; regionCode: string; status: string }[];
  accs: { uscc: string; occurredAt: Date; grade: string; deaths: number }[];
  majors: { uscc: string; n: number }[];
}

const rowOf = (res: unknown) => (res as { rows: Record<string, unknown>[] }).rows[0];

/** The enterprises, insurers and period whose facts are read. */
export interface FactsScope {
  usccs: string[];
  insurerUsccs: string[];
  from: Date;
  to: Date;
}

/** The scope that covers `list`. */
export function factsScope(list: readonly PolicyToJudge[]): FactsScope {
  return {
    usccs: [...new Set(list.flatMap((x) => x.members.map((m) => m.e.uscc)))],
    insurerUsccs: [...new Set(list.map((x) => x.pol.insurerUscc))],
    // only policies overlapping one of these can matter: the period bounds are an index-friendly pre-filter
    from: new Date(Math.min(...list.map((x) => x.pol.startAt.getTime()))),
    to: new Date(Math.max(...list.map((x) => x.pol.endAt.getTime()))),
  };
}

/**
 * One row with the facts as json columns (others, quals, accs, majors): a statement of its own, or
 * a part of a larger one (filePolicies reads them with the stored policy numbers).
 */
export function judgingFactsSql({ usccs, insurerUsccs, from, to }: FactsScope): SQL {
  const u = JSON.stringify(usccs);
  return sql`select
    (select coalesce(json_agg(json_build_object('uscc', pe.enterprise_uscc, 'id', p.id, 'startAt', p.start_at, 'endAt', p.end_at, 'limit', p.death_limit_per_person::text) order by p.id), '[]')
       from policy_enterprises pe join policies p on p.id = pe.policy_id
       where pe.enterprise_uscc in (select json_array_elements_text(${u}::json)) and p.cancelled_at is null
         and p.start_at < ${to.toISOString()}::timestamptz and p.end_at > ${from.toISOString()}::timestamptz) as others,
    (select coalesce(json_agg(json_build_object('orgUscc', q.org_uscc, 'regionCode', q.region_code, 'status', q.status)), '[]')
       from qualifications q where q.org_kind = 'INSURER' and q.org_uscc in (select json_array_elements_text(${JSON.stringify(insurerUsccs)}::json))) as quals,
    (select coalesce(json_agg(json_build_object('uscc', a.enterprise_uscc, 'occurredAt', a.occurred_at, 'grade', a.grade, 'deaths', a.deaths)), '[]')
       from accidents a where a.enterprise_uscc in (select json_array_elements_text(${u}::json))) as accs,
    (select coalesce(json_agg(json_build_object('uscc', h.uscc, 'n', h.n)), '[]') from (select enterprise_uscc as uscc, count(*)::int as n from hazards
       where enterprise_uscc in (select json_array_elements_text(${u}::json)) and severity = 'MAJOR' and status <> 'RECTIFIED' group by enterprise_uscc) h) as majors`;
}

/** The facts from judgingFactsSql's row; json carries instants as ISO 8601 text with an offset. */
export function parseJudgingFacts(row: Record<string, unknown>): JudgingFacts {
  const f = row as { others: (OtherPolicy & { startAt: string; endAt: string })[]; quals: JudgingFacts["quals"]; accs: (JudgingFacts["accs"][number] & { occurredAt: string })[]; majors: JudgingFacts["majors"] };
  return {
    others: f.others.map((o) => ({ ...o, startAt: new Date(o.startAt), endAt: new Date(o.endAt) })),
    quals: f.quals,
    accs: f.accs.map((a) => ({ ...a, occurredAt: new Date(a.occurredAt) })),
    majors: f.majors,
  };
}

const groupBy = <T>(rows: readonly T[], key: (r: T) => string) => {
  const m = new Map<string, T[]>();
  for (const r of rows) m.get(key(r))?.push(r) ?? m.set(key(r), [r]);
  return m;
};

/**
 * The findings each (policy, member) should have open now, in list order, for syncFindingsOf.
 * `counts(pol, otherId)` says whether another policy of the same enterprise counts for
 * PER_PERSON_AMOUNT_DIFFERS (filePolicies leaves out the ones filed after `pol` in its batch,
 * which a one-by-one filing would not have seen yet).
 */
export function draftPolicyFindings(
  list: readonly PolicyToJudge[],
  { others, quals, accs, majors }: JudgingFacts,
  counts: (pol: PolicyFacts, otherId: number) => boolean = () => true,
): { key: string; drafts: FindingDraft[] }[] {
  const othersOf = groupBy(others, (o) => o.uscc);
  const accsOf = groupBy(accs, (a) => a.uscc);
  const majorsOf = new Map(majors.map((m) => [m.uscc, m.n]));
  const rulesOf = new Map<string, EffectiveRules>();
  const records: { key: string; drafts: FindingDraft[] }[] = [];
  for (const { pol, members } of list) {
    for (const link of members) {
      const e = link.e;
      const rules = rulesOf.get(e.regionCode) ?? rulesOf.set(e.regionCode, effectiveRules(e.regionCode)).get(e.regionCode)!;
      // the narrowest region on the enterprise's ancestry that lists the insurer decides
      const qual = quals
        .filter((q) => q.orgUscc === pol.insurerUscc && inRegion(e.regionCode, q.regionCode))
        .sort((a, b) => b.regionCode.replace(/0+$/, "").length - a.regionCode.replace(/0+$/, "").length)[0];
      const registryApplies = !!rules.insurerRegistry?.value || quals.some((q) => inRegion(e.regionCode, q.regionCode));
      const band = rateFloatBand(rules, {
        accidents: (accsOf.get(e.uscc) ?? []).map((a) => ({ occurredAt: a.occurredAt, grade: a.grade as any, deaths: a.deaths })),
        unrectifiedMajorHazards: majorsOf.get(e.uscc) ?? 0,
        asOf: pol.startAt,
      });
      const otherDeathLimits = (othersOf.get(e.uscc) ?? [])
        .filter((o) => o.id !== pol.id && o.startAt < pol.endAt && o.endAt > pol.startAt && counts(pol, o.id))
        .map((o) => o.limit);
      const drafts = evaluatePolicy(
        pol,
        {
          uscc: e.uscc,
          sector: e.sector,
          riskTags: e.riskTags,
          status: e.status,
          employeeCount: e.employeeCount,
          insuredHeadcount: link.headcount,
          otherDeathLimits,
          insurerQualification: qual?.status ?? null,
          registryApplies,
        },
        rules,
        band,
      );
      records.push({ key: `${pol.id}:${e.uscc}`, drafts });
    }
  }
  return records;
}

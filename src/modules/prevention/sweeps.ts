import { and, eq, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import {
  evaluateHazard, evaluateServicePlan, evaluateSpend, fundSubjectKey, hazardSubjectKey, servicePlanSubjectKey, SUBJECT,
  type HazardFacts, type ServicePlanFacts, type SpendFacts,
} from "../../rules/prevention-findings.js";
import { effectiveRules, type EffectiveRules } from "../../rules/profiles.js";
import { syncRuleEverywhere } from "../compliance/service.js";
import {
  enterprises, fundEntries, hazards, policies, policyCoinsurers, policyEnterprises, policyServicePlans, preventionServices,
} from "../../../schema/index.js";

/**
 * Periodic (re)evaluation of prevention findings as of an instant. Each sweep reads its facts in one
 * statement, decides with the pure evaluators of src/rules/prevention-findings.ts and stores the
 * result with syncRuleEverywhere (resolve the cured, open the new): no statement per row.
 * The write commands reuse the same fact queries, narrowed to the record they touched.
 */
export interface SweepOutcome {
  /** subjects evaluated */
  evaluated: number;
  /** findings that hold as of asOf (open after the sweep) */
  flagged: number;
}

/** effectiveRules per region code, computed once per sweep. */
function rulesCache(): (regionCode: string) => EffectiveRules {
  const cache = new Map<string, EffectiveRules>();
  return (code) => {
    let r = cache.get(code);
    if (!r) cache.set(code, (r = effectiveRules(code)));
    return r;
  };
}

// ---------------------------------------------------------------------------------------------
// Facts

/** Hazards with their policy's lead insurer and their enterprise's region. */
export function hazardFacts(tx: Executor, where: SQL | undefined): Promise<(HazardFacts & { regionCode: string })[]> {
  return tx
    .select({
      id: hazards.id, policyId: hazards.policyId, enterpriseUscc: hazards.enterpriseUscc, severity: hazards.severity, status: hazards.status,
      description: hazards.description, noticeDate: hazards.noticeDate, deadline: hazards.deadline,
      insurerUscc: policies.insurerUscc, regionCode: enterprises.regionCode,
    })
    .from(hazards)
    .innerJoin(policies, eq(policies.id, hazards.policyId))
    .innerJoin(enterprises, eq(enterprises.uscc, hazards.enterpriseUscc))
    .where(where);
}

/**
 * Plan items × insured enterprises of policies started before asOf, each with the services of that
 * kind delivered to that enterprise under the policy before asOf. `only` narrows to one subject.
 */
export function servicePlanFacts(tx: Executor, asOf: Date, only?: { policyId: number; enterpriseUscc: string; kind: string }): Promise<ServicePlanFacts[]> {
  const s = preventionServices;
  const delivered = tx
    .select({ policyId: s.policyId, enterpriseUscc: s.enterpriseUscc, kind: s.kind, n: sql<number>`count(*)::int`.as("n") })
    .from(s)
    .where(and(lt(s.performedAt, asOf), only ? and(eq(s.policyId, only.policyId), eq(s.enterpriseUscc, only.enterpriseUscc), eq(s.kind, only.kind)) : undefined))
    .groupBy(s.policyId, s.enterpriseUscc, s.kind)
    .as("delivered");
  return tx
    .select({
      policyId: policies.id, insurerUscc: policies.insurerUscc, startAt: policies.startAt, endAt: policies.endAt, cancelledAt: policies.cancelledAt,
      enterpriseUscc: policyEnterprises.enterpriseUscc, kind: policyServicePlans.kind, yearlyFrequency: policyServicePlans.yearlyFrequency,
      delivered: sql<number>`coalesce(${delivered.n}, 0)::int`.mapWith(Number),
    })
    .from(policyServicePlans)
    .innerJoin(policies, eq(policies.id, policyServicePlans.policyId))
    .innerJoin(policyEnterprises, eq(policyEnterprises.policyId, policyServicePlans.policyId))
    .leftJoin(
      delivered,
      and(eq(delivered.policyId, policyServicePlans.policyId), eq(delivered.enterpriseUscc, policyEnterprises.enterpriseUscc), eq(delivered.kind, policyServicePlans.kind)),
    )
    .where(
      and(
        lt(policies.startAt, asOf),
        only ? and(eq(policies.id, only.policyId), eq(policyEnterprises.enterpriseUscc, only.enterpriseUscc), eq(policyServicePlans.kind, only.kind)) : undefined,
      ),
    );
}

/**
 * Every (policy, insurer on it, insured enterprise) of non-cancelled policies ended by asOf, with that
 * insurer's USE entries against the policy booked before asOf. `only` narrows to one policy and insurer.
 */
export function spendFacts(tx: Executor, asOf: Date, only?: { policyId: number; insurerUscc: string }): Promise<(SpendFacts & { regionCode: string })[]> {
  const f = fundEntries;
  const used = tx
    .select({ policyId: f.policyId, insurerUscc: f.insurerUscc, total: sql<string>`sum(${f.amount})::text`.as("total") })
    .from(f)
    .where(and(eq(f.kind, "USE"), lt(f.bookedAt, asOf), only ? and(eq(f.policyId, only.policyId), eq(f.insurerUscc, only.insurerUscc)) : undefined))
    .groupBy(f.policyId, f.insurerUscc)
    .as("used");
  return tx
    .select({
      policyId: policies.id, premium: policies.premium, endAt: policies.endAt, cancelledAt: policies.cancelledAt,
      insurerUscc: policyCoinsurers.insurerUscc, share: policyCoinsurers.share,
      enterpriseUscc: policyEnterprises.enterpriseUscc, regionCode: enterprises.regionCode,
      used: sql<string>`coalesce(${used.total}, '0')`,
    })
    .from(policies)
    .innerJoin(policyCoinsurers, eq(policyCoinsurers.policyId, policies.id))
    .innerJoin(policyEnterprises, eq(policyEnterprises.policyId, policies.id))
    .innerJoin(enterprises, eq(enterprises.uscc, policyEnterprises.enterpriseUscc))
    .leftJoin(used, and(eq(used.policyId, policies.id), eq(used.insurerUscc, policyCoinsurers.insurerUscc)))
    .where(
      and(
        lte(policies.endAt, asOf),
        isNull(policies.cancelledAt),
        only ? and(eq(policies.id, only.policyId), eq(policyCoinsurers.insurerUscc, only.insurerUscc)) : undefined,
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Sweeps

/**
 * MAJOR_HAZARD_OVERDUE for every open major hazard as of asOf; the overdue findings of hazards
 * rectified, refused or not yet due at asOf resolve. MAJOR_HAZARD_REFUSED is not swept: it is set when
 * the refusal is recorded and a refused hazard never changes again.
 */
export async function sweepHazardFindings(tx: Executor, asOf: Date): Promise<SweepOutcome> {
  const rules = rulesCache();
  const facts = await hazardFacts(tx, and(eq(hazards.status, "OPEN"), eq(hazards.severity, "MAJOR")));
  const drafts = facts.flatMap((h) =>
    evaluateHazard(h, rules(h.regionCode), asOf)
      .filter((d) => d.ruleCode === "MAJOR_HAZARD_OVERDUE")
      .map((d) => ({ ...d, subjectKey: hazardSubjectKey(h.id) })),
  );
  await syncRuleEverywhere(tx, "MAJOR_HAZARD_OVERDUE", SUBJECT.hazard, drafts);
  return { evaluated: facts.length, flagged: drafts.length };
}

/** SERVICES_BEHIND_PLAN for every plan item × insured enterprise as of asOf. */
export async function sweepServiceFindings(tx: Executor, asOf: Date): Promise<SweepOutcome> {
  const facts = await servicePlanFacts(tx, asOf);
  const drafts = facts.flatMap((f) => evaluateServicePlan(f, asOf).map((d) => ({ ...d, subjectKey: servicePlanSubjectKey(f.policyId, f.enterpriseUscc, f.kind) })));
  await syncRuleEverywhere(tx, "SERVICES_BEHIND_PLAN", SUBJECT.servicePlan, drafts);
  return { evaluated: facts.length, flagged: drafts.length };
}

/** PREVENTION_SPEND_BELOW_FLOOR for every insurer × insured enterprise of policies ended by asOf. */
export async function sweepFundFindings(tx: Executor, asOf: Date): Promise<SweepOutcome> {
  const rules = rulesCache();
  const facts = await spendFacts(tx, asOf);
  const drafts = facts.flatMap((f) =>
    evaluateSpend(f, rules(f.regionCode), asOf).map((d) => ({ ...d, subjectKey: fundSubjectKey(f.policyId, f.insurerUscc, f.enterpriseUscc) })),
  );
  await syncRuleEverywhere(tx, "PREVENTION_SPEND_BELOW_FLOOR", SUBJECT.fund, drafts);
  return { evaluated: facts.length, flagged: drafts.length };
}

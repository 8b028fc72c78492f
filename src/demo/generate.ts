import { sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Db, Tx } from "../db/client.js";
import { regionLevel } from "../domain/regions.js";
import * as t from "../../schema/index.js";
import { makeAccidents, makeClaims, makeServices } from "./activity.js";
import { makeEnterprise, personName } from "./enterprises.js";
import { CUTOFF, makePolicies } from "./policies.js";
import { Random, yuan } from "./random.js";
import {
  AGENCIES, BROKER, DISQUALIFIED, INSURERS, insurerUscc, REGIONS, REGISTRY_ROOTS, SERVICE_ORGS, serviceOrgUscc, SUSPENDED,
} from "./registry.js";

export interface SeedSummary {
  [table: string]: number;
}

export async function isEmpty(db: Db): Promise<boolean> {
  const rows = (await db.execute(sql`select count(*)::int as n from regions`)) as unknown as { rows: { n: number }[] };
  return rows.rows[0].n === 0;
}

/** Multi-row INSERTs kept under PostgreSQL's 65,535 bind parameters. */
async function insertAll(tx: Tx, table: PgTable, rows: Record<string, unknown>[], summary: SeedSummary, name: string): Promise<void> {
  if (!rows.length) return;
  const perRow = Object.keys(rows[0]).length;
  const chunk = Math.max(1, Math.floor(60_000 / perRow));
  for (let i = 0; i < rows.length; i += chunk) await tx.insert(table).values(rows.slice(i, i + chunk) as never);
  summary[name] = (summary[name] ?? 0) + rows.length;
}

/** Same as insertAll, returning each row's generated id keyed by `keyOf`. */
async function insertIds(tx: Tx, table: PgTable & { id: any }, rows: Record<string, unknown>[], keyOf: (r: any) => string, summary: SeedSummary, name: string) {
  const ids = new Map<string, number>();
  const chunk = Math.max(1, Math.floor(60_000 / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  for (let i = 0; i < rows.length; i += chunk) {
    const back = (await tx.insert(table).values(rows.slice(i, i + chunk) as never).returning()) as any[];
    for (const r of back) ids.set(keyOf(r), r.id);
  }
  summary[name] = rows.length;
  return ids;
}

/**
 * The demo data set: the five seed regions, their agencies, the 12 insurers of seed 001, and about
 * 2,000 × scale enterprises with two years of policies, accidents, claims, services, hazards and fund
 * entries covering every case the hub handles. Deterministic: the same seed gives the same rows.
 */
export async function seedDemo(db: Db, opts: { scale?: number; seed?: number } = {}): Promise<SeedSummary> {
  const scale = opts.scale ?? 1;
  const r = new Random(opts.seed ?? 20251231);
  const enterprises = Array.from({ length: Math.round(2000 * scale) }, (_, i) => makeEnterprise(r, i));
  const policies = makePolicies(r, enterprises, 1);
  const accidents = makeAccidents(r, enterprises, Math.round(60 * scale));
  const claims = makeClaims(r, policies, accidents, Math.round(400 * scale), insurerUscc);
  const { services, funds } = makeServices(r, policies, personName);
  const summary: SeedSummary = {};

  await db.transaction(async (tx) => {
    await insertAll(tx, t.regions, REGIONS.map(([code, name, parentCode]) => ({ code, name, parentCode, level: regionLevel(code) })), summary, "regions");
    await insertAll(tx, t.agencies, AGENCIES.map(([regionCode, kind, name]) => ({ id: `${regionCode}-${kind}`, regionCode, kind, name })), summary, "agencies");
    await insertAll(tx, t.agencySectors, AGENCIES.flatMap(([regionCode, kind, , sectors]) => sectors.map((sector) => ({ agencyId: `${regionCode}-${kind}`, sector }))), summary, "agency_sectors");
    await insertAll(tx, t.insurers, INSURERS.map(([name, shortName], i) => ({ uscc: insurerUscc(i), name, shortName })), summary, "insurers");
    await insertAll(tx, t.serviceOrgs, SERVICE_ORGS.map(([name], i) => ({ uscc: serviceOrgUscc(i), name })), summary, "service_orgs");
    await insertAll(tx, t.brokers, [{ uscc: BROKER[0], name: BROKER[1] }], summary, "brokers");
    const status = (i: number, region: string) => (i === SUSPENDED.insurer && region === SUSPENDED.region ? "SUSPENDED" : i === DISQUALIFIED.insurer && region === DISQUALIFIED.region ? "DISQUALIFIED" : "QUALIFIED");
    await insertAll(tx, t.qualifications, [
      ...REGISTRY_ROOTS.flatMap((region) => INSURERS.map((_, i) => ({ orgUscc: insurerUscc(i), orgKind: "INSURER", regionCode: region, status: status(i, region), since: "2024-01-01" }))),
      ...SERVICE_ORGS.map(([, region], i) => ({ orgUscc: serviceOrgUscc(i), orgKind: "SERVICE_ORG", regionCode: REGISTRY_ROOTS.find((root) => region.startsWith(root.replace(/0+$/, "")))!, status: "QUALIFIED", since: "2024-01-01" })),
    ], summary, "qualifications");
    await insertAll(tx, t.enterprises, enterprises.map((e) => ({ ...e, createdAt: new Date("2022-01-01T00:00:00+08:00"), updatedAt: new Date("2024-06-01T00:00:00+08:00") })), summary, "enterprises");

    const policyIds = await insertIds(tx, t.policies, policies.map((p) => ({
      insurerUscc: insurerUscc(p.insurer), policyNo: p.policyNo, brokerUscc: p.broker ? BROKER[0] : null, startAt: p.startAt, endAt: p.endAt,
      cancelledAt: p.cancelledAt, cancelReason: p.cancelReason, premium: yuan(p.premiumFen), baseRate: p.baseRate, rateFloat: p.rateFloat,
      commissionRatio: p.commissionRatio, preventionFundRatio: p.preventionFundRatio, insuredHeadcount: p.members.reduce((n, m) => n + m.headcount, 0),
      deathLimitPerPerson: p.deathLimit, medicalLimitPerPerson: p.medicalLimit, thirdPartyLimit: p.thirdPartyLimit, coverageItems: p.coverageItems,
      isGroupPolicy: p.members.length > 1, version: p.amended ? 2 : 1, createdAt: p.startAt, updatedAt: p.startAt,
    })), (row) => `${row.insurerUscc}|${row.policyNo}`, summary, "policies");
    const pid = (i: number) => policyIds.get(`${insurerUscc(policies[i].insurer)}|${policies[i].policyNo}`)!;
    await insertAll(tx, t.policyEnterprises, policies.flatMap((p, i) => p.members.map((m) => ({ policyId: pid(i), enterpriseUscc: m.e.uscc, insuredHeadcount: m.headcount }))), summary, "policy_enterprises");
    await insertAll(tx, t.policyCoinsurers, policies.flatMap((p, i) => p.coinsurers.map((c) => ({ policyId: pid(i), insurerUscc: insurerUscc(c.insurer), share: c.share, isLead: c.insurer === p.insurer }))), summary, "policy_coinsurers");
    await insertAll(tx, t.policyServicePlans, policies.flatMap((p, i) => p.plan.map((s) => ({ policyId: pid(i), ...s }))), summary, "policy_service_plans");
    await insertAll(tx, t.policyServiceOrgs, policies.flatMap((p, i) => p.serviceOrgs.map((o) => ({ policyId: pid(i), serviceOrgUscc: serviceOrgUscc(o) }))), summary, "policy_service_orgs");
    await insertAll(tx, t.policyVersions, policies.flatMap((p, i) => {
      const snapshot = { policyNo: p.policyNo, premium: yuan(p.premiumFen), deathLimitPerPerson: p.deathLimit, startAt: p.startAt, endAt: p.endAt };
      const v1 = { policyId: pid(i), version: 1, reason: "首次承保 / initial filing", snapshot, createdBy: "seed", createdAt: p.startAt };
      return p.amended ? [v1, { ...v1, version: 2, reason: "批改：增加被保险人数 / amendment: more insured workers", createdAt: new Date(p.startAt.getTime() + 30 * 86_400_000) }] : [v1];
    }), summary, "policy_versions");

    const accidentIds = await insertIds(tx, t.accidents, accidents.map((a) => ({
      enterpriseUscc: a.e.uscc, occurredAt: a.occurredAt, deaths: a.deaths, seriousInjuries: a.injuries, directLoss: yuan(a.lossFen), grade: a.grade,
      description: `事故#${a.n}：${a.deaths}人死亡，${a.injuries}人重伤`, recordedBy: a.recordedBy,
    })), (row) => row.description.split("：")[0], summary, "accidents");
    const claimIds = await insertIds(tx, t.claims, claims.map((c) => ({
      insurerUscc: insurerUscc(policies[c.policy].insurer), claimRef: c.ref, policyId: pid(c.policy), enterpriseUscc: c.e.uscc,
      accidentId: c.accident === null ? null : accidentIds.get(`事故#${c.accident}`)!, status: c.status, reportedAt: c.reportedAt, assessedAt: c.assessedAt,
      settledAt: c.settledAt, rejectedAt: c.rejectedAt, rejectionReason: c.rejectionReason, reserve: yuan(c.reserveFen), settledAmount: c.settledFen === null ? null : yuan(c.settledFen),
    })), (row) => `${row.insurerUscc}|${row.claimRef}`, summary, "claims");
    const cid = (c: (typeof claims)[number]) => claimIds.get(`${insurerUscc(policies[c.policy].insurer)}|${c.ref}`)!;
    await insertAll(tx, t.claimants, claims.flatMap((c) => c.claimants.map((x) => ({ claimId: cid(c), ...x }))), summary, "claimants");
    await insertAll(tx, t.claimPayments, claims.flatMap((c) => c.payments.map((p) => ({
      claimId: cid(c), insurerUscc: insurerUscc(policies[c.policy].insurer), paymentRef: p.ref, kind: p.kind, amount: yuan(p.amountFen), paidAt: p.paidAt,
    }))), summary, "claim_payments");

    const serviceIds = await insertIds(tx, t.preventionServices, services.map((s) => ({
      insurerUscc: insurerUscc(policies[s.policy].insurer), serviceRef: s.ref, policyId: pid(s.policy), enterpriseUscc: s.e.uscc,
      serviceOrgUscc: s.serviceOrg === null ? null : serviceOrgUscc(s.serviceOrg), kind: s.kind, performedAt: s.performedAt, place: s.place, staff: s.staff,
      cost: yuan(s.costFen), confirmedByEnterprise: s.confirmed,
    })), (row) => `${row.insurerUscc}|${row.serviceRef}`, summary, "prevention_services");
    await insertAll(tx, t.hazards, services.flatMap((s) => s.hazards.map((h, k) => ({
      serviceId: serviceIds.get(`${insurerUscc(policies[s.policy].insurer)}|${s.ref}`)!, policyId: pid(s.policy), enterpriseUscc: s.e.uscc, seq: k + 1, ...h,
    }))), summary, "hazards");
    await insertAll(tx, t.fundEntries, funds.filter((f) => f.bookedAt <= CUTOFF).map((f) => ({
      insurerUscc: insurerUscc(policies[f.policy].insurer), entryRef: f.ref, policyId: pid(f.policy), kind: f.kind, category: f.category, amount: yuan(f.amountFen), bookedAt: f.bookedAt,
    })), summary, "fund_entries");
  });
  return summary;
}

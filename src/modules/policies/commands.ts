import { and, eq, sql } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Tx } from "../../db/client.js";
import { COVERAGE_ITEMS } from "../../domain/vocabulary.js";
import { conflict, forbidden } from "../../graphql/errors.js";
import { checks, InputError, Problems, requireIdempotencyKey, storableText } from "../../graphql/validation.js";
import { compareDecimal } from "../../rules/profiles.js";
import { enterprises, insurers, policies, policyCoinsurers, policyEnterprises, policyServiceOrgs, policyServicePlans, policyVersions } from "../../../schema/index.js";
import { once, payloadHash } from "../idempotency/service.js";
import { evaluatePolicyFindings } from "./findings.js";
import type { PolicyInput } from "./inputs.js";
import { requireCaller } from "../access.js";

// callers outside the module (enterprise upserts, the recompute) find it here, with the commands
export { evaluatePolicyFindings };

export interface FilingOutcome {
  policyId: number;
}

/** Structural checks that need no database: everything here is a BAD_USER_INPUT. */
export function validatePolicyInput(input: PolicyInput, p: Problems): void {
  checks.text(p, "policyNo", input.policyNo, 64);
  if (!input.insuredEnterprises?.length) p.add("insuredEnterprises", "required", "至少一个被保险单位 / at least one insured enterprise");
  const seen = new Set<string>();
  input.insuredEnterprises?.forEach((e, i) => {
    if (checks.uscc(p, `insuredEnterprises[${i}].uscc`, e.uscc)) {
      p.check(!seen.has(e.uscc), `insuredEnterprises[${i}].uscc`, "unique", "被保险单位重复 / enterprise listed twice");
      seen.add(e.uscc);
    }
    checks.positiveInt(p, `insuredEnterprises[${i}].insuredHeadcount`, e.insuredHeadcount);
  });
  // each headcount is a GraphQL Int; their sum is stored in policies.insured_headcount, an int4 too
  const headcount = (input.insuredEnterprises ?? []).reduce((n, e) => n + e.insuredHeadcount, 0);
  p.check(headcount <= 2_147_483_647, "insuredEnterprises", "headcount:max", "投保人数合计过大 / total insured headcount too large");
  if (input.coinsurers) {
    const insurersSeen = new Set<string>();
    let total = 0n;
    input.coinsurers.forEach((c, i) => {
      if (checks.uscc(p, `coinsurers[${i}].insurerUscc`, c.insurerUscc)) {
        p.check(!insurersSeen.has(c.insurerUscc), `coinsurers[${i}].insurerUscc`, "unique", "共保机构重复 / insurer listed twice");
        insurersSeen.add(c.insurerUscc);
      }
      checks.ratio(p, `coinsurers[${i}].share`, c.share);
      // exact, from the digits: Number() of a 400-digit share is Infinity, which BigInt() refuses
      const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(c.share);
      if (m) total += BigInt(m[1] + (m[2] ?? "").padEnd(4, "0"));
      p.check(compareDecimal(c.share, "0") > 0, `coinsurers[${i}].share`, "positive", "份额须大于0 / share must be > 0");
    });
    p.check(total === 10_000n, "coinsurers", "shares-sum-to-1", "共保份额合计须等于100% / co-insurance shares must sum to exactly 100%");
  }
  // "" is not "no broker": it would reach the foreign key to brokers
  if (input.brokerUscc != null) checks.uscc(p, "brokerUscc", input.brokerUscc);
  input.serviceOrgUsccs?.forEach((u, i) => checks.uscc(p, `serviceOrgUsccs[${i}]`, u));
  checks.instant(p, "startAt", input.startAt);
  checks.instant(p, "endAt", input.endAt);
  checks.order(p, "endAt", input.startAt, input.endAt, "保险期间止须晚于起 / endAt must be after startAt");
  checks.money(p, "premium", input.premium);
  checks.money(p, "deathLimitPerPerson", input.deathLimitPerPerson);
  checks.money(p, "medicalLimitPerPerson", input.medicalLimitPerPerson, false);
  checks.money(p, "thirdPartyLimit", input.thirdPartyLimit, false);
  checks.ratio(p, "commissionRatio", input.commissionRatio);
  checks.ratio(p, "preventionFundRatio", input.preventionFundRatio);
  p.check(/^\d(\.\d{1,6})?$/.test(input.baseRate) && compareDecimal(input.baseRate, "1") <= 0, "baseRate", "rate:0-1", "基准费率须在 0–1 之间，最多六位小数 / base rate within 0–1, at most 6 decimals");
  p.check(/^-?\d(\.\d{1,4})?$/.test(input.rateFloat) && compareDecimal(input.rateFloat, "-1") > 0 && compareDecimal(input.rateFloat, "3") <= 0, "rateFloat", "float:-1..3", "费率浮动须在 -100%（不含）到 +300% 之间 / rate float must be within (-1, 3]");
  input.coverageItems.forEach((c, i) => p.check((COVERAGE_ITEMS as readonly string[]).includes(c), `coverageItems[${i}]`, "enum", `未知保障项目 / unknown coverage item ${c}`));
  const kinds = new Set<string>();
  input.servicePlan?.forEach((s, i) => {
    checks.positiveInt(p, `servicePlan[${i}].yearlyFrequency`, s.yearlyFrequency);
    p.check(!kinds.has(s.kind), `servicePlan[${i}].kind`, "unique", "服务类型重复 / kind listed twice");
    kinds.add(s.kind);
  });
}

/** What the rules need of an enterprise. */
export type EnterpriseFacts = Pick<typeof enterprises.$inferSelect, "uscc" | "regionCode" | "sector" | "riskTags" | "status" | "employeeCount">;

/** The registry entries a set of filings names: which of their USCCs are known, by kind. */
export interface KnownParties {
  enterprises: Set<string>;
  /** the known enterprises' facts, for judging the filings that pass */
  enterpriseFacts: Map<string, EnterpriseFacts>;
  insurers: Set<string>;
  brokers: Set<string>;
  serviceOrgs: Set<string>;
}

/**
 * Looks up every enterprise, insurer, broker and service org the inputs name (and `insurers`
 * besides) in one statement, whatever the number of inputs. The inputs passed validatePolicyInput,
 * so every USCC here is well-formed.
 */
export async function knownParties(tx: Tx, inputs: readonly PolicyInput[], insurerUsccs: readonly string[] = []): Promise<KnownParties> {
  const json = (values: Iterable<string>) => JSON.stringify([...new Set(values)]);
  const res = (await tx.execute(sql`
    select 'E' as kind, uscc, json_build_object('uscc', uscc, 'regionCode', region_code, 'sector', sector, 'riskTags', risk_tags, 'status', status, 'employeeCount', employee_count) as facts
      from enterprises where uscc in (select json_array_elements_text(${json(inputs.flatMap((i) => i.insuredEnterprises.map((e) => e.uscc)))}::json))
    union all select 'I', uscc, null from insurers where uscc in (select json_array_elements_text(${json([...insurerUsccs, ...inputs.flatMap((i) => (i.coinsurers ?? []).map((c) => c.insurerUscc))])}::json))
    union all select 'B', uscc, null from brokers where uscc in (select json_array_elements_text(${json(inputs.flatMap((i) => (i.brokerUscc ? [i.brokerUscc] : [])))}::json))
    union all select 'S', uscc, null from service_orgs where uscc in (select json_array_elements_text(${json(inputs.flatMap((i) => i.serviceOrgUsccs ?? []))}::json))`)) as unknown as { rows: { kind: string; uscc: string; facts: EnterpriseFacts | null }[] };
  const known: KnownParties = { enterprises: new Set(), enterpriseFacts: new Map(), insurers: new Set(), brokers: new Set(), serviceOrgs: new Set() };
  const sets: Record<string, Set<string>> = { E: known.enterprises, I: known.insurers, B: known.brokers, S: known.serviceOrgs };
  for (const r of res.rows) {
    sets[r.kind].add(r.uscc);
    if (r.facts) known.enterpriseFacts.set(r.uscc, r.facts);
  }
  return known;
}

/** Checks against the registry: known enterprises, insurers, broker and service orgs. */
export function referenceProblems(input: PolicyInput, lead: string, known: KnownParties, p: Problems): void {
  input.insuredEnterprises.forEach((e, i) => p.check(known.enterprises.has(e.uscc), `insuredEnterprises[${i}].uscc`, "known-enterprise", `未登记的单位 / unknown enterprise ${e.uscc}`));
  const ins = (input.coinsurers ?? []).map((c) => c.insurerUscc);
  if (ins.length) {
    input.coinsurers!.forEach((c, i) => p.check(known.insurers.has(c.insurerUscc), `coinsurers[${i}].insurerUscc`, "known-insurer", `未登记的保险机构 / unknown insurer ${c.insurerUscc}`));
    p.check(ins.includes(lead), "coinsurers", "lead-included", "共保份额须包含主承保机构 / the lead insurer must hold a share");
  }
  if (input.brokerUscc) p.check(known.brokers.has(input.brokerUscc), "brokerUscc", "known-broker", `未登记的经纪机构 / unknown broker ${input.brokerUscc}`);
  input.serviceOrgUsccs?.forEach((u, i) => p.check(known.serviceOrgs.has(u), `serviceOrgUsccs[${i}]`, "known-service-org", `未登记的服务机构 / unknown service org ${u}`));
}

async function validateReferences(tx: Tx, input: PolicyInput, lead: string, p: Problems): Promise<void> {
  referenceProblems(input, lead, await knownParties(tx, [input]), p);
}

export function policyValues(input: PolicyInput, lead: string, hash: string) {
  return {
    insurerUscc: lead,
    policyNo: input.policyNo,
    brokerUscc: input.brokerUscc ?? null,
    startAt: input.startAt,
    endAt: input.endAt,
    premium: input.premium,
    baseRate: input.baseRate,
    rateFloat: input.rateFloat,
    commissionRatio: input.commissionRatio,
    preventionFundRatio: input.preventionFundRatio,
    insuredHeadcount: input.insuredEnterprises.reduce((n, e) => n + e.insuredHeadcount, 0),
    deathLimitPerPerson: input.deathLimitPerPerson,
    medicalLimitPerPerson: input.medicalLimitPerPerson ?? null,
    thirdPartyLimit: input.thirdPartyLimit ?? null,
    coverageItems: input.coverageItems,
    isGroupPolicy: input.insuredEnterprises.length > 1,
    payloadHash: hash,
  };
}

async function writeChildren(tx: Tx, policyId: number, input: PolicyInput, lead: string): Promise<void> {
  await tx.insert(policyEnterprises).values(input.insuredEnterprises.map((e) => ({ policyId, enterpriseUscc: e.uscc, insuredHeadcount: e.insuredHeadcount })));
  const shares = input.coinsurers?.length ? input.coinsurers : [{ insurerUscc: lead, share: "1" }];
  await tx.insert(policyCoinsurers).values(shares.map((c) => ({ policyId, insurerUscc: c.insurerUscc, share: c.share, isLead: c.insurerUscc === lead })));
  if (input.servicePlan?.length) await tx.insert(policyServicePlans).values(input.servicePlan.map((s) => ({ policyId, ...s })));
  if (input.serviceOrgUsccs?.length) await tx.insert(policyServiceOrgs).values(input.serviceOrgUsccs.map((u) => ({ policyId, serviceOrgUscc: u })));
}

export const INITIAL_FILING = "首次承保 / initial filing";

/** A policy number of the insurer's already filed with other content. */
export const numberTaken = (policyNo: string) => conflict(`保单号 ${policyNo} 已存在且内容不同，请使用批改 / policy ${policyNo} exists with different content: use amendPolicy`);

/** Files one policy: validate → (idempotent) write → findings, all in the caller's transaction. */
export async function filePolicyTx(tx: Tx, viewer: Viewer, input: PolicyInput, key: string): Promise<{ result: FilingOutcome; replayed: boolean }> {
  requireCaller(viewer, "filePolicy");
  const lead = viewer.org;
  // a validly signed token for an org the registry does not know must not reach the foreign key
  const [registered] = await tx.select({ uscc: insurers.uscc }).from(insurers).where(eq(insurers.uscc, lead));
  if (!registered) throw forbidden("未登记的保险机构 / your organisation is not a registered insurer");
  requireIdempotencyKey(key);
  const p = new Problems();
  validatePolicyInput(input, p);
  if (!p.empty) throw new InputError(p.list);
  await validateReferences(tx, input, lead, p);
  if (!p.empty) throw new InputError(p.list);

  const hash = payloadHash("filePolicy", input);
  return once(tx, viewer, "filePolicy", key, input, async () => {
    const filed = async () => {
      const [existing] = await tx.select({ id: policies.id, hash: policies.payloadHash }).from(policies).where(and(eq(policies.insurerUscc, lead), eq(policies.policyNo, input.policyNo)));
      if (!existing) return undefined;
      // the same filing under a new key is still the same policy; different content needs amendPolicy
      if (existing.hash === hash) return { policyId: existing.id };
      throw numberTaken(input.policyNo);
    };
    const earlier = await filed();
    if (earlier) return earlier;
    // Two pushes of one policy number under different keys can both get here. ON CONFLICT makes the
    // later insert wait for the earlier transaction and, once it commits, insert nothing (instead of
    // failing with unique_violation 23505); the re-read (a new snapshot under READ COMMITTED) then
    // sees the committed policy and answers as above: the same policy, or CONFLICT.
    const [row] = await tx
      .insert(policies)
      .values(policyValues(input, lead, hash))
      .onConflictDoNothing({ target: [policies.insurerUscc, policies.policyNo] })
      .returning({ id: policies.id });
    if (!row) {
      const raced = await filed();
      if (raced) return raced;
      throw conflict(`保单号 ${input.policyNo} 正被同时报送，请重试 / policy ${input.policyNo} is being filed concurrently: retry`);
    }
    await writeChildren(tx, row.id, input, lead);
    await tx.insert(policyVersions).values({ policyId: row.id, version: 1, reason: INITIAL_FILING, snapshot: input as any, createdBy: viewer.sub });
    await evaluatePolicyFindings(tx, [row.id]);
    return { policyId: row.id };
  });
}

/** The caller's own policy as lead insurer, locked for the change; NOT_FOUND / FORBIDDEN otherwise. */
async function ownPolicyForUpdate(tx: Tx, viewer: Viewer, policyNo: string, mutation: "amendPolicy" | "cancelPolicy") {
  requireCaller(viewer, mutation);
  const [row] = await tx.select().from(policies).where(and(eq(policies.insurerUscc, viewer.org), eq(policies.policyNo, policyNo))).for("update");
  if (!row) throw new InputError([{ field: "policyNo", rule: "known-policy", message: `本机构无此保单 / no policy ${policyNo} of yours` }]);
  return row;
}

async function nextVersion(tx: Tx, policyId: number, version: number, reason: string, snapshot: unknown, by: string) {
  await tx.insert(policyVersions).values({ policyId, version, reason, snapshot: snapshot as any, createdBy: by });
}

/** 批改: the whole new content of the policy, with a reason; the previous versions stay readable. */
export async function amendPolicyTx(tx: Tx, viewer: Viewer, policyNo: string, input: PolicyInput, reason: string, key: string) {
  const top = new Problems("");
  top.check(!!key?.trim() && key.length <= 128 && storableText(key), "idempotencyKey", "required", "幂等键必填 / idempotencyKey is required");
  checks.text(top, "reason", reason, 500);
  if (!top.empty) throw new InputError(top.list);
  const p = new Problems();
  validatePolicyInput(input, p);
  p.check(input.policyNo === policyNo, "policyNo", "same-policy-no", "批改不能更改保单号 / an amendment keeps the policy number");
  if (!p.empty) throw new InputError(p.list);
  return once(tx, viewer, "amendPolicy", key, { policyNo, input, reason }, async () => {
    const current = await ownPolicyForUpdate(tx, viewer, policyNo, "amendPolicy");
    if (current.cancelledAt) throw new InputError([{ field: "policyNo", rule: "policy-status:cancelled", message: "已退保的保单不能批改 / a cancelled policy cannot be amended" }]);
    await validateReferences(tx, input, current.insurerUscc, p);
    if (!p.empty) throw new InputError(p.list);
    const version = current.version + 1;
    await tx
      .update(policies)
      .set({ ...policyValues(input, current.insurerUscc, payloadHash("filePolicy", input)), version, updatedAt: new Date() })
      .where(eq(policies.id, current.id));
    for (const t of [policyEnterprises, policyCoinsurers, policyServicePlans, policyServiceOrgs]) await tx.delete(t).where(eq(t.policyId, current.id));
    await writeChildren(tx, current.id, input, current.insurerUscc);
    await nextVersion(tx, current.id, version, reason, input, viewer.sub);
    // members removed from a park policy keep no open findings under it
    await resolveFindingsOfRemovedMembers(tx, current.id, input.insuredEnterprises.map((e) => e.uscc));
    await evaluatePolicyFindings(tx, [current.id]);
    return { policyId: current.id };
  });
}

async function resolveFindingsOfRemovedMembers(tx: Tx, policyId: number, kept: string[]) {
  await tx.execute(sql`update compliance_findings set status = 'RESOLVED', resolved_at = now()
    where subject_kind = 'POLICY' and policy_id = ${policyId} and status = 'OPEN'
      and not (enterprise_uscc = any(${sql`array[${sql.join(kept.map((u) => sql`${u}`), sql`, `)}]::text[]`}))`);
}

/** 退保: recorded with its reason; cancelling while the enterprise operates is stored and flagged. */
export async function cancelPolicyTx(tx: Tx, viewer: Viewer, policyNo: string, cancelledAt: Date, reason: string, key: string) {
  const p = new Problems("");
  p.check(!!key?.trim() && key.length <= 128 && storableText(key), "idempotencyKey", "required", "幂等键必填 / idempotencyKey is required");
  checks.text(p, "reason", reason, 500);
  if (!p.empty) throw new InputError(p.list);
  return once(tx, viewer, "cancelPolicy", key, { policyNo, cancelledAt, reason }, async () => {
    const current = await ownPolicyForUpdate(tx, viewer, policyNo, "cancelPolicy");
    if (current.cancelledAt) throw new InputError([{ field: "policyNo", rule: "policy-status:cancelled", message: "保单已退保 / the policy is already cancelled" }]);
    if (cancelledAt < current.startAt || cancelledAt >= current.endAt) {
      throw new InputError([{ field: "cancelledAt", rule: "in-policy-period", message: "退保时间须在保险期间内 / cancelledAt must fall inside the policy period" }]);
    }
    const version = current.version + 1;
    await tx.update(policies).set({ cancelledAt, cancelReason: reason, version, updatedAt: new Date() }).where(eq(policies.id, current.id));
    await nextVersion(tx, current.id, version, `退保 / cancellation: ${reason}`, { cancelledAt, reason }, viewer.sub);
    await evaluatePolicyFindings(tx, [current.id]);
    return { policyId: current.id };
  });
}

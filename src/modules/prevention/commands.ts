import { and, eq } from "drizzle-orm";
import { policyVisible, recordVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Tx } from "../../db/client.js";
import { HAZARD_SEVERITIES, SERVICE_KINDS } from "../../domain/vocabulary.js";
import { conflict, forbidden } from "../../graphql/errors.js";
import { checks, InputError, Problems, requireIdempotencyKey } from "../../graphql/validation.js";
import {
  cstDate, evaluateHazard, evaluateServicePlan, HAZARD_RULES, hazardSubjectKey, SERVICE_PLAN_RULES, servicePlanSubjectKey, SUBJECT,
} from "../../rules/prevention-findings.js";
import { effectiveRules } from "../../rules/profiles.js";
import { hazards, policies, policyEnterprises, policyServiceOrgs, preventionServices } from "../../../schema/index.js";
import { syncFindings } from "../compliance/service.js";
import { once, payloadHash } from "../idempotency/service.js";
import type { HazardRectificationInput, PreventionServiceInput } from "./inputs.js";
import { hazardFacts, servicePlanFacts } from "./sweeps.js";
import { requireCaller } from "../access.js";

export interface ServiceOutcome {
  serviceId: number;
  /** the same service (reference and content) was already stored under another key */
  existing: boolean;
}

export interface RectificationOutcome {
  hazardId: number;
  existing: boolean;
}

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const validInstant = (d: unknown): d is Date => d instanceof Date && !Number.isNaN(d.getTime());
const MAX_STAFF = 50;
const MAX_HAZARDS = 200;


/** Structural checks that need no database: everything here is a BAD_USER_INPUT. */
export function validatePreventionServiceInput(input: PreventionServiceInput, p: Problems): void {
  checks.uscc(p, "insurerUscc", input.insurerUscc);
  checks.text(p, "policyNo", input.policyNo, 64);
  checks.text(p, "serviceRef", input.serviceRef, 64);
  checks.uscc(p, "enterpriseUscc", input.enterpriseUscc);
  if (input.serviceOrgUscc != null) checks.uscc(p, "serviceOrgUscc", input.serviceOrgUscc);
  p.check((SERVICE_KINDS as readonly string[]).includes(input.kind), "kind", "enum", `未知服务类型 / unknown service kind ${input.kind}`);
  p.check(validInstant(input.performedAt), "performedAt", "required", "服务时间必填 / performedAt is required");
  if (input.place != null) {
    if (p.check(input.place.trim().length > 0, "place", "not-blank", "服务地点不能为空白（可不填）/ place must not be blank (omit it instead)")) {
      p.check(input.place.length <= 200, "place", "max-length:200", "长度不超过 200 / at most 200 characters");
    }
  }
  if (!input.staff?.length) p.add("staff", "required", "至少一名服务人员 / at least one staff member");
  else if (input.staff.length > MAX_STAFF) p.add("staff", `max:${MAX_STAFF}`, `服务人员最多 ${MAX_STAFF} 名 / at most ${MAX_STAFF} staff`);
  else input.staff.forEach((s, i) => checks.text(p, `staff[${i}]`, s, 50));
  checks.money(p, "cost", input.cost);
  if (input.hazards && input.hazards.length > MAX_HAZARDS) {
    p.add("hazards", `max:${MAX_HAZARDS}`, `一次最多 ${MAX_HAZARDS} 项隐患 / at most ${MAX_HAZARDS} hazards per service`);
    return;
  }
  input.hazards?.forEach((h, i) => {
    const at = `hazards[${i}]`;
    checks.text(p, `${at}.description`, h.description, 500);
    p.check((HAZARD_SEVERITIES as readonly string[]).includes(h.severity), `${at}.severity`, "enum", `未知隐患等级 / unknown severity ${h.severity}`);
    const notice = p.check(LOCAL_DATE.test(h.noticeDate ?? ""), `${at}.noticeDate`, "format:LocalDate", "日期格式 YYYY-MM-DD / date as YYYY-MM-DD");
    const deadline = p.check(LOCAL_DATE.test(h.deadline ?? ""), `${at}.deadline`, "format:LocalDate", "日期格式 YYYY-MM-DD / date as YYYY-MM-DD");
    if (notice && deadline) p.check(h.deadline >= h.noticeDate, `${at}.deadline`, "date-order", "整改期限不能早于告知日期 / the deadline cannot precede the notice date");
  });
}

/** The stored content of a service: what the natural key's payload hash covers. */
function serviceRecord(input: PreventionServiceInput, serviceOrgUscc: string | null) {
  return {
    insurerUscc: input.insurerUscc,
    policyNo: input.policyNo,
    serviceRef: input.serviceRef,
    enterpriseUscc: input.enterpriseUscc,
    serviceOrgUscc,
    kind: input.kind,
    performedAt: input.performedAt,
    place: input.place ?? null,
    staff: [...input.staff],
    cost: input.cost,
    confirmedByEnterprise: input.confirmedByEnterprise,
    hazards: (input.hazards ?? []).map((h) => ({ description: h.description, severity: h.severity, noticeDate: h.noticeDate, deadline: h.deadline })),
  };
}

/**
 * The policy a service is recorded under, if the caller may write to it: the lead insurer, or a
 * service org the policy names. A policy outside the caller's scope is unknown to it (known-policy);
 * a co-insurer sees the policy but does not record its services (FORBIDDEN).
 */
async function validateServiceReferences(tx: Tx, viewer: Viewer, input: PreventionServiceInput, p: Problems) {
  const [pol] = await tx
    .select()
    .from(policies)
    .where(and(eq(policies.insurerUscc, input.insurerUscc), eq(policies.policyNo, input.policyNo), policyVisible(viewer, policies.id)))
    .for("share");
  if (!pol) {
    throw new InputError([{ field: "input.policyNo", rule: "known-policy", message: `无此保单或无权访问 / no policy ${input.policyNo} of insurer ${input.insurerUscc} in your scope` }]);
  }
  if (viewer.role === "INSURER" && viewer.org !== pol.insurerUscc) {
    throw forbidden("只有主承保机构或保单约定的服务机构可记录服务 / only the lead insurer or a service org the policy names records its services");
  }
  const members = (await tx.select({ u: policyEnterprises.enterpriseUscc }).from(policyEnterprises).where(eq(policyEnterprises.policyId, pol.id))).map((r) => r.u);
  p.check(members.includes(input.enterpriseUscc), "enterpriseUscc", "insured-enterprise", `该单位不是本保单的被保险单位 / ${input.enterpriseUscc} is not insured by policy ${input.policyNo}`);
  if (viewer.role === "INSURER" && input.serviceOrgUscc != null) {
    const orgs = (await tx.select({ u: policyServiceOrgs.serviceOrgUscc }).from(policyServiceOrgs).where(eq(policyServiceOrgs.policyId, pol.id))).map((r) => r.u);
    p.check(orgs.includes(input.serviceOrgUscc), "serviceOrgUscc", "named-service-org", `保单未约定该服务机构 / the policy does not name service org ${input.serviceOrgUscc}`);
  }
  const t = input.performedAt.getTime();
  const inPeriod = p.check(t >= pol.startAt.getTime() && t < pol.endAt.getTime(), "performedAt", "service-in-policy-period", "服务时间须在保险期间内 / performedAt must fall inside the policy period [startAt, endAt)");
  if (inPeriod && pol.cancelledAt && t >= pol.cancelledAt.getTime()) {
    p.add("performedAt", "policy-status:cancelled", "保单在服务时间前已退保 / the policy was cancelled before performedAt");
  }
  return pol;
}

/**
 * Records one prevention service and the hazards it found: role check → structural validation →
 * references in the transaction → idempotency → write → findings. The service reference is unique per
 * lead insurer: the same reference with the same content is a replay, with other content a CONFLICT.
 */
export async function recordPreventionServiceTx(
  tx: Tx,
  viewer: Viewer,
  input: PreventionServiceInput,
  key: string,
  now: Date = new Date(),
): Promise<{ result: ServiceOutcome; replayed: boolean }> {
  requireCaller(viewer, "recordPreventionService");
  requireIdempotencyKey(key);
  const p = new Problems();
  validatePreventionServiceInput(input, p);
  if (viewer.role === "SERVICE_ORG" && input.serviceOrgUscc != null) {
    p.check(input.serviceOrgUscc === viewer.org, "serviceOrgUscc", "own-service-org", "服务机构只能以自身名义记录服务 / a service org records services as itself");
  }
  if (!p.empty) throw new InputError(p.list);
  const pol = await validateServiceReferences(tx, viewer, input, p);
  if (!p.empty) throw new InputError(p.list);

  const serviceOrgUscc = viewer.role === "SERVICE_ORG" ? viewer.org : input.serviceOrgUscc ?? null;
  const record = serviceRecord(input, serviceOrgUscc);
  const hash = payloadHash("recordPreventionService", record);
  return once(tx, viewer, "recordPreventionService", key, record, async () => {
    const [row] = await tx
      .insert(preventionServices)
      .values({
        insurerUscc: pol.insurerUscc,
        serviceRef: input.serviceRef,
        policyId: pol.id,
        enterpriseUscc: input.enterpriseUscc,
        serviceOrgUscc,
        kind: input.kind,
        performedAt: input.performedAt,
        place: record.place,
        staff: record.staff,
        cost: input.cost,
        confirmedByEnterprise: input.confirmedByEnterprise,
        payloadHash: hash,
      })
      .onConflictDoNothing({ target: [preventionServices.insurerUscc, preventionServices.serviceRef] })
      .returning({ id: preventionServices.id });
    if (!row) {
      // a concurrent or earlier push of the same reference: same content is the same service
      const [existing] = await tx
        .select({ id: preventionServices.id, hash: preventionServices.payloadHash })
        .from(preventionServices)
        .where(and(eq(preventionServices.insurerUscc, pol.insurerUscc), eq(preventionServices.serviceRef, input.serviceRef)));
      if (existing.hash === hash) return { serviceId: existing.id, existing: true };
      throw conflict(`服务编号 ${input.serviceRef} 已存在且内容不同 / service ${input.serviceRef} exists with different content`);
    }
    if (record.hazards.length) {
      await tx.insert(hazards).values(
        record.hazards.map((h, i) => ({ serviceId: row.id, policyId: pol.id, enterpriseUscc: input.enterpriseUscc, seq: i + 1, ...h, status: "OPEN" })),
      );
    }
    await evaluateServiceFindings(tx, { serviceId: row.id, policyId: pol.id, enterpriseUscc: input.enterpriseUscc, kind: input.kind }, now);
    return { serviceId: row.id, existing: false };
  });
}

/** Findings a new service touches: its major hazards (already overdue?) and its kind's place in the plan. */
async function evaluateServiceFindings(tx: Tx, s: { serviceId: number; policyId: number; enterpriseUscc: string; kind: string }, now: Date) {
  // only major hazards can carry a finding; a general one needs no statement
  const majors = await hazardFacts(tx, and(eq(hazards.serviceId, s.serviceId), eq(hazards.severity, "MAJOR")));
  for (const h of majors) {
    await syncFindings(tx, { kind: SUBJECT.hazard, key: hazardSubjectKey(h.id) }, HAZARD_RULES, evaluateHazard(h, effectiveRules(h.regionCode), now));
  }
  const [plan] = await servicePlanFacts(tx, now, s);
  await syncFindings(tx, { kind: SUBJECT.servicePlan, key: servicePlanSubjectKey(s.policyId, s.enterpriseUscc, s.kind) }, SERVICE_PLAN_RULES, plan ? evaluateServicePlan(plan, now) : []);
}

export function validateRectificationInput(input: HazardRectificationInput, p: Problems): void {
  checks.uscc(p, "insurerUscc", input.insurerUscc);
  checks.text(p, "serviceRef", input.serviceRef, 64);
  checks.positiveInt(p, "seq", input.seq);
  if (!p.check(input.outcome === "RECTIFIED" || input.outcome === "REFUSED", "outcome", "enum", `未知整改结果 / unknown outcome ${input.outcome}`)) return;
  if (input.outcome === "RECTIFIED") {
    p.check(validInstant(input.rectifiedAt), "rectifiedAt", "required", "已整改须填写整改完成时间 / rectifiedAt is required for RECTIFIED");
  } else {
    p.check(input.rectifiedAt == null, "rectifiedAt", "not-applicable", "拒不整改没有整改完成时间 / a refusal has no rectifiedAt");
  }
}

/**
 * Records a hazard's outcome, by the lead insurer or a service org the hazard's policy names. Only an
 * OPEN hazard changes; the same outcome sent again (another key) is a replay. The hazard's findings are
 * re-evaluated at once: rectified clears MAJOR_HAZARD_OVERDUE, a refused major hazard opens
 * MAJOR_HAZARD_REFUSED for the regulator.
 */
export async function recordHazardRectificationTx(
  tx: Tx,
  viewer: Viewer,
  input: HazardRectificationInput,
  key: string,
  now: Date = new Date(),
): Promise<{ result: RectificationOutcome; replayed: boolean }> {
  requireCaller(viewer, "recordHazardRectification");
  requireIdempotencyKey(key);
  const p = new Problems();
  validateRectificationInput(input, p);
  if (!p.empty) throw new InputError(p.list);

  const [svc] = await tx
    .select({ id: preventionServices.id, insurerUscc: preventionServices.insurerUscc })
    .from(preventionServices)
    .where(and(eq(preventionServices.insurerUscc, input.insurerUscc), eq(preventionServices.serviceRef, input.serviceRef), recordVisible(viewer, preventionServices)));
  if (!svc) throw new InputError([{ field: "input.serviceRef", rule: "known-service", message: `无此服务记录或无权访问 / no service ${input.serviceRef} in your scope` }]);
  if (viewer.role === "INSURER" && viewer.org !== svc.insurerUscc) {
    throw forbidden("只有主承保机构或保单约定的服务机构可记录整改 / only the lead insurer or a service org the policy names records rectifications");
  }
  const [hazard] = await tx.select().from(hazards).where(and(eq(hazards.serviceId, svc.id), eq(hazards.seq, input.seq))).for("update");
  if (!hazard) throw new InputError([{ field: "input.seq", rule: "known-hazard", message: `该服务无第 ${input.seq} 项隐患 / service ${input.serviceRef} has no hazard ${input.seq}` }]);
  const rectifiedAt = input.outcome === "RECTIFIED" ? input.rectifiedAt! : null;
  if (rectifiedAt) {
    p.check(cstDate(rectifiedAt) >= hazard.noticeDate, "rectifiedAt", "date-order", `整改完成时间不能早于告知日期 ${hazard.noticeDate} / rectifiedAt cannot precede the notice date`);
  }
  if (!p.empty) throw new InputError(p.list);

  const payload = { insurerUscc: input.insurerUscc, serviceRef: input.serviceRef, seq: input.seq, outcome: input.outcome, rectifiedAt };
  return once(tx, viewer, "recordHazardRectification", key, payload, async () => {
    if (hazard.status !== "OPEN") {
      if (hazard.status === input.outcome && (hazard.rectifiedAt?.getTime() ?? null) === (rectifiedAt?.getTime() ?? null)) return { hazardId: hazard.id, existing: true };
      throw new InputError([{ field: "input.seq", rule: "hazard-status:closed", message: `隐患已${hazard.status === "RECTIFIED" ? "整改" : "拒不整改"}，不能再变更 / the hazard is already ${hazard.status}` }]);
    }
    await tx.update(hazards).set({ status: input.outcome, rectifiedAt }).where(eq(hazards.id, hazard.id));
    const [fact] = await hazardFacts(tx, eq(hazards.id, hazard.id));
    await syncFindings(tx, { kind: SUBJECT.hazard, key: hazardSubjectKey(hazard.id) }, HAZARD_RULES, evaluateHazard(fact, effectiveRules(fact.regionCode), now));
    return { hazardId: hazard.id, existing: false };
  });
}

import { and, asc, eq, sql } from "drizzle-orm";
import { enterpriseVisible } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Tx } from "../../db/client.js";
import { PAYMENT_KINDS } from "../../domain/vocabulary.js";
import { conflict, forbidden } from "../../graphql/errors.js";
import { checks, InputError, Problems, requireIdempotencyKey } from "../../graphql/validation.js";
import { accidentGrade, yuanToFen } from "../../rules/accidents.js";
import { accidents, claimants, claimPayments, claims, enterprises, policies, policyCoinsurers, policyEnterprises } from "../../../schema/index.js";
import { once, payloadHash } from "../idempotency/service.js";
import type { AccidentInput, ClaimAssessmentInput, ClaimPaymentInput, ClaimReportInput, ClaimSettlementInput } from "./inputs.js";
import { requireCaller } from "../access.js";

/**
 * The claims push (insurers) and accident records (departments). Every command follows filePolicyTx:
 * role → idempotency key → structural checks (no database) → reference checks in the transaction
 * → once() → state checks and writes. Checks that depend on the claim's current state (status,
 * payments so far) run inside once(), so a retry of an accepted push replays its first result even
 * after the claim has moved on; the claim row is locked first, so concurrent pushes on one claim
 * see each other's payments.
 */

export interface AccidentOutcome {
  accidentId: number;
}
/** `existing`: the push matched a stored record by its natural key (claimRef, paymentRef) and wrote nothing. */
export interface ClaimOutcome {
  claimId: number;
  policyId: number;
  existing: boolean;
}
export interface PaymentOutcome extends ClaimOutcome {
  paymentId: number;
}

/** Instants pushed as facts (occurred, reported, paid …) may not lie ahead of the hub's clock; this much skew between systems is tolerated. */
export const CLOCK_SKEW_MS = 5 * 60_000;
export const CLAIMANT_KINDS = ["EMPLOYEE", "THIRD_PARTY"] as const;
/** Payments made before the settlement: 先行垫付/预付, 紧急费用垫付, 小额快付. */
export const ADVANCE_KINDS = ["ADVANCE", "EMERGENCY_ADVANCE", "SMALL_FAST"] as const;
const REF_MAX = 64;

function requireKey(key: string): void {
  requireIdempotencyKey(key);
}

function requireInsurer(viewer: Viewer, mutation: "reportClaim" | "recordClaimPayment" | "assessClaim" | "settleClaim"): string {
  requireCaller(viewer, mutation);
  return viewer.org;
}

function notFuture(p: Problems, field: string, at: Date, now: Date): void {
  p.check(at.getTime() <= now.getTime() + CLOCK_SKEW_MS, field, "not-future", "时间不能晚于当前时间 / must not be in the future");
}

/** `later` not before `earlier` (equal is fine: a report in the same minute as the accident). */
function notBefore(p: Problems, field: string, later: Date, earlier: Date, message: string): void {
  p.check(later.getTime() >= earlier.getTime(), field, "date-order", message);
}

function fail(p: Problems): void {
  if (!p.empty) throw new InputError(p.list);
}

/* ───────────────────────────── accidents ───────────────────────────── */

export function validateAccidentInput(input: AccidentInput, p: Problems, now: Date): void {
  checks.uscc(p, "enterpriseUscc", input.enterpriseUscc);
  notFuture(p, "occurredAt", input.occurredAt, now);
  checks.nonNegativeInt(p, "deaths", input.deaths);
  checks.nonNegativeInt(p, "seriousInjuries", input.seriousInjuries);
  checks.money(p, "directLoss", input.directLoss);
  if (input.description != null) p.check(input.description.length <= 2000, "description", "max-length:2000", "长度不超过 2000 / at most 2000 characters");
}

/** 事故登记: a department records an accident of an enterprise it supervises; the grade follows 条例 第三条. */
export async function recordAccidentTx(tx: Tx, viewer: Viewer, input: AccidentInput, key: string): Promise<{ result: AccidentOutcome; replayed: boolean }> {
  requireCaller(viewer, "recordAccident");
  requireKey(key);
  const p = new Problems();
  validateAccidentInput(input, p, new Date());
  fail(p);

  const [e] = await tx
    .select({ uscc: enterprises.uscc, visible: sql<boolean>`${enterpriseVisible(viewer, sql`${input.enterpriseUscc}`)}` })
    .from(enterprises)
    .where(eq(enterprises.uscc, input.enterpriseUscc));
  if (!e) throw new InputError([{ field: "input.enterpriseUscc", rule: "known-enterprise", message: `未登记的单位 / unknown enterprise ${input.enterpriseUscc}` }]);
  if (!e.visible) throw forbidden("该单位不在本部门管辖范围内 / the enterprise is outside your jurisdiction");

  const grade = accidentGrade(input);
  return once(tx, viewer, "recordAccident", key, input, async () => {
    const [row] = await tx
      .insert(accidents)
      .values({
        enterpriseUscc: input.enterpriseUscc,
        occurredAt: input.occurredAt,
        deaths: input.deaths,
        seriousInjuries: input.seriousInjuries,
        directLoss: input.directLoss,
        grade,
        description: input.description ?? null,
        recordedBy: viewer.org,
      })
      .returning({ id: accidents.id });
    return { accidentId: row.id };
  });
}

/* ───────────────────────────── reportClaim ───────────────────────────── */

/** The content a claim report stands for: explicit nulls, trimmed names, ID numbers upper-cased (a final x is X). */
export function normalizeClaimReport(input: ClaimReportInput): ClaimReportInput {
  return {
    policyNo: input.policyNo,
    claimRef: input.claimRef,
    enterpriseUscc: input.enterpriseUscc,
    accidentId: input.accidentId ?? undefined,
    reportedAt: input.reportedAt,
    reserve: input.reserve,
    claimants: (input.claimants ?? []).map((c) => ({ kind: c.kind, name: c.name?.trim(), idNumber: c.idNumber?.trim().toUpperCase(), injury: c.injury ?? undefined })),
  };
}

export function validateClaimReport(input: ClaimReportInput, p: Problems, now: Date): void {
  checks.text(p, "policyNo", input.policyNo, REF_MAX);
  checks.text(p, "claimRef", input.claimRef, REF_MAX);
  checks.uscc(p, "enterpriseUscc", input.enterpriseUscc);
  if (input.accidentId != null) p.check(/^[1-9]\d{0,14}$/.test(input.accidentId), "accidentId", "known-accident", "该单位无此事故 / no such accident of this enterprise");
  notFuture(p, "reportedAt", input.reportedAt, now);
  checks.money(p, "reserve", input.reserve);
  const ids = new Set<string>();
  input.claimants.forEach((c, i) => {
    p.check((CLAIMANT_KINDS as readonly string[]).includes(c.kind), `claimants[${i}].kind`, "enum", `索赔人类型须为 EMPLOYEE 或 THIRD_PARTY / kind must be EMPLOYEE or THIRD_PARTY, got ${c.kind}`);
    checks.text(p, `claimants[${i}].name`, c.name, 100);
    if (checks.idNumber(p, `claimants[${i}].idNumber`, c.idNumber)) {
      p.check(!ids.has(c.idNumber), `claimants[${i}].idNumber`, "unique", "索赔人重复 / claimant listed twice");
      ids.add(c.idNumber);
    }
    if (c.injury != null) p.check(c.injury.length <= 500, `claimants[${i}].injury`, "max-length:500", "长度不超过 500 / at most 500 characters");
  });
}

type PolicyRow = typeof policies.$inferSelect;

/** The caller's policy as its lead insurer. A co-insurer is FORBIDDEN; anything else is unknown to the caller. */
async function leadPolicy(tx: Tx, insurer: string, policyNo: string): Promise<PolicyRow> {
  const [own] = await tx.select().from(policies).where(and(eq(policies.insurerUscc, insurer), eq(policies.policyNo, policyNo)));
  if (own) return own;
  const [shared] = await tx
    .select({ id: policies.id })
    .from(policies)
    .innerJoin(policyCoinsurers, and(eq(policyCoinsurers.policyId, policies.id), eq(policyCoinsurers.insurerUscc, insurer)))
    .where(eq(policies.policyNo, policyNo));
  if (shared) throw forbidden("共保机构不处理理赔，由主承保机构报送 / claims are pushed by the lead insurer, not a co-insurer");
  throw new InputError([{ field: "input.policyNo", rule: "known-policy", message: `本机构无此保单 / no policy ${policyNo} of yours` }]);
}

/** The policy covers [startAt, endAt), or up to its cancellation. */
const coverEnd = (pol: PolicyRow) => (pol.cancelledAt && pol.cancelledAt < pol.endAt ? pol.cancelledAt : pol.endAt);

async function validateClaimReferences(tx: Tx, input: ClaimReportInput, pol: PolicyRow, p: Problems): Promise<void> {
  const [insured] = await tx
    .select({ u: policyEnterprises.enterpriseUscc })
    .from(policyEnterprises)
    .where(and(eq(policyEnterprises.policyId, pol.id), eq(policyEnterprises.enterpriseUscc, input.enterpriseUscc)));
  p.check(!!insured, "enterpriseUscc", "insured-enterprise", `该单位不是保单 ${pol.policyNo} 的被保险单位 / the enterprise is not insured by policy ${pol.policyNo}`);
  p.check(input.reportedAt >= pol.startAt, "reportedAt", "in-policy-period", "报案时间不得早于起保时间 / reportedAt must not precede the policy period");
  if (input.accidentId == null) return;
  const [acc] = await tx
    .select()
    .from(accidents)
    .where(and(eq(accidents.id, Number(input.accidentId)), eq(accidents.enterpriseUscc, input.enterpriseUscc)));
  // an accident of another enterprise reads as unknown: its existence is not the caller's business
  if (!p.check(!!acc, "accidentId", "known-accident", "该单位无此事故 / no such accident of this enterprise")) return;
  p.check(
    acc.occurredAt >= pol.startAt && acc.occurredAt < coverEnd(pol),
    "accidentId",
    "in-policy-period",
    "事故须发生在保险期间内 / the accident must occur inside the policy period",
  );
  notBefore(p, "reportedAt", input.reportedAt, acc.occurredAt, "报案时间不得早于事故发生时间 / reportedAt must not precede the accident");
}

/** 报案: the lead insurer reports a claim under one of its policies; status REPORTED. */
export async function reportClaimTx(tx: Tx, viewer: Viewer, raw: ClaimReportInput, key: string): Promise<{ result: ClaimOutcome; replayed: boolean }> {
  const insurer = requireInsurer(viewer, "reportClaim");
  requireKey(key);
  const input = normalizeClaimReport(raw);
  const p = new Problems();
  validateClaimReport(input, p, new Date());
  fail(p);
  const pol = await leadPolicy(tx, insurer, input.policyNo);
  await validateClaimReferences(tx, input, pol, p);
  fail(p);

  const hash = payloadHash("reportClaim", input);
  return once(tx, viewer, "reportClaim", key, input, async () => {
    const [existing] = await tx
      .select({ id: claims.id, policyId: claims.policyId, hash: claims.payloadHash })
      .from(claims)
      .where(and(eq(claims.insurerUscc, insurer), eq(claims.claimRef, input.claimRef)));
    if (existing) {
      // the same report under a new key is still the same claim; different content is another claim with a reused reference
      if (existing.hash === hash) return { claimId: existing.id, policyId: existing.policyId, existing: true };
      throw conflict(`案件号 ${input.claimRef} 已存在且内容不同 / claim ${input.claimRef} exists with different content`);
    }
    const [row] = await tx
      .insert(claims)
      .values({
        insurerUscc: insurer,
        claimRef: input.claimRef,
        policyId: pol.id,
        enterpriseUscc: input.enterpriseUscc,
        accidentId: input.accidentId != null ? Number(input.accidentId) : null,
        status: "REPORTED",
        reportedAt: input.reportedAt,
        reserve: input.reserve,
        payloadHash: hash,
      })
      .returning({ id: claims.id });
    if (input.claimants.length) {
      await tx.insert(claimants).values(input.claimants.map((c) => ({ claimId: row.id, kind: c.kind, name: c.name, idNumber: c.idNumber, injury: c.injury ?? null })));
    }
    return { claimId: row.id, policyId: pol.id, existing: false };
  });
}

/* ───────────────────────── the claim of a later push ───────────────────────── */

type ClaimRow = typeof claims.$inferSelect;

/**
 * The caller's claim, locked for the change. Only the lead insurer of the claim's policy writes it:
 * a co-insurer of that policy is FORBIDDEN, anyone else does not know the reference.
 */
async function ownClaimForUpdate(tx: Tx, insurer: string, claimRef: string): Promise<ClaimRow> {
  const [own] = await tx.select().from(claims).where(and(eq(claims.insurerUscc, insurer), eq(claims.claimRef, claimRef))).for("update");
  if (own) {
    const [pol] = await tx.select({ lead: policies.insurerUscc }).from(policies).where(eq(policies.id, own.policyId));
    if (pol?.lead !== insurer) throw forbidden("只有保单主承保机构可处理该案件 / only the policy's lead insurer handles this claim");
    return own;
  }
  const [shared] = await tx
    .select({ id: claims.id })
    .from(claims)
    .innerJoin(policyCoinsurers, and(eq(policyCoinsurers.policyId, claims.policyId), eq(policyCoinsurers.insurerUscc, insurer)))
    .where(eq(claims.claimRef, claimRef));
  if (shared) throw forbidden("共保机构不处理理赔，由主承保机构报送 / claims are pushed by the lead insurer, not a co-insurer");
  throw new InputError([{ field: "input.claimRef", rule: "known-claim", message: `本机构无此案件 / no claim ${claimRef} of yours` }]);
}

const paymentsOf = (tx: Tx, claimId: number) => tx.select().from(claimPayments).where(eq(claimPayments.claimId, claimId)).orderBy(asc(claimPayments.paidAt));
const totalFen = (rows: { amount: string }[]) => rows.reduce((n, r) => n + yuanToFen(r.amount), 0n);

/** A closed claim takes no further decision. */
function closedProblem(claim: ClaimRow): InputError | null {
  if (claim.status === "SETTLED" || claim.status === "REJECTED") {
    return new InputError([{ field: "input.claimRef", rule: "claim-status:closed", message: "案件已结案或已拒赔 / the claim is already settled or rejected" }]);
  }
  return null;
}

/* ───────────────────────────── recordClaimPayment ───────────────────────────── */

/**
 * 赔款支付. Advances (ADVANCE, EMERGENCY_ADVANCE, SMALL_FAST) are paid on an open claim and move
 * REPORTED/ASSESSED to ADVANCE_PAID; SETTLEMENT payments follow the settlement, and all payments
 * together never exceed the settled amount. Advances on an open claim are not capped by the
 * reserve: the reserve is an estimate, and a real payment above it is still a payment the
 * regulator must see.
 */
export async function recordClaimPaymentTx(tx: Tx, viewer: Viewer, input: ClaimPaymentInput, key: string): Promise<{ result: PaymentOutcome; replayed: boolean }> {
  const insurer = requireInsurer(viewer, "recordClaimPayment");
  requireKey(key);
  const p = new Problems();
  checks.text(p, "claimRef", input.claimRef, REF_MAX);
  checks.text(p, "paymentRef", input.paymentRef, REF_MAX);
  p.check((PAYMENT_KINDS as readonly string[]).includes(input.kind), "kind", "enum", `未知支付类型 / unknown payment kind ${input.kind}`);
  const before = p.list.length;
  checks.money(p, "amount", input.amount);
  if (p.list.length === before) p.check(yuanToFen(input.amount) > 0n, "amount", "positive", "金额须大于0 / amount must be > 0");
  notFuture(p, "paidAt", input.paidAt, new Date());
  fail(p);
  const claim = await ownClaimForUpdate(tx, insurer, input.claimRef);
  notBefore(p, "paidAt", input.paidAt, claim.reportedAt, "支付时间不得早于报案时间 / paidAt must not precede the report");
  fail(p);

  return once(tx, viewer, "recordClaimPayment", key, input, async () => {
    const [existing] = await tx.select().from(claimPayments).where(and(eq(claimPayments.insurerUscc, insurer), eq(claimPayments.paymentRef, input.paymentRef)));
    if (existing) {
      const same = existing.claimId === claim.id && existing.kind === input.kind && yuanToFen(existing.amount) === yuanToFen(input.amount) && existing.paidAt.getTime() === input.paidAt.getTime();
      if (same) return { claimId: claim.id, policyId: claim.policyId, paymentId: existing.id, existing: true };
      throw conflict(`支付流水号 ${input.paymentRef} 已存在且内容不同 / payment ${input.paymentRef} exists with different content`);
    }
    const paid = await paymentsOf(tx, claim.id);
    const settlement = input.kind === "SETTLEMENT";
    const q = new Problems();
    if (claim.status === "REJECTED") q.add("claimRef", "claim-status:rejected", "已拒赔案件不能支付 / no payment on a rejected claim");
    else if (settlement && claim.status !== "SETTLED") q.add("kind", "claim-status:unsettled", "结案赔付须在结案之后 / a SETTLEMENT payment needs a settled claim");
    else if (!settlement && claim.status === "SETTLED") q.add("kind", "claim-status:settled", "结案后只能支付结案赔款 / after settlement only SETTLEMENT payments");
    else if (claim.status === "SETTLED" && totalFen(paid) + yuanToFen(input.amount) > yuanToFen(claim.settledAmount!)) {
      q.add("amount", "payments-exceed-settlement", `已付与本次合计超过结案金额 ${claim.settledAmount} / payments would exceed the settled amount ${claim.settledAmount}`);
    }
    fail(q);
    const [row] = await tx
      .insert(claimPayments)
      .values({ claimId: claim.id, insurerUscc: insurer, paymentRef: input.paymentRef, kind: input.kind, amount: input.amount, paidAt: input.paidAt })
      .returning({ id: claimPayments.id });
    if (!settlement && (claim.status === "REPORTED" || claim.status === "ASSESSED")) await tx.update(claims).set({ status: "ADVANCE_PAID" }).where(eq(claims.id, claim.id));
    return { claimId: claim.id, policyId: claim.policyId, paymentId: row.id, existing: false };
  });
}

/* ───────────────────────────── assessClaim ───────────────────────────── */

/** 定损: REPORTED → ASSESSED (an ADVANCE_PAID claim keeps its status), optionally revising the reserve. Once per claim. */
export async function assessClaimTx(tx: Tx, viewer: Viewer, input: ClaimAssessmentInput, key: string): Promise<{ result: ClaimOutcome; replayed: boolean }> {
  const insurer = requireInsurer(viewer, "assessClaim");
  requireKey(key);
  const p = new Problems();
  checks.text(p, "claimRef", input.claimRef, REF_MAX);
  notFuture(p, "assessedAt", input.assessedAt, new Date());
  checks.money(p, "reserve", input.reserve, false);
  fail(p);
  const claim = await ownClaimForUpdate(tx, insurer, input.claimRef);
  notBefore(p, "assessedAt", input.assessedAt, claim.reportedAt, "定损时间不得早于报案时间 / assessedAt must not precede the report");
  fail(p);

  return once(tx, viewer, "assessClaim", key, input, async () => {
    const closed = closedProblem(claim);
    if (closed) throw closed;
    if (claim.assessedAt) throw new InputError([{ field: "input.assessedAt", rule: "claim-status:assessed", message: "案件已定损 / the claim is already assessed" }]);
    await tx
      .update(claims)
      .set({ assessedAt: input.assessedAt, status: claim.status === "REPORTED" ? "ASSESSED" : claim.status, ...(input.reserve != null ? { reserve: input.reserve } : {}) })
      .where(eq(claims.id, claim.id));
    return { claimId: claim.id, policyId: claim.policyId, existing: false };
  });
}

/* ───────────────────────────── settleClaim ───────────────────────────── */

/**
 * 结案 or 拒赔, once per claim. Settling needs settledAmount (at least what was already paid) and
 * settledAt; rejecting needs a reason and rejectedAt and is refused once anything was paid. An
 * assessedAt given here records the assessment on the way (REPORTED → ASSESSED → closed).
 */
export async function settleClaimTx(tx: Tx, viewer: Viewer, input: ClaimSettlementInput, key: string): Promise<{ result: ClaimOutcome; replayed: boolean }> {
  const insurer = requireInsurer(viewer, "settleClaim");
  requireKey(key);
  const now = new Date();
  const p = new Problems();
  checks.text(p, "claimRef", input.claimRef, REF_MAX);
  const reject = input.reject === true;
  const notAllowed = (field: string, v: unknown) => p.check(v == null, field, "not-allowed", reject ? "拒赔时不填该项 / not allowed when rejecting" : "结案时不填该项 / not allowed when settling");
  if (reject) {
    checks.text(p, "rejectionReason", input.rejectionReason, 500);
    if (!input.rejectedAt) p.add("rejectedAt", "required", "必填 / required");
    notAllowed("settledAmount", input.settledAmount);
    notAllowed("settledAt", input.settledAt);
  } else {
    checks.money(p, "settledAmount", input.settledAmount);
    if (!input.settledAt) p.add("settledAt", "required", "必填 / required");
    notAllowed("rejectionReason", input.rejectionReason);
    notAllowed("rejectedAt", input.rejectedAt);
  }
  const closedAt = reject ? input.rejectedAt : input.settledAt;
  const closedField = reject ? "rejectedAt" : "settledAt";
  if (closedAt) notFuture(p, closedField, closedAt, now);
  if (input.assessedAt) {
    notFuture(p, "assessedAt", input.assessedAt, now);
    if (closedAt) notBefore(p, closedField, closedAt, input.assessedAt, "结案/拒赔时间不得早于定损时间 / the decision must not precede the assessment");
  }
  fail(p);
  const claim = await ownClaimForUpdate(tx, insurer, input.claimRef);
  notBefore(p, closedField, closedAt!, claim.reportedAt, "结案/拒赔时间不得早于报案时间 / the decision must not precede the report");
  if (input.assessedAt) notBefore(p, "assessedAt", input.assessedAt, claim.reportedAt, "定损时间不得早于报案时间 / assessedAt must not precede the report");
  fail(p);

  return once(tx, viewer, "settleClaim", key, input, async () => {
    const closed = closedProblem(claim);
    if (closed) throw closed;
    const q = new Problems();
    if (input.assessedAt && claim.assessedAt) q.add("assessedAt", "claim-status:assessed", "案件已定损 / the claim is already assessed");
    if (!input.assessedAt && claim.assessedAt) notBefore(q, closedField, closedAt!, claim.assessedAt, "结案/拒赔时间不得早于定损时间 / the decision must not precede the assessment");
    const paid = await paymentsOf(tx, claim.id);
    if (reject) q.check(paid.length === 0, "reject", "claim-status:paid", "已有赔款支付的案件不能拒赔 / a claim with payments cannot be rejected");
    else {
      const total = totalFen(paid);
      q.check(yuanToFen(input.settledAmount!) >= total, "settledAmount", "settlement-below-payments", `结案金额不得低于已付金额 ${fenToYuan(total)} / the settled amount must cover what was paid (${fenToYuan(total)})`);
    }
    fail(q);
    const assessedAt = input.assessedAt ?? claim.assessedAt;
    await tx
      .update(claims)
      .set(
        reject
          ? { status: "REJECTED", rejectedAt: input.rejectedAt!, rejectionReason: input.rejectionReason!.trim(), assessedAt }
          : { status: "SETTLED", settledAt: input.settledAt!, settledAmount: input.settledAmount!, assessedAt },
      )
      .where(eq(claims.id, claim.id));
    return { claimId: claim.id, policyId: claim.policyId, existing: false };
  });
}

const fenToYuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;

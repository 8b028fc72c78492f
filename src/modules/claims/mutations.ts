import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { inTransaction } from "../../graphql/validation.js";
import { assessClaimTx, recordAccidentTx, recordClaimPaymentTx, reportClaimTx, settleClaimTx, type ClaimOutcome } from "./commands.js";
import {
  AccidentInput, AccidentRecordResult, ClaimAssessmentInput, ClaimPaymentInput, ClaimPaymentResult, ClaimReportInput, ClaimResult, ClaimSettlementInput,
} from "./inputs.js";

/**
 * The claims push (lead insurers) and accident records (departments). Each call is one transaction;
 * a retry with the same idempotency key replays the first result. Results are reloaded through the
 * request's scoped loaders, so the caller sees exactly what a query would show it.
 */
@Resolver()
export class ClaimMutations {
  @Mutation(() => AccidentRecordResult, { description: "登记生产安全事故（行业主管部门/安委办，限管辖范围内单位；等级自动计算）/ record an accident of an enterprise in your jurisdiction; the grade is computed" })
  async recordAccident(@Arg("input", () => AccidentInput) input: AccidentInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => recordAccidentTx(tx, ctx.viewer, input, idempotencyKey));
    return { idempotencyKey, replayed, accident: await ctx.loaders.accident.load(result.accidentId) };
  }

  @Mutation(() => ClaimResult, { description: "报案（保单主承保机构）；同一案件号同一内容视为重复提交 / report a claim as the policy's lead insurer; the same claimRef with the same content is a replay" })
  async reportClaim(@Arg("input", () => ClaimReportInput) input: ClaimReportInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => reportClaimTx(tx, ctx.viewer, input, idempotencyKey));
    return claimResult(ctx, idempotencyKey, result, replayed);
  }

  @Mutation(() => ClaimPaymentResult, { description: "记录赔款支付（预付、紧急垫付、小额快付、结案赔付）/ record a payment on your claim: advances, or the settlement payment" })
  async recordClaimPayment(@Arg("input", () => ClaimPaymentInput) input: ClaimPaymentInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => recordClaimPaymentTx(tx, ctx.viewer, input, idempotencyKey));
    const base = await claimResult(ctx, idempotencyKey, result, replayed);
    const payments = base.claim ? await ctx.loaders.paymentsOfClaim.load(result.claimId) : [];
    return { ...base, payment: payments.find((x) => x.id === result.paymentId) ?? null };
  }

  @Mutation(() => ClaimResult, { description: "定损（可调整准备金）/ record the assessment of your claim, optionally revising the reserve" })
  async assessClaim(@Arg("input", () => ClaimAssessmentInput) input: ClaimAssessmentInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => assessClaimTx(tx, ctx.viewer, input, idempotencyKey));
    return claimResult(ctx, idempotencyKey, result, replayed);
  }

  @Mutation(() => ClaimResult, { description: "结案或拒赔（reject: true）/ settle your claim, or reject it with reject: true" })
  async settleClaim(@Arg("input", () => ClaimSettlementInput) input: ClaimSettlementInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => settleClaimTx(tx, ctx.viewer, input, idempotencyKey));
    return claimResult(ctx, idempotencyKey, result, replayed);
  }
}

/** replayed: the key was seen before, or the push matched a stored claim or payment by its natural key; either way nothing was written. */
async function claimResult(ctx: Context, idempotencyKey: string, r: ClaimOutcome, replayed: boolean) {
  const claims = await ctx.loaders.claimsOfPolicy.load(r.policyId);
  return { idempotencyKey, replayed: replayed || r.existing, claim: claims.find((c) => c.id === r.claimId) ?? null };
}

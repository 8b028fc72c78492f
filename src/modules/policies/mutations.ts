import { GraphQLError } from "graphql";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { inTransaction, InputError } from "../../graphql/validation.js";
import { filePolicies } from "./bulk.js";
import { amendPolicyTx, cancelPolicyTx, filePolicyTx } from "./commands.js";
import { PolicyFilingInput, PolicyFilingResult, PolicyInput } from "./inputs.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

export const MAX_BULK = 1000;

@Resolver()
export class PolicyMutations {
  @Mutation(() => PolicyFilingResult, { description: "报送一张保单（主承保机构）；同一幂等键重复提交返回首次结果 / file one policy as its lead insurer; a retry with the same key replays the first result" })
  async filePolicy(@Arg("input", () => PolicyInput) input: PolicyInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => filePolicyTx(tx, ctx.viewer, input, idempotencyKey));
    return accepted(ctx, idempotencyKey, result.policyId, replayed);
  }

  @Mutation(() => PolicyFilingResult, { description: "批改：提交保单的完整新内容及原因，生成新版本 / amend: the policy's whole new content and a reason; a new version, history kept" })
  async amendPolicy(
    @Arg("policyNo", () => String) policyNo: string,
    @Arg("input", () => PolicyInput) input: PolicyInput,
    @Arg("reason", () => String, { description: "批改原因 / reason" }) reason: string,
    @Arg("idempotencyKey", () => String) idempotencyKey: string,
    @Ctx() ctx: Context,
  ) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => amendPolicyTx(tx, ctx.viewer, policyNo, input, reason, idempotencyKey));
    return accepted(ctx, idempotencyKey, result.policyId, replayed);
  }

  @Mutation(() => PolicyFilingResult, { description: "退保（原因必填）/ cancel a policy; the reason is required" })
  async cancelPolicy(
    @Arg("policyNo", () => String) policyNo: string,
    @Arg("cancelledAt", () => DateTimeScalar) cancelledAt: Date,
    @Arg("reason", () => String, { description: "退保原因 / reason" }) reason: string,
    @Arg("idempotencyKey", () => String) idempotencyKey: string,
    @Ctx() ctx: Context,
  ) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => cancelPolicyTx(tx, ctx.viewer, policyNo, cancelledAt, reason, idempotencyKey));
    return accepted(ctx, idempotencyKey, result.policyId, replayed);
  }

  @Mutation(() => [PolicyFilingResult], {
    description: `批量报送（≤ ${MAX_BULK} 张）：每项单独接收或拒收，一项出错不影响其他 / bulk filing of up to ${MAX_BULK}; each item is accepted or rejected on its own`,
  })
  async filePolicies(@Arg("inputs", () => [PolicyFilingInput]) inputs: PolicyFilingInput[], @Ctx() ctx: Context) {
    if (inputs.length > MAX_BULK) {
      throw new GraphQLError(`一次最多 ${MAX_BULK} 项 / at most ${MAX_BULK} items per call`, { extensions: { code: "BAD_USER_INPUT", field: "inputs", rule: `max:${MAX_BULK}` } });
    }
    const outcomes = await filePolicies(ctx.db, ctx.viewer, inputs);
    return Promise.all(
      outcomes.map((o, i) => {
        const key = inputs[i].idempotencyKey;
        if (o.ok) return accepted(ctx, key, o.policyId, o.replayed);
        return rejected(key, o.error, i);
      }),
    );
  }
}

async function accepted(ctx: Context, idempotencyKey: string, policyId: number, replayed: boolean) {
  const findings = await ctx.loaders.findingsOfPolicy.load(policyId);
  const policies = ctx.loaders.policy;
  return {
    idempotencyKey,
    accepted: true,
    replayed,
    // read only when the field is asked for: a push of 500 filings rarely reads them back
    get policy() {
      return policies.load(policyId);
    },
    findings: findings.filter((f) => f.status === "OPEN"),
    errors: [],
    errorCode: null,
  };
}

function rejected(idempotencyKey: string, error: unknown, index: number) {
  const base = { idempotencyKey, accepted: false, replayed: false, policy: null, findings: [] };
  const at = (field: string) => field.replace(/^input/, `inputs[${index}].input`).replace(/^idempotencyKey/, `inputs[${index}].idempotencyKey`);
  if (error instanceof InputError) return { ...base, errorCode: "BAD_USER_INPUT", errors: error.problems.map((p) => ({ ...p, field: at(p.field) })) };
  if (error instanceof GraphQLError && typeof error.extensions?.code === "string" && error.extensions.code !== "INTERNAL_SERVER_ERROR") {
    return { ...base, errorCode: error.extensions.code, errors: [{ field: `inputs[${index}]`, rule: String(error.extensions.code).toLowerCase(), message: error.message }] };
  }
  throw error;
}

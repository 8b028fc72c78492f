import { GraphQLError } from "graphql";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { inTransaction, requireIdempotencyKey } from "../../graphql/validation.js";
import { once } from "../idempotency/service.js";
import { MAX_ENTERPRISE_BATCH, upsertEnterprisesTx, type UpsertOutcome } from "./commands.js";
import { EnterpriseInput, EnterpriseUpsertResult } from "./inputs.js";

@Resolver()
export class EnterpriseMutations {
  @Mutation(() => [EnterpriseUpsertResult], {
    description: `新增或更新辖区单位基础数据（≤ ${MAX_ENTERPRISE_BATCH} 条，逐条接收或拒收）/ create or update enterprises in your jurisdiction; each row accepted or rejected on its own`,
  })
  async upsertEnterprises(
    @Arg("inputs", () => [EnterpriseInput]) inputs: EnterpriseInput[],
    @Arg("idempotencyKey", () => String) idempotencyKey: string,
    @Ctx() ctx: Context,
  ) {
    if (inputs.length > MAX_ENTERPRISE_BATCH) {
      throw new GraphQLError(`一次最多 ${MAX_ENTERPRISE_BATCH} 条 / at most ${MAX_ENTERPRISE_BATCH} rows`, { extensions: { code: "BAD_USER_INPUT", field: "inputs", rule: `max:${MAX_ENTERPRISE_BATCH}` } });
    }
    const { result } = await inTransaction(ctx.db, (tx) => {
      requireIdempotencyKey(idempotencyKey);
      return once(tx, ctx.viewer, "upsertEnterprises", idempotencyKey, inputs, () => upsertEnterprisesTx(tx, ctx.viewer, inputs));
    });
    return (result as UpsertOutcome[]).map((o) =>
      o.accepted ? { uscc: o.uscc, accepted: true, created: o.created, errors: [], errorCode: null } : { uscc: o.uscc, accepted: false, created: false, errors: o.errors, errorCode: o.code },
    );
  }
}

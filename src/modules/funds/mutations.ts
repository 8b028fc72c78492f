import { and, eq, inArray } from "drizzle-orm";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { fundEntryVisible } from "../../auth/scope.js";
import type { Context } from "../../graphql/context.js";
import { inTransaction } from "../../graphql/validation.js";
import { FUND_RULES } from "../../rules/prevention-findings.js";
import { complianceFindings, fundEntries } from "../../../schema/index.js";
import { findingVisible } from "../compliance/service.js";
import { recordFundEntryTx, type FundEntryOutcome } from "./commands.js";
import { FundEntryInput, FundEntryRecordResult } from "./inputs.js";

@Resolver()
export class FundMutations {
  @Mutation(() => FundEntryRecordResult, {
    description: "记录本机构事故预防费用台账条目（提取/使用）；同一幂等键重复提交返回首次结果 / book an EXTRACTION or USE entry in your own prevention-fund ledger; a retry with the same key replays the first result",
  })
  async recordFundEntry(@Arg("input", () => FundEntryInput) input: FundEntryInput, @Arg("idempotencyKey", () => String) idempotencyKey: string, @Ctx() ctx: Context) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => recordFundEntryTx(tx, ctx.viewer, input, idempotencyKey));
    return entryRecorded(ctx, idempotencyKey, result, replayed);
  }
}

async function entryRecorded(ctx: Context, idempotencyKey: string, result: FundEntryOutcome, replayed: boolean) {
  const [entry] = await ctx.db.select().from(fundEntries).where(and(eq(fundEntries.id, result.entryId), fundEntryVisible(ctx.viewer, fundEntries)));
  const findings =
    result.policyId === null
      ? []
      : await ctx.db
          .select()
          .from(complianceFindings)
          .where(
            and(
              eq(complianceFindings.policyId, result.policyId),
              eq(complianceFindings.insurerUscc, ctx.viewer.org ?? ""),
              inArray(complianceFindings.ruleCode, [...FUND_RULES]),
              eq(complianceFindings.status, "OPEN"),
              findingVisible(ctx.viewer),
            ),
          );
  return { idempotencyKey, replayed: replayed || result.existing, entry: entry ?? null, findings };
}

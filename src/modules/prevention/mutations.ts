import { and, eq } from "drizzle-orm";
import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from "type-graphql";
import { recordVisible } from "../../auth/scope.js";
import type { Context } from "../../graphql/context.js";
import { inTransaction } from "../../graphql/validation.js";
import { hazardSubjectKey, servicePlanSubjectKey, SUBJECT } from "../../rules/prevention-findings.js";
import { hazards, preventionServices } from "../../../schema/index.js";
import { findingsOf } from "../compliance/service.js";
import { recordHazardRectificationTx, recordPreventionServiceTx, type RectificationOutcome, type ServiceOutcome } from "./commands.js";
import { HazardRectificationInput, HazardRectificationResult, PreventionServiceInput, PreventionServiceRecordResult } from "./inputs.js";
import type { HazardRow } from "./service.js";
import { Hazard } from "./types.js";

@Resolver()
export class PreventionMutations {
  @Mutation(() => PreventionServiceRecordResult, {
    description:
      "记录一次事故预防服务及发现的隐患（主承保机构，或保单约定的服务机构）；同一幂等键重复提交返回首次结果 / record a prevention service and its hazards, as the policy's lead insurer or a service org it names; a retry with the same key replays the first result",
  })
  async recordPreventionService(
    @Arg("input", () => PreventionServiceInput) input: PreventionServiceInput,
    @Arg("idempotencyKey", () => String) idempotencyKey: string,
    @Ctx() ctx: Context,
  ) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => recordPreventionServiceTx(tx, ctx.viewer, input, idempotencyKey));
    return serviceRecorded(ctx, idempotencyKey, result, replayed);
  }

  @Mutation(() => HazardRectificationResult, {
    description: "记录隐患整改结果：已整改或拒不整改（仅限整改中的隐患）/ record a hazard's outcome, rectified or refused; only an open hazard changes",
  })
  async recordHazardRectification(
    @Arg("input", () => HazardRectificationInput) input: HazardRectificationInput,
    @Arg("idempotencyKey", () => String) idempotencyKey: string,
    @Ctx() ctx: Context,
  ) {
    const { result, replayed } = await inTransaction(ctx.db, (tx) => recordHazardRectificationTx(tx, ctx.viewer, input, idempotencyKey));
    return rectificationRecorded(ctx, idempotencyKey, result, replayed);
  }
}

/** The hazard's number within its service: with the service's insurer and reference, its natural key. */
@Resolver(() => Hazard)
export class HazardKeyResolver {
  @FieldResolver(() => Int, { description: "隐患序号（服务记录中从1起）/ number within its service, from 1" })
  seq(@Root() h: HazardRow) {
    return h.seq;
  }
}

async function serviceRecorded(ctx: Context, idempotencyKey: string, result: ServiceOutcome, replayed: boolean) {
  const [service] = await ctx.db
    .select()
    .from(preventionServices)
    .where(and(eq(preventionServices.id, result.serviceId), recordVisible(ctx.viewer, preventionServices)));
  if (!service) return { idempotencyKey, replayed: replayed || result.existing, service: null, findings: [] };
  const found = await ctx.loaders.hazardsOfService.load(service.id);
  const [hazardFindings, planFindings] = await Promise.all([
    found.length ? findingsOf(ctx.db, ctx.viewer, SUBJECT.hazard, found.map((h) => hazardSubjectKey(h.id))) : [],
    findingsOf(ctx.db, ctx.viewer, SUBJECT.servicePlan, [servicePlanSubjectKey(service.policyId, service.enterpriseUscc, service.kind)]),
  ]);
  const findings = [...hazardFindings, ...planFindings].filter((f) => f.status === "OPEN");
  return { idempotencyKey, replayed: replayed || result.existing, service, findings };
}

async function rectificationRecorded(ctx: Context, idempotencyKey: string, result: RectificationOutcome, replayed: boolean) {
  const [hazard] = await ctx.db.select().from(hazards).where(and(eq(hazards.id, result.hazardId), recordVisible(ctx.viewer, hazards)));
  const findings = hazard ? (await findingsOf(ctx.db, ctx.viewer, SUBJECT.hazard, [hazardSubjectKey(hazard.id)])).filter((f) => f.status === "OPEN") : [];
  return { idempotencyKey, replayed: replayed || result.existing, hazard: hazard ?? null, findings };
}

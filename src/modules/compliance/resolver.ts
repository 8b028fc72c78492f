import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { Enterprise, PageArgs } from "../enterprises/types.js";
import type { EnterpriseRow } from "../enterprises/service.js";
import { Policy } from "../policies/types.js";
import type { PolicyRow } from "../policies/service.js";
import { findingField } from "./masking.js";
import { listFindings, type FindingRow } from "./service.js";
import { ComplianceFinding, ComplianceFindingConnection, ComplianceFindingFilter } from "./types.js";

@Resolver(() => ComplianceFinding)
export class ComplianceFindingResolver {
  @Query(() => ComplianceFindingConnection, { description: "合规问题 / compliance findings in your scope" })
  complianceFindings(
    @Arg("filter", () => ComplianceFindingFilter, { nullable: true }) filter: ComplianceFindingFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listFindings(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => String)
  message(@Root() f: FindingRow, @Ctx() ctx: Context) {
    return findingField.message(ctx.viewer, f);
  }
}

@Resolver(() => Policy)
export class PolicyFindingsResolver {
  @FieldResolver(() => [ComplianceFinding], { description: "合规问题（含已消除）/ findings, resolved ones included" })
  findings(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.findingsOfPolicy.load(p.id);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseFindingsResolver {
  @FieldResolver(() => [ComplianceFinding], { description: "未消除的合规问题 / open findings" })
  openFindings(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.openFindingsOfEnterprise.load(e.uscc);
  }
}

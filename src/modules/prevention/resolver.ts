import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { selectsField } from "../../graphql/lookahead.js";
import type { Context } from "../../graphql/context.js";
import { HazardStatus } from "../../graphql/enums.js";
import { Enterprise, PageArgs } from "../enterprises/types.js";
import type { EnterpriseRow } from "../enterprises/service.js";
import { Policy } from "../policies/types.js";
import type { PolicyRow } from "../policies/service.js";
import { Insurer, ServiceOrg } from "../registry/types.js";
import { hazardStatus, listHazards, listServices, type HazardRow, type ServiceRow } from "./service.js";
import { Hazard, HazardConnection, HazardFilter, PreventionService, PreventionServiceConnection, PreventionServiceFilter } from "./types.js";

@Resolver(() => PreventionService)
export class PreventionServiceResolver {
  @Query(() => PreventionServiceConnection, { description: "事故预防服务列表 / prevention services in your scope" })
  preventionServices(
    @Arg("filter", () => PreventionServiceFilter, { nullable: true }) filter: PreventionServiceFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listServices(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => Policy, { nullable: true, description: "保单 / policy" })
  policy(@Root() s: ServiceRow, @Ctx() ctx: Context) {
    return ctx.loaders.policy.load(s.policyId);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: "服务对象单位 / enterprise" })
  enterprise(@Root() s: ServiceRow, @Ctx() ctx: Context) {
    return ctx.loaders.enterprise.load(s.enterpriseUscc);
  }

  @FieldResolver(() => Insurer, { description: "保险机构 / insurer" })
  insurer(@Root() s: ServiceRow, @Ctx() ctx: Context) {
    return ctx.loaders.insurer.load(s.insurerUscc);
  }

  @FieldResolver(() => ServiceOrg, { nullable: true, description: "实施服务的服务机构（空 = 保险机构自行实施）/ service org; null = the insurer itself" })
  serviceOrg(@Root() s: ServiceRow, @Ctx() ctx: Context) {
    return s.serviceOrgUscc ? ctx.loaders.serviceOrg.load(s.serviceOrgUscc) : null;
  }

  @FieldResolver(() => [Hazard], { description: "发现的隐患 / hazards found" })
  hazards(@Root() s: ServiceRow & { hazards?: HazardRow[] }, @Ctx() ctx: Context) {
    // fetched with the service when the query selected them (servicesWithHazardsOfPolicy)
    return s.hazards ?? ctx.loaders.hazardsOfService.load(s.id);
  }
}

@Resolver(() => Hazard)
export class HazardResolver {
  @Query(() => HazardConnection, { description: "隐患列表 / hazards in your scope" })
  hazards(@Arg("filter", () => HazardFilter, { nullable: true }) filter: HazardFilter | undefined, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listHazards(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => HazardStatus, { description: "整改状态（逾期按北京时间判断）/ status; OVERDUE when open past its deadline" })
  status(@Root() h: HazardRow) {
    return hazardStatus(h);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: "单位 / enterprise" })
  enterprise(@Root() h: HazardRow, @Ctx() ctx: Context) {
    return ctx.loaders.enterprise.load(h.enterpriseUscc);
  }
}

/** policy → services, hazards; enterprise → services, hazards */
@Resolver(() => Policy)
export class PolicyPreventionResolver {
  @FieldResolver(() => [PreventionService], { description: "事故预防服务 / prevention services" })
  preventionServices(@Root() p: PolicyRow, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return selectsField(info, "hazards") ? ctx.loaders.servicesWithHazardsOfPolicy.load(p.id) : ctx.loaders.servicesOfPolicy.load(p.id);
  }

  @FieldResolver(() => [Hazard], { description: "隐患 / hazards" })
  hazards(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.hazardsOfPolicy.load(p.id);
  }
}

@Resolver(() => Enterprise)
export class EnterprisePreventionResolver {
  @FieldResolver(() => [PreventionService], { description: "事故预防服务 / prevention services" })
  preventionServices(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.servicesOfEnterprise.load(e.uscc);
  }

  @FieldResolver(() => [Hazard], { description: "隐患 / hazards" })
  hazards(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.hazardsOfEnterprise.load(e.uscc);
  }
}

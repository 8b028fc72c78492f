import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PolicyStatus } from "../../graphql/enums.js";
import { Enterprise, PageArgs } from "../enterprises/types.js";
import type { EnterpriseRow } from "../enterprises/service.js";
import { Broker, Insurer, ServiceOrg } from "../registry/types.js";
import { CoinsuranceShare, InsuredEnterprise, Policy, PolicyConnection, PolicyFilter, PolicyVersion, ServicePlanItem } from "./types.js";
import { findPolicy, listPolicies, policyStatus, type PolicyRow } from "./service.js";

@Resolver(() => Policy)
export class PolicyResolver {
  @Query(() => Policy, { nullable: true, description: "按保险机构和保单号查询保单 / one policy by insurer USCC and policy number" })
  policy(@Arg("insurerId", () => String) insurerId: string, @Arg("policyNo", () => String) policyNo: string, @Ctx() ctx: Context) {
    return findPolicy(ctx.db, ctx.viewer, insurerId, policyNo);
  }

  @Query(() => PolicyConnection, { description: "保单列表 / policies in your scope" })
  policies(@Arg("filter", () => PolicyFilter, { nullable: true }) filter: PolicyFilter | undefined, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listPolicies(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => PolicyStatus, { description: "状态（按当前时间）/ status now" })
  status(@Root() p: PolicyRow) {
    return policyStatus(p);
  }

  @FieldResolver(() => Insurer, { description: "主承保机构 / lead insurer" })
  insurer(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.insurer.load(p.insurerUscc);
  }

  @FieldResolver(() => Broker, { nullable: true, description: "经纪机构 / broker" })
  broker(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return p.brokerUscc ? ctx.loaders.broker.load(p.brokerUscc) : null;
  }

  @FieldResolver(() => [InsuredEnterprise], { description: "被保险单位（园区整体投保为多个）/ insured enterprises (several for a park group policy)" })
  insuredEnterprises(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.insuredOfPolicy.load(p.id);
  }

  @FieldResolver(() => [CoinsuranceShare], { description: "共保份额 / co-insurance shares" })
  coinsurers(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.coinsurersOfPolicy.load(p.id);
  }

  @FieldResolver(() => [ServicePlanItem], { description: "事故预防服务计划 / prevention-service plan" })
  servicePlan(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.servicePlanOfPolicy.load(p.id);
  }

  @FieldResolver(() => [ServiceOrg], { description: "约定的服务机构 / named service orgs" })
  async serviceOrgs(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    const links = await ctx.loaders.serviceOrgsOfPolicy.load(p.id);
    return (await ctx.loaders.serviceOrg.loadMany(links.map((l) => l.serviceOrgUscc))).filter((o) => o && !(o instanceof Error));
  }

  @FieldResolver(() => [PolicyVersion], { description: "批改历史 / amendment history" })
  versions(@Root() p: PolicyRow, @Ctx() ctx: Context) {
    return ctx.loaders.versionsOfPolicy.load(p.id);
  }
}

@Resolver(() => InsuredEnterprise)
export class InsuredEnterpriseResolver {
  @FieldResolver(() => Enterprise, { nullable: true, description: "单位 / the enterprise" })
  enterprise(@Root() i: { enterpriseUscc: string }, @Ctx() ctx: Context) {
    return ctx.loaders.enterprise.load(i.enterpriseUscc);
  }
}

@Resolver(() => CoinsuranceShare)
export class CoinsuranceShareResolver {
  @FieldResolver(() => Insurer, { description: "保险机构 / insurer" })
  insurer(@Root() s: { insurerUscc: string }, @Ctx() ctx: Context) {
    return ctx.loaders.insurer.load(s.insurerUscc);
  }
}

/** enterprise → policies */
@Resolver(() => Enterprise)
export class EnterprisePoliciesResolver {
  @FieldResolver(() => [Policy], { description: "保单（新到旧）/ policies, newest first" })
  async policies(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return (await ctx.loaders.policiesOfEnterprise.load(e.uscc)).map((r) => r.policy);
  }
}

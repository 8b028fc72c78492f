import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from "type-graphql";
import { selectsField } from "../../graphql/lookahead.js";
import type { PaymentRow } from "./loaders.js";
import type { Context } from "../../graphql/context.js";
import { Enterprise, PageArgs } from "../enterprises/types.js";
import type { EnterpriseRow } from "../enterprises/service.js";
import { Policy } from "../policies/types.js";
import type { PolicyRow } from "../policies/service.js";
import { Insurer } from "../registry/types.js";
import { claimantField } from "./masking.js";
import { listAccidents, listClaims, type AccidentRow, type ClaimRow } from "./service.js";
import { Accident, AccidentConnection, AccidentFilter, Claim, ClaimConnection, ClaimFilter, Claimant, ClaimPayment } from "./types.js";

@Resolver(() => Claim)
export class ClaimResolver {
  @Query(() => ClaimConnection, { description: "理赔案件列表 / claims in your scope" })
  claims(@Arg("filter", () => ClaimFilter, { nullable: true }) filter: ClaimFilter | undefined, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listClaims(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => Policy, { nullable: true, description: "保单 / policy" })
  policy(@Root() c: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.policy.load(c.policyId);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: "出险单位 / enterprise" })
  enterprise(@Root() c: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.enterprise.load(c.enterpriseUscc);
  }

  @FieldResolver(() => Insurer, { description: "处理保险机构 / handling insurer" })
  insurer(@Root() c: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.insurer.load(c.insurerUscc);
  }

  @FieldResolver(() => Accident, { nullable: true, description: "关联事故 / accident" })
  accident(@Root() c: ClaimRow, @Ctx() ctx: Context) {
    return c.accidentId ? ctx.loaders.accident.load(c.accidentId) : null;
  }

  @FieldResolver(() => [Claimant], { description: "索赔人 / claimants" })
  claimants(@Root() c: ClaimRow, @Ctx() ctx: Context) {
    return ctx.loaders.claimantsOfClaim.load(c.id);
  }

  @FieldResolver(() => [ClaimPayment], { description: "赔款支付（按时间）/ payments in date order" })
  payments(@Root() c: ClaimRow & { payments?: PaymentRow[] }, @Ctx() ctx: Context) {
    // fetched with the claim when the query selected them (claimsWithPaymentsOfPolicy)
    return c.payments ?? ctx.loaders.paymentsOfClaim.load(c.id);
  }
}

type ClaimantRow = { name: string; idNumber: string; insurerUscc: string };

@Resolver(() => Claimant)
export class ClaimantResolver {
  @FieldResolver(() => String, { description: "姓名（非承办机构脱敏，如 张*）/ name, masked unless you handle the claim" })
  name(@Root() c: ClaimantRow, @Ctx() ctx: Context) {
    return claimantField.name(ctx.viewer, c);
  }

  @FieldResolver(() => String, { description: "身份证号（非承办机构脱敏，如 500***********1234）/ ID number, masked unless you handle the claim" })
  idNumber(@Root() c: ClaimantRow, @Ctx() ctx: Context) {
    return claimantField.idNumber(ctx.viewer, c);
  }
}

@Resolver(() => Accident)
export class AccidentResolver {
  @Query(() => AccidentConnection, { description: "生产安全事故列表 / accidents in your scope" })
  accidents(@Arg("filter", () => AccidentFilter, { nullable: true }) filter: AccidentFilter | undefined, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listAccidents(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => Enterprise, { nullable: true, description: "事故单位 / enterprise" })
  enterprise(@Root() a: AccidentRow, @Ctx() ctx: Context) {
    return ctx.loaders.enterprise.load(a.enterpriseUscc);
  }
}

/** policy → claims, enterprise → claims and accidents */
@Resolver(() => Policy)
export class PolicyClaimsResolver {
  @FieldResolver(() => [Claim], { description: "理赔案件 / claims" })
  claims(@Root() p: PolicyRow, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return selectsField(info, "payments") ? ctx.loaders.claimsWithPaymentsOfPolicy.load(p.id) : ctx.loaders.claimsOfPolicy.load(p.id);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseClaimsResolver {
  @FieldResolver(() => [Claim], { description: "理赔案件 / claims" })
  claims(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.claimsOfEnterprise.load(e.uscc);
  }

  @FieldResolver(() => [Accident], { description: "生产安全事故 / accidents" })
  accidents(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.accidentsOfEnterprise.load(e.uscc);
  }
}

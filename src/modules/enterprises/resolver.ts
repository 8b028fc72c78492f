import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { effectiveRules, isMandatory } from "../../rules/profiles.js";
import { Region } from "../registry/types.js";
import { Enterprise, EnterpriseConnection, EnterpriseFilter, PageArgs } from "./types.js";
import { listEnterprises, type EnterpriseRow } from "./service.js";

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Query(() => Enterprise, { nullable: true, description: "按统一社会信用代码查询单位（超出管辖范围返回 null）/ one enterprise by USCC; null outside your scope" })
  enterprise(@Arg("uscc", () => String) uscc: string, @Ctx() ctx: Context) {
    return ctx.loaders.enterprise.load(uscc);
  }

  @Query(() => EnterpriseConnection, { description: "生产经营单位列表 / enterprises in your scope" })
  enterprises(
    @Arg("filter", () => EnterpriseFilter, { nullable: true }) filter: EnterpriseFilter | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listEnterprises(ctx.db, ctx.viewer, filter, page);
  }

  @FieldResolver(() => Region, { description: "所在行政区划 / region" })
  region(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.region.load(e.regionCode);
  }

  @FieldResolver(() => Boolean, {
    description: "行业或风险标签属于所在地应当投保范围（关闭、停产单位另见 status）/ sector or risk tags are mandatory under its region's effective rules (closed or stopped units: see status)",
  })
  mandatory(@Root() e: EnterpriseRow) {
    return isMandatory(effectiveRules(e.regionCode), e);
  }

  @FieldResolver(() => Boolean, { description: "当前是否在保 / insured right now" })
  insuredNow(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    return ctx.loaders.insuredNow.load(e.uscc);
  }
}

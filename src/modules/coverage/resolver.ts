import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";
import type { Context } from "../../graphql/context.js";
import { Sector } from "../../graphql/enums.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { PageArgs } from "../enterprises/types.js";
import { coverageReport, insuranceStatus, uninsuredEnterprises } from "./service.js";
import { CoverageReport, InsuranceStatus, UninsuredEnterpriseConnection } from "./types.js";

@Resolver()
export class CoverageResolver {
  @Query(() => CoverageReport, {
    description:
      "投保率、员工参保率、安全服务率（总体、按行业领域、按下一级区划），对照目标；只计本人管辖范围内应当投保的正常经营单位。安全服务率的服务窗口为 asOf 所在自然季度（北京时间）的季初至 asOf（季度末时点即得全季）。asOf 默认当前 / " +
      "coverage, employee coverage and service rates (overall, by sector, by child region) against their targets, over the mandatory operating enterprises in your jurisdiction. " +
      "The service rate counts services from the start of asOf's calendar quarter (CST) up to asOf: pass the quarter's last instant for the whole quarter. asOf defaults to now",
  })
  coverage(
    @Arg("regionCode", () => String, { description: "行政区划代码（含下级）/ region code, subtree included" }) regionCode: string,
    @Arg("sector", () => Sector, { nullable: true, description: "只计该行业领域 / this sector only" }) sector: SectorCode | undefined,
    @Arg("asOf", () => DateTimeScalar, { nullable: true, description: "统计时点，默认当前 / the instant measured; default now" }) asOf: Date | undefined,
    @Ctx() ctx: Context,
  ) {
    return coverageReport(ctx.db, ctx.viewer, { regionCode, sector, asOf });
  }

  @Query(() => UninsuredEnterpriseConnection, {
    description:
      "应当投保而在 asOf 无有效保单的正常经营单位（按统一社会信用代码排序），含原因、未投保天数、黑名单和《安全生产法》第一百零九条罚款幅度，供年度执法计划使用 / " +
      "mandatory operating enterprises in your jurisdiction without cover at asOf, in USCC order, with reason, days uninsured, blacklist flag and the 安全生产法 第一百零九条 fine range, for an enforcement plan",
  })
  uninsuredEnterprises(
    @Arg("regionCode", () => String, { description: "行政区划代码（含下级）/ region code, subtree included" }) regionCode: string,
    @Arg("sector", () => Sector, { nullable: true, description: "只计该行业领域 / this sector only" }) sector: SectorCode | undefined,
    @Arg("asOf", () => DateTimeScalar, { nullable: true, description: "统计时点，默认当前 / the instant measured; default now" }) asOf: Date | undefined,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return uninsuredEnterprises(ctx.db, ctx.viewer, { regionCode, sector, asOf, ...page });
  }

  @Query(() => InsuranceStatus, {
    description:
      "企业投保情况公开查询（无需登录）：当前是否在保、承保机构名称、保险期间，别无其他；未登记的代码同样返回未在保 / " +
      "public lookup, no token needed: insured right now or not, insurer names and period, nothing else; an unknown USCC answers as not insured",
  })
  insuranceStatus(@Arg("uscc", () => String, { description: "统一社会信用代码 / USCC" }) uscc: string, @Ctx() ctx: Context) {
    return insuranceStatus(ctx.db, uscc.trim().toUpperCase());
  }
}

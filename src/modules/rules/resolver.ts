import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { badInput, notFound } from "../../graphql/errors.js";
import { rateFloatBand } from "../../rules/float.js";
import { effectiveRules, type EffectiveRules } from "../../rules/profiles.js";
import { Enterprise } from "../enterprises/types.js";
import type { EnterpriseRow } from "../enterprises/service.js";
import { hazardStatus } from "../prevention/service.js";
import { RateFloatBand, RuleProfileView } from "./types.js";

const LABELS: Record<string, string> = {
  mandatorySectors: "应当投保的行业领域",
  mandatoryTags: "应当投保的较高风险单位标签",
  minDeathLimitPerPerson: "每人死亡伤残累计限额下限（元）",
  maxCommissionRatio: "手续费比例上限",
  preventionRatioFloor: "事故预防费用比例下限",
  preventionRatioCap: "事故预防费用比例上限",
  rateFloatBand: "费率浮动区间",
  termMonths: "保险期间（月）及例外",
  reportDueDays: "季度报送期限（季后天数）",
  lapseGraceDays: "断保宽限天数",
  targets: "投保率、员工参保率、安全服务率目标",
  penalty: "未投保罚款幅度（元）",
  publishPureLossRate: "公布纯风险损失率",
  publishInsuranceStatus: "公布企业投保情况",
  hazardRefusalRaise: "拒不整改重大隐患可上浮费率",
  blacklistRefusers: "拒不投保纳入黑名单",
  groupPolicyAllowed: "允许园区整体投保",
  insurerRegistry: "保险机构名录管理",
  insurerEvaluation: "保险机构考核评估",
  sectorAgencies: "行业主管部门分工",
};

export function ruleView(r: EffectiveRules): RuleProfileView {
  const rules = Object.entries(r)
    .filter(([k, v]) => k in LABELS && v && typeof v === "object" && "sources" in v)
    .map(([key, v]) => ({ key, label: LABELS[key], value: JSON.stringify((v as { value: unknown }).value), sources: (v as { sources: string[] }).sources }));
  return { regionCode: r.regionCode, profiles: r.profiles, rules };
}

@Resolver()
export class RuleProfileResolver {
  @Query(() => RuleProfileView, { description: "某地生效的安责险规则及依据 / the effective rules of a region and their sources" })
  async ruleProfile(@Arg("regionCode", () => String) regionCode: string, @Ctx() ctx: Context) {
    if (!/^\d{6}(\d{3})?$/.test(regionCode)) throw badInput("regionCode", "region-code", "行政区划代码应为6位或9位数字 / region code must have 6 or 9 digits");
    if (!(await ctx.loaders.region.load(regionCode))) throw notFound(`行政区划 ${regionCode}`);
    return ruleView(effectiveRules(regionCode));
  }
}

@Resolver(() => Enterprise)
export class EnterpriseRateBandResolver {
  @FieldResolver(() => RateFloatBand, { description: "按事故记录和重大隐患，下一保单年度允许的费率浮动区间 / the rate-float band its next policy may use, from its accidents and major hazards" })
  async rateFloatBand(@Root() e: EnterpriseRow, @Ctx() ctx: Context) {
    const [accidents, hazards] = await Promise.all([ctx.loaders.accidentsOfEnterprise.load(e.uscc), ctx.loaders.hazardsOfEnterprise.load(e.uscc)]);
    const unrectified = hazards.filter((h) => h.severity === "MAJOR" && ["OVERDUE", "REFUSED"].includes(hazardStatus(h))).length;
    return rateFloatBand(effectiveRules(e.regionCode), {
      accidents: accidents.map((a) => ({ occurredAt: a.occurredAt, grade: a.grade as never, deaths: a.deaths })),
      unrectifiedMajorHazards: unrectified,
      asOf: new Date(),
      // an accident-free streak can't be longer than the hub's record of the enterprise
      recordsSince: e.createdAt,
    });
  }
}

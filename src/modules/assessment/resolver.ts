import { Arg, Ctx, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { insurerAssessment, insurerRanking, pureRiskLossRates } from "./service.js";
import { InsurerAssessment, InsurerRanking, InsurerRankingOrder, PureRiskLossRates } from "./types.js";

const yearArg = { description: "年度 / year" };
const quarterArg = { description: "季度 1–4（Q1 = 1–3月）/ quarter 1–4 (Q1 = Jan–Mar)" };

@Resolver()
export class AssessmentResolver {
  @Query(() => InsurerAssessment, {
    nullable: true,
    description:
      "保险机构季度考核数据：承保（保单、保费、区域市场份额）、理赔（件数、赔款、平均及第90百分位结案天数、预付占比）、事故预防（费用提取/使用/下限、服务完成情况、隐患整改）、未消除合规问题。" +
      "可查看者：安委办、金融监管局（区划须在本辖区内，默认本辖区）；保险机构仅限本机构（看不到区域市场保费合计）。机构不存在时为 null / " +
      "an insurer's assessment for a quarter: underwriting (policies, premium, market share in the region), claims (count, paid, average and 90th-percentile days to settle, share paid in advance), " +
      "prevention (fund extracted, used and the floor; services delivered against the contract; hazards rectified) and open findings. Readable by committee offices and financial regulators " +
      "for a region in their subtree (default: their own region), and by the insurer itself (without the market premium); null for an unknown insurer",
  })
  insurerAssessment(
    @Arg("insurerId", () => String, { description: "保险机构统一社会信用代码 / insurer USCC" }) insurerId: string,
    @Arg("year", () => Int, yearArg) year: number,
    @Arg("quarter", () => Int, quarterArg) quarter: number,
    @Arg("regionCode", () => String, { nullable: true, description: "区划（含下级）；部门默认本辖区，保险机构默认全部区划 / region subtree; default: an agency's own region, every region for an insurer" })
    regionCode: string | null | undefined,
    @Ctx() ctx: Context,
  ) {
    return insurerAssessment(ctx.db, ctx.viewer, { insurerId: insurerId.trim().toUpperCase(), year, quarter, regionCode }, new Date());
  }

  @Query(() => InsurerRanking, {
    description:
      "区域内全部保险机构的考核数据及按所选依据的排名（仅限安委办、金融监管局）/ every insurer active in the region with its assessment, ranked by the chosen key; committee offices and financial regulators only",
  })
  insurerRanking(
    @Arg("year", () => Int, yearArg) year: number,
    @Arg("quarter", () => Int, quarterArg) quarter: number,
    @Arg("regionCode", () => String, { nullable: true, description: "区划（含下级），默认本辖区 / region subtree; default your own region" }) regionCode: string | null | undefined,
    @Arg("orderBy", () => InsurerRankingOrder, { nullable: true, description: "排名依据，默认 PREMIUM / ranking key; default PREMIUM" }) orderBy: InsurerRankingOrder | null | undefined,
    @Ctx() ctx: Context,
  ) {
    return insurerRanking(ctx.db, ctx.viewer, { year, quarter, regionCode, orderBy }, new Date());
  }

  @Query(() => PureRiskLossRates, {
    description:
      "纯风险损失率（已发生赔款 ÷ 已赚保费）按行业领域及总体，年度口径；安委办、金融监管局为辖区内全部行业，行业主管部门为其主管行业 / " +
      "pure risk loss rates (claims incurred ÷ earned premium) by sector and overall for a year; committee offices and financial regulators over every sector of a region in their subtree, sector departments over their sectors",
  })
  pureRiskLossRates(
    @Arg("regionCode", () => String, { description: "区划（含下级）/ region subtree" }) regionCode: string,
    @Arg("year", () => Int, yearArg) year: number,
    @Ctx() ctx: Context,
  ) {
    return pureRiskLossRates(ctx.db, ctx.viewer, { regionCode, year }, new Date());
  }
}

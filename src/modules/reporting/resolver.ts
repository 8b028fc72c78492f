import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { discloseReport, discloseSubmission } from "./disclosure.js";
import { listSubmissions, quarterlyReport, reportingCompliance, submitQuarterlyReport } from "./service.js";
import { QuarterlyReport, QuarterlyReportSubmission, ReportingCompliance } from "./types.js";

const agencyArg = { description: "部门标识 <区划>-<类型> / agency id" };
const yearArg = { description: "年度 / year" };
const quarterArg = { description: "季度 1–4（Q1 = 1–3月）/ quarter 1–4 (Q1 = Jan–Mar)" };

@Resolver()
export class ReportingResolver {
  @Query(() => QuarterlyReport, {
    nullable: true,
    description:
      "部门季度报送内容，按记录实时计算；可查看者：该部门本身，以及辖区包含该部门所在区划的安委办、金融监管局；部门不存在时为 null / an agency's quarterly report computed live from the records; readable by the agency itself and by the committee office or financial regulator whose region subtree contains the agency's region; null for an unknown agency",
  })
  async quarterlyReport(
    @Arg("agencyId", () => String, agencyArg) agencyId: string,
    @Arg("year", () => Int, yearArg) year: number,
    @Arg("quarter", () => Int, quarterArg) quarter: number,
    @Ctx() ctx: Context,
  ) {
    const report = await quarterlyReport(ctx.db, ctx.viewer, agencyId, year, quarter, new Date());
    return report && discloseReport(report, ctx.viewer);
  }

  @Query(() => [QuarterlyReportSubmission], {
    description: "某部门某季度的全部报送版本（旧到新）；可查看者同 quarterlyReport / every submitted version of an agency's quarterly report, oldest first; readable as quarterlyReport",
  })
  async quarterlyReportSubmissions(
    @Arg("agencyId", () => String, agencyArg) agencyId: string,
    @Arg("year", () => Int, yearArg) year: number,
    @Arg("quarter", () => Int, quarterArg) quarter: number,
    @Ctx() ctx: Context,
  ) {
    return (await listSubmissions(ctx.db, ctx.viewer, agencyId, year, quarter)).map((s) => discloseSubmission(s, ctx.viewer));
  }

  @Query(() => ReportingCompliance, {
    description:
      "季度报送情况与通报对比（仅限辖区包含 regionCode 的安委办）/ reporting compliance and progress-notice figures of the sector departments in regionCode's subtree; committee offices whose region subtree contains regionCode only",
  })
  reportingCompliance(
    @Arg("year", () => Int, yearArg) year: number,
    @Arg("quarter", () => Int, quarterArg) quarter: number,
    @Arg("regionCode", () => String, { description: "区划代码（含下级）/ region code, subtree included" }) regionCode: string,
    @Ctx() ctx: Context,
  ) {
    return reportingCompliance(ctx.db, ctx.viewer, { year, quarter, regionCode }, new Date());
  }

  @Mutation(() => QuarterlyReportSubmission, {
    description:
      "提交本部门季度报送（仅该部门本身：行业主管部门或安委办）：按当前记录计算并保存不可变快照及其 SHA-256；季度结束前不能提交；已提交过的季度再次提交即为更正（新版本，须填更正原因）；季度结束后第15日（北京时间）24:00 前为按时 / submit your own agency's quarterly report (the agency itself, as a sector department or committee office): the figures are computed from the records and stored as an immutable snapshot with its SHA-256; not before the quarter has ended; resubmitting is a correction (a new version; correctionReason required); on time until the end of the 15th day after the quarter, CST",
  })
  async submitQuarterlyReport(
    @Arg("agencyId", () => String, agencyArg) agencyId: string,
    @Arg("year", () => Int, yearArg) year: number,
    @Arg("quarter", () => Int, quarterArg) quarter: number,
    @Arg("note", () => String, { nullable: true, description: "报送说明 / note" }) note: string | null | undefined,
    @Arg("correctionReason", () => String, { nullable: true, description: "更正原因（再次提交时必填）/ correction reason, required when resubmitting" }) correctionReason: string | null | undefined,
    @Ctx() ctx: Context,
  ) {
    return discloseSubmission(await submitQuarterlyReport(ctx.db, ctx.viewer, { agencyId, year, quarter, note, correctionReason }, new Date()), ctx.viewer);
  }
}

import { Field, InputType, Int, ObjectType } from "type-graphql";
import { EnterpriseStatus, Sector } from "../../graphql/enums.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";
import { InputProblem } from "../policies/inputs.js";

@InputType({ description: "生产经营单位基础数据（由行业主管部门维护）/ enterprise base data, maintained by its department" })
export class EnterpriseInput {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => String, { description: "单位名称 / name" }) name: string;
  @Field(() => String, { description: "所在行政区划（可到乡镇）/ region code, down to township" }) regionCode: string;
  @Field(() => String, { nullable: true, description: "地址 / address" }) address?: string;
  @Field(() => String, { description: "国民经济行业代码（GB/T 4754-2017）/ industry code" }) industryCode: string;
  @Field(() => Sector, { nullable: true, description: "行业领域（不填则按行业代码推定）/ sector; derived from the industry code when omitted" }) sector?: SectorCode;
  @Field(() => [String], { nullable: true, description: "风险标签 / risk tags" }) riskTags?: string[];
  @Field(() => Int, { description: "从业人员数（含劳务派遣）/ employees incl. dispatched workers" }) employeeCount: number;
  @Field(() => EnterpriseStatus, { description: "经营状态 / operating status" }) status: string;
  @Field(() => String, { nullable: true, description: "安全生产许可证编号 / work-safety licence number" }) safetyLicenseNo?: string;
  @Field(() => String, { nullable: true, description: "安全生产标准化等级 / standardization grade" }) standardizationGrade?: string;
  @Field(() => Boolean, { nullable: true, description: "联合惩戒黑名单 / blacklisted" }) blacklisted?: boolean;
  @Field(() => String, { nullable: true, description: "法定代表人（个人信息）/ legal representative (personal data)" }) legalRepresentative?: string;
  @Field(() => String, { nullable: true, description: "联系人（个人信息）/ contact person (personal data)" }) contactName?: string;
  @Field(() => String, { nullable: true, description: "联系电话（个人信息）/ contact phone (personal data)" }) contactPhone?: string;
}

@ObjectType({ description: "单位数据写入结果 / result of one enterprise upsert" })
export class EnterpriseUpsertResult {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => Boolean, { description: "是否写入 / accepted" }) accepted: boolean;
  @Field(() => Boolean, { description: "新建（否则为更新）/ created rather than updated" }) created: boolean;
  @Field(() => [InputProblem], { description: "拒收原因 / why it was rejected" }) errors: InputProblem[];
  @Field(() => String, { nullable: true, description: "错误码（拒收时）/ error code when rejected" }) errorCode: string | null;
}

import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { FundEntryKind } from "../../graphql/enums.js";
import { DateTimeScalar, MoneyScalar } from "../../graphql/scalars.js";

@ObjectType({ description: "事故预防费用台账条目 / Prevention-fund ledger entry", simpleResolvers: true })
export class FundEntry {
  @Field(() => ID, { description: "内部标识 / internal id" }) id: number;
  @Field(() => String, { description: "台账编号 / entry reference" }) entryRef: string;
  @Field(() => String, { description: "保险机构 / insurer USCC" }) insurerUscc: string;
  @Field(() => FundEntryKind, { description: "类型 / kind" }) kind: string;
  @Field(() => String, { nullable: true, description: "使用类别 / use category" }) category: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: "金额（商业秘密）/ amount (trade secret)" }) amount: string;
  @Field(() => DateTimeScalar, { description: "记账时间 / booked at" }) bookedAt: Date;
}

export const FundEntryConnection = Connection(FundEntry, "FundEntry", "事故预防费用台账");

@InputType({ description: "台账筛选条件 / fund ledger filter" })
export class FundEntryFilter {
  @Field(() => String, { nullable: true, description: "保险机构 / insurer USCC" }) insurerUscc?: string;
  @Field(() => FundEntryKind, { nullable: true, description: "类型 / kind" }) kind?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "记账时间不早于 / booked at or after" }) bookedFrom?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "记账时间早于 / booked before" }) bookedBefore?: Date;
}


import { Field, Int, ObjectType } from "type-graphql";
import { Sector } from "../../graphql/enums.js";
import type { Sector as SectorCode } from "../../domain/vocabulary.js";

@ObjectType({ description: "行政区划（GB/T 2260）/ Region", simpleResolvers: true })
export class Region {
  @Field(() => String, { description: "区划代码 / code" }) code: string;
  @Field(() => String, { description: "名称 / name" }) name: string;
  @Field(() => String, { nullable: true, description: "上级区划代码 / parent code" }) parentCode: string | null;
  @Field(() => Int, { description: "层级：1省 2市 3县 4乡镇 / level" }) level: number;
}

@ObjectType({ description: "部门（安委办、行业主管部门、金融监管局、乡镇）/ Agency" })
export class Agency {
  @Field(() => String, { description: "部门标识 <区划>-<类型> / agency id" }) id: string;
  @Field(() => String, { description: "名称 / name" }) name: string;
  @Field(() => String, { description: "类型 / kind" }) kind: string;
  @Field(() => String, { description: "所在区划 / region code" }) regionCode: string;
}

@ObjectType({ description: "保险机构 / Insurer", simpleResolvers: true })
export class Insurer {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => String, { description: "名称 / name" }) name: string;
  @Field(() => String, { description: "简称 / short name" }) shortName: string;
}

@ObjectType({ description: "事故预防服务机构 / Prevention service org", simpleResolvers: true })
export class ServiceOrg {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => String, { description: "名称 / name" }) name: string;
}

@ObjectType({ description: "保险经纪机构 / Broker" })
export class Broker {
  @Field(() => String, { description: "统一社会信用代码 / USCC" }) uscc: string;
  @Field(() => String, { description: "名称 / name" }) name: string;
}

@ObjectType({ description: "管辖范围 / Jurisdiction" })
export class Jurisdiction {
  @Field(() => String, { description: "区划（含下级）/ region subtree root" }) regionCode: string;
  @Field(() => [Sector], { nullable: true, description: "主管行业（null = 全部行业）/ supervised sectors; null = all" }) sectors: SectorCode[] | null;
}

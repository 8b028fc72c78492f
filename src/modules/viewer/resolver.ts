import { Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Viewer as ViewerValue } from "../../auth/viewer.js";
import { Role } from "../../graphql/enums.js";
import type { Context } from "../../graphql/context.js";
import { Agency, Jurisdiction } from "../registry/types.js";

@ObjectType({ description: "当前身份 / the caller as the hub sees it" })
export class Viewer {
  @Field(() => String, { description: "操作人 / subject" }) sub: string;
  @Field(() => Role, { description: "角色 / role" }) role: string;
  @Field(() => String, { nullable: true, description: "所属机构标识 / acting organisation id" }) org: string | null;
  @Field(() => String, { nullable: true, description: "用途（记入审计日志）/ purpose, recorded in the audit log" }) purpose: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: "当前身份与管辖范围 / who you are and what you may see" })
  viewer(@Ctx() ctx: Context) {
    return ctx.viewer;
  }

  @FieldResolver(() => Jurisdiction, { nullable: true, description: "管辖范围（仅部门）/ jurisdiction (agencies only)" })
  jurisdiction(@Root() v: ViewerValue) {
    return v.jurisdiction && { regionCode: v.jurisdiction.regionCode, sectors: v.jurisdiction.sectors === "ALL" ? null : v.jurisdiction.sectors };
  }

  @FieldResolver(() => Agency, { nullable: true, description: "所属部门（仅部门）/ the caller's agency" })
  agency(@Root() v: ViewerValue, @Ctx() ctx: Context) {
    return v.jurisdiction && v.org ? ctx.loaders.agency.load(v.org) : null;
  }
}

import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { PageArgs } from "../enterprises/types.js";
import { listAuditLog } from "./service.js";
import { AuditEntry, AuditEntryConnection, AuditLogFilter } from "./types.js";

@Resolver(() => AuditEntry)
export class AuditLogResolver {
  @Query(() => AuditEntryConnection, {
    description: "审计日志（按编号）：安委会办公室看全部，其他机构只看本机构的 / audit log in order of writing: the committee office reads all of it, every other organisation its own entries",
  })
  auditLog(@Arg("filter", () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | undefined, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: Context) {
    return listAuditLog(ctx.db, ctx.viewer, filter, page);
  }
}

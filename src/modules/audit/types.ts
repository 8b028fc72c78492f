import { Field, ID, InputType, ObjectType } from "type-graphql";
import { Connection } from "../../graphql/connection.js";
import { Role } from "../../graphql/enums.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

@ObjectType({
  description:
    "审计日志条目：每次写入、每次读取个人信息或商业秘密各记一条，写入时带内容哈希，随后封入哈希链 / Audit log entry: one per mutation and per read of personal data or trade secrets, written with its content hash, then sealed into the hash chain",
})
export class AuditEntry {
  @Field(() => ID, { description: "编号（写入顺序，列表按此排序）/ entry number (order of writing; lists are in this order)" }) id: number;
  @Field(() => DateTimeScalar, { description: "记录时间 / recorded at" }) at: Date;
  @Field(() => String, { description: "操作人（令牌 sub）/ who acted (the token's sub)" }) sub: string;
  @Field(() => Role, { description: "角色 / role" }) role: string;
  @Field(() => String, { nullable: true, description: "所属机构 / acting organisation" }) org: string | null;
  @Field(() => String, { nullable: true, description: "用途（令牌 purpose）/ purpose (the token's purpose claim)" }) purpose: string | null;
  @Field(() => String, { description: "操作：类型、名称（或 anonymous）与根字段，如 “mutation File { filePolicy }” / operation: type, name (or anonymous) and root fields" })
  operation: string;
  @Field(() => [String], {
    description:
      "涉及的键：参数中的标识（uscc:…、policyNo:…）、读取敏感字段的记录（Policy:…/…）与字段（read:Type.field）/ keys touched: identifiers in the arguments, records whose sensitive fields were read, and those fields",
  })
  keys: string[];
  @Field(() => String, { description: "请求哈希 sha256(查询 + 规范化变量) / request hash, sha256 of the query and its canonical variables" }) requestHash: string;
  @Field(() => String, {
    nullable: true,
    description: "内容哈希 sha256(规范化字段)，写入时计算；早于封链机制的条目为空 / content hash, sha256 of the canonical fields, computed when written; null on entries from before sealing existed",
  })
  contentHash: string | null;
  @Field(() => ID, { nullable: true, description: "链中序号（封链顺序），未封链时为空 / position in the chain (seal order); null until sealed" }) seq: number | null;
  @Field(() => String, { nullable: true, description: "链中前一条的哈希，未封链时为空 / the previous entry's hash in the chain; null until sealed" }) prevHash: string | null;
  @Field(() => String, { nullable: true, description: "链哈希 sha256(prevHash + 规范化字段)，未封链时为空 / chain hash, sha256 of prevHash and the canonical fields; null until sealed" })
  hash: string | null;
}

export const AuditEntryConnection = Connection(AuditEntry, "AuditEntry", "审计日志条目");

@InputType({ description: "审计日志筛选条件 / audit log filter" })
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: "操作名称（匿名操作为 anonymous）/ operation name, anonymous for unnamed operations" }) operation?: string;
  @Field(() => String, { nullable: true, description: "根字段，如 filePolicy / root field, e.g. filePolicy" }) field?: string;
  @Field(() => String, { nullable: true, description: "操作人 / sub" }) sub?: string;
  @Field(() => String, { nullable: true, description: "所属机构（仅安委会办公室有意义）/ organisation (meaningful for the committee office only)" }) org?: string;
  @Field(() => String, { nullable: true, description: "涉及的键，如 Policy:<USCC>/<保单号> / a key touched, e.g. Policy:<USCC>/<policy no>" }) key?: string;
  @Field(() => DateTimeScalar, { nullable: true, description: "记录时间不早于 / recorded at or after" }) from?: Date;
  @Field(() => DateTimeScalar, { nullable: true, description: "记录时间早于 / recorded before" }) to?: Date;
}

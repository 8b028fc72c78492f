import { ClassType, Field, Int, ObjectType } from "type-graphql";

export { MAX_PAGE, paginate, type Page } from "../db/paginate.js";

@ObjectType({ description: "分页信息 / Relay page info" })
export class PageInfo {
  @Field(() => Boolean) hasNextPage: boolean;
  @Field(() => Boolean) hasPreviousPage: boolean;
  @Field(() => String, { nullable: true }) startCursor: string | null;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

/** A Relay connection type for `Node`, named `<name>Connection` / `<name>Edge`. */
export function Connection<T extends object>(Node: ClassType<T>, name: string, zh: string) {
  @ObjectType(`${name}Edge`, { description: `${zh}（边）/ ${name} edge` })
  class Edge {
    @Field(() => Node) node: T;
    @Field(() => String) cursor: string;
  }
  @ObjectType(`${name}Connection`, { description: `${zh}列表 / ${name} connection` })
  class Conn {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: "符合条件的总数 / total matching rows" }) totalCount: number;
  }
  return Conn;
}


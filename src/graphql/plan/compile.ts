import { and, getTableColumns, gt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import {
  getArgumentValues, getNamedType, getNullableType, getOperationAST, getVariableValues, isEnumType, isListType, isObjectType, isScalarType, Kind,
  type DocumentNode, type FieldNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, type SelectionSetNode,
} from "graphql";
import { enterpriseRows, scopeFollowsEnterprise } from "../../auth/scope.js";
import { decodeCursor, MAX_PAGE } from "../../db/paginate.js";
import { enterpriseFilterSql } from "../../modules/enterprises/service.js";
import type { EnterpriseFilter } from "../../modules/enterprises/types.js";
import { claimPayments, claims, enterprises, hazards, policies, preventionServices } from "../../../schema/index.js";
import type { Context } from "../context.js";
import { RELATIONS } from "./relations.js";

/**
 * The read planner: a query over enterprises and what hangs off them (policies, claims, payments,
 * prevention services, hazards) compiled into ONE SQL statement that returns the response's `data`
 * as JSON, built by PostgreSQL (json_build_object / json_agg), the way PostGraphile answers.
 *
 * It plans only what it can answer exactly as the resolvers would; anything else makes it decline
 * (compileRead returns null) and the request runs through graphql-js as always:
 * - only queries; no directives; fragments only on the object type itself;
 * - every selected field must be, for this request, certainly allowed by the field rules (allow, or
 *   a role rule answering true); a field that would be refused, masked or audited is never planned;
 * - a scalar field is planned only where the type-graphql schema reads the row's property as is (no
 *   field resolver) and the table has that column, with the scalar's own format reproduced in SQL
 *   (DateTime → +08:00 text, Money/Decimal/ID → text, LocalDate → YYYY-MM-DD);
 * - a list field is planned only through RELATIONS (relations.ts), the same definitions the
 *   DataLoaders use: the same scope and the same order;
 * - root fields: `enterprises` (the Relay connection, as paginate() pages it) and `enterprise(uscc)`.
 * test/graphql/read-plan.test.ts runs generated queries for every role both ways and requires
 * identical answers.
 */

export interface PlanConfig {
  /** "Type.field" of the fields that read the row's property as is (no resolver in the type-graphql schema) */
  plain: ReadonlySet<string>;
  /** whether the field rules certainly let this request read Type.field; null = no field rules (bench only) */
  allows: ((typeName: string, field: string, ctx: Context) => boolean) | null;
}

/** The tables behind the object types the planner knows. */
const TABLES: Record<string, PgTable> = {
  Enterprise: enterprises,
  Policy: policies,
  Claim: claims,
  ClaimPayment: claimPayments,
  PreventionService: preventionServices,
  Hazard: hazards,
};

/** json_build_object takes at most 100 arguments */
const MAX_KEYS = 50;

class NotPlannable extends Error {}
const decline = (why: string): never => {
  throw new NotPlannable(why);
};

/** The fields of a type, merged by response key as graphql-js collects them. */
function collect(document: DocumentNode, type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[]): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.directives?.length) decline("directive");
      if (s.kind === Kind.FIELD) {
        const key = s.alias?.value ?? s.name.value;
        const list = out.get(key);
        if (list) list.push(s);
        else out.set(key, [s]);
      } else {
        const fragment = s.kind === Kind.INLINE_FRAGMENT ? s : fragments.get(s.name.value);
        if (!fragment) return decline("unknown fragment");
        if (fragment.typeCondition && fragment.typeCondition.name.value !== type.name) decline("fragment on another type");
        if (s.kind === Kind.FRAGMENT_SPREAD) {
          if (seen.has(s.name.value)) continue;
          seen.add(s.name.value);
        }
        walk(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  if (out.size > MAX_KEYS) decline("too many fields");
  return out;
}

const key = (k: string) => sql.raw(`'${k}'`); // GraphQL names are [_A-Za-z][_0-9A-Za-z]*: safe as literals

interface Compiler {
  document: DocumentNode;
  ctx: Context;
  config: PlanConfig;
  variables: Record<string, unknown>;
}

function checkAllowed(c: Compiler, typeName: string, field: string): void {
  if (field === "__typename") return;
  if (c.config.allows && !c.config.allows(typeName, field, c.ctx)) decline(`rule on ${typeName}.${field}`);
}

/** A scalar field read from its column, in the format its GraphQL scalar would give. */
function scalarSql(field: GraphQLField<unknown, unknown>, column: AnyColumn): SQL {
  const col = column as AnyColumn & { columnType: string; dataType: string; withTimezone?: boolean };
  const t = getNullableType(field.type);
  if (isListType(t)) {
    const inner = getNamedType(t);
    if (col.dataType === "array" && (inner.name === "String" || (isEnumType(inner) && inner.getValues().every((v) => v.name === v.value)))) return sql`${column}`;
    return decline("list");
  }
  const named = getNamedType(t);
  if (isEnumType(named)) {
    if (col.dataType === "string" && named.getValues().every((v) => v.name === v.value)) return sql`${column}`;
    return decline("enum");
  }
  if (!isScalarType(named)) return decline("not a scalar");
  switch (named.name) {
    case "String":
      return col.dataType === "string" ? sql`${column}` : decline("String");
    case "Boolean":
      return col.dataType === "boolean" ? sql`${column}` : decline("Boolean");
    case "Int":
      return col.columnType === "PgInteger" || col.columnType === "PgSmallInt" || col.columnType === "PgSerial" ? sql`${column}` : decline("Int");
    case "ID":
    case "Money":
    case "Decimal":
      return sql`${column}::text`;
    case "DateTime":
      return col.columnType === "PgTimestamp" && col.withTimezone
        ? sql`to_char(${column} at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`
        : decline("DateTime");
    case "LocalDate":
      return col.columnType === "PgDateString" ? sql`${column}::text` : decline("LocalDate");
    default:
      return decline(named.name);
  }
}

/** json_build_object of one row of `type` (its table in scope under its own name). */
function objectSql(c: Compiler, type: GraphQLObjectType, fields: Map<string, FieldNode[]>, path: readonly string[]): SQL {
  const table = TABLES[type.name] ?? decline(`type ${type.name}`);
  const columns = getTableColumns(table) as Record<string, AnyColumn>;
  const parts: SQL[] = [];
  for (const [k, nodes] of fields) {
    const name = nodes[0].name.value;
    checkAllowed(c, type.name, name);
    if (name === "__typename") {
      parts.push(sql`${key(k)}, ${key(type.name)}`);
      continue;
    }
    const field = type.getFields()[name] ?? decline(`no field ${name}`);
    if (nodes.some((n) => n.arguments?.length)) decline("arguments");
    const rel = RELATIONS[`${type.name}.${name}`];
    if (rel) {
      const child = getNamedType(field.type);
      if (!isObjectType(child)) return decline("relation type");
      const childTable = getTableConfig(rel.table).name;
      const via = rel.through ? getTableConfig(rel.through.table).name : null;
      if (path.includes(childTable) || (via && path.includes(via))) decline("table repeats on the path");
      const obj = objectSql(c, child, collect(c.document, child, nodes.map((n) => n.selectionSet)), [...path, childTable, ...(via ? [via] : [])]);
      const from = rel.through ? sql`${rel.table} join ${rel.through.table} on ${rel.through.on}` : sql`${rel.table}`;
      // every path starts at a visible enterprise row ("enterprises", scoped at the root): where the scope
      // follows the enterprise, that enterprise's own records skip the lookup
      const scope = rel.scope(c.ctx.viewer);
      const shortcut = scope && rel.owner && path[0] === "enterprises" && scopeFollowsEnterprise(c.ctx.viewer);
      parts.push(sql`${key(k)}, coalesce((select json_agg(${obj} order by ${sql.join(rel.order, sql`, `)}) from ${from}
        where ${and(sql`${rel.fk} = ${rel.parentKey}`, shortcut ? sql`(${rel.owner} = ${enterprises.uscc} or ${scope})` : scope)}), '[]'::json)`);
      continue;
    }
    if (!c.config.plain.has(`${type.name}.${name}`)) decline(`resolver on ${type.name}.${name}`);
    const column = columns[name] ?? decline(`no column ${name}`);
    parts.push(sql`${key(k)}, ${scalarSql(field, column)}`);
  }
  return sql`json_build_object(${sql.join(parts, sql`, `)})`;
}

function args(c: Compiler, parent: GraphQLObjectType, node: FieldNode): Record<string, unknown> {
  return getArgumentValues(parent.getFields()[node.name.value], node, c.variables);
}

/** Query.enterprises: the page paginate() returns (uscc order, first + 1 rows to know about a next page). */
function enterprisesSql(c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]): SQL {
  const a = args(c, query, nodes[0]) as { filter?: EnterpriseFilter; first?: number | null; after?: string | null };
  const first = a.first ?? 50;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) decline("first");
  const after = a.after ? decodeCursor(a.after) : undefined;
  const where = and(enterpriseRows(c.ctx.viewer), enterpriseFilterSql(a.filter));
  const conn = getNamedType(query.getFields().enterprises.type) as GraphQLObjectType;
  const cursor = sql`translate(encode(convert_to(json_build_array(${enterprises.uscc})::text, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
  const n = sql.raw(`"enterprises"."__n"`);
  const parts: SQL[] = [];
  for (const [k, fieldNodes] of collect(c.document, conn, nodes.map((x) => x.selectionSet))) {
    const name = fieldNodes[0].name.value;
    checkAllowed(c, conn.name, name);
    if (name === "__typename") parts.push(sql`${key(k)}, ${key(conn.name)}`);
    else if (name === "totalCount") parts.push(sql`${key(k)}, (select count(*)::int from ${enterprises} where ${where ?? sql`true`})`);
    else if (name === "edges") {
      const edge = getNamedType(conn.getFields().edges.type) as GraphQLObjectType;
      const edgeParts: SQL[] = [];
      for (const [ek, en] of collect(c.document, edge, fieldNodes.map((x) => x.selectionSet))) {
        const ename = en[0].name.value;
        checkAllowed(c, edge.name, ename);
        if (ename === "__typename") edgeParts.push(sql`${key(ek)}, ${key(edge.name)}`);
        else if (ename === "cursor") edgeParts.push(sql`${key(ek)}, ${cursor}`);
        else if (ename === "node") {
          const node = getNamedType(edge.getFields().node.type) as GraphQLObjectType;
          edgeParts.push(sql`${key(ek)}, ${objectSql(c, node, collect(c.document, node, en.map((x) => x.selectionSet)), ["enterprises"])}`);
        } else decline(`edge field ${ename}`);
      }
      parts.push(sql`${key(k)}, coalesce(json_agg(json_build_object(${sql.join(edgeParts, sql`, `)}) order by ${n}) filter (where ${n} <= ${first}), '[]'::json)`);
    } else if (name === "pageInfo") {
      const info = getNamedType(conn.getFields().pageInfo.type) as GraphQLObjectType;
      const infoParts: SQL[] = [];
      for (const [ik, inodes] of collect(c.document, info, fieldNodes.map((x) => x.selectionSet))) {
        const iname = inodes[0].name.value;
        checkAllowed(c, info.name, iname);
        if (iname === "__typename") infoParts.push(sql`${key(ik)}, ${key(info.name)}`);
        else if (iname === "hasNextPage") infoParts.push(sql`${key(ik)}, count(*) > ${first}`);
        else if (iname === "hasPreviousPage") infoParts.push(sql`${key(ik)}, ${sql.raw(after !== undefined ? "true" : "false")}`);
        else if (iname === "startCursor") infoParts.push(sql`${key(ik)}, (array_agg(${cursor} order by ${n}) filter (where ${n} <= ${first}))[1]`);
        else if (iname === "endCursor") infoParts.push(sql`${key(ik)}, (array_agg(${cursor} order by ${n} desc) filter (where ${n} <= ${first}))[1]`);
        else decline(`pageInfo field ${iname}`);
      }
      parts.push(sql`${key(k)}, json_build_object(${sql.join(infoParts, sql`, `)})`);
    } else decline(`connection field ${name}`);
  }
  const page = and(where, after !== undefined ? gt(enterprises.uscc, after as string) : undefined) ?? sql`true`;
  return sql`(select json_build_object(${sql.join(parts, sql`, `)}) from (
    select ${enterprises}.*, row_number() over (order by ${enterprises.uscc}) as "__n" from ${enterprises}
    where ${page} order by ${enterprises.uscc} limit ${first + 1}) ${enterprises})`;
}

/** Query.enterprise(uscc): the row if the viewer may see it, else null (the enterprise loader's scope). */
function enterpriseSql(c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]): SQL {
  const { uscc } = args(c, query, nodes[0]) as { uscc: string };
  const type = getNamedType(query.getFields().enterprise.type) as GraphQLObjectType;
  const obj = objectSql(c, type, collect(c.document, type, nodes.map((x) => x.selectionSet)), ["enterprises"]);
  return sql`(select ${obj} from ${enterprises} where ${and(sql`${enterprises.uscc} = ${uscc}`, enterpriseRows(c.ctx.viewer))})`;
}

const ROOTS: Record<string, (c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]) => SQL> = {
  enterprises: enterprisesSql,
  enterprise: enterpriseSql,
};

/** The statement, or a throw saying why not. */
function plan(
  schema: GraphQLSchema,
  config: PlanConfig,
  document: DocumentNode,
  operationName: string | null | undefined,
  rawVariables: Record<string, unknown> | undefined,
  ctx: Context,
): SQL {
  const op = getOperationAST(document, operationName);
  if (!op || op.operation !== "query") return decline("not a query");
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return decline("variables");
  const query = schema.getQueryType()!;
  const c: Compiler = { document, ctx, config, variables: coerced.coerced };
  const parts: SQL[] = [];
  for (const [k, nodes] of collect(document, query, [op.selectionSet])) {
    const name = nodes[0].name.value;
    if (name === "__typename") {
      parts.push(sql`${key(k)}, ${key(query.name)}`);
      continue;
    }
    const root = ROOTS[name] ?? decline(`root ${name}`);
    checkAllowed(c, query.name, name);
    parts.push(sql`${key(k)}, ${root(c, query, nodes)}`);
  }
  return sql`select json_build_object(${sql.join(parts, sql`, `)})::text as data`;
}

/**
 * The statement answering this query's `data`, or null when the planner declines (see above): the
 * request then runs through graphql-js, which also answers bad arguments (a bad cursor, first > 500)
 * with their own errors.
 */
export function compileRead(...a: Parameters<typeof plan>): SQL | null {
  try {
    return plan(...a);
  } catch {
    return null;
  }
}

/** Why the planner declines a query (tests, diagnosis); null when it plans it. */
export function whyNotPlanned(...a: Parameters<typeof plan>): string | null {
  try {
    plan(...a);
    return null;
  } catch (e) {
    return (e as Error).message || String(e);
  }
}

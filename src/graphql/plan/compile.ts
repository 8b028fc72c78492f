import { and, getTableColumns, gt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import {
  getArgumentValues, getDirectiveValues, getNamedType, getNullableType, getOperationAST, getVariableValues, GraphQLIncludeDirective, GraphQLSkipDirective,
  isEnumType, isListType, isObjectType, isScalarType, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type FragmentSpreadNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, type InlineFragmentNode, type SelectionSetNode,
} from "graphql";
import { expected, type Outcome, type Role7 } from "../../modules/access.js";
import { enterpriseRows, scopeFollowsEnterprise } from "../../auth/scope.js";
import { decodeCursor, MAX_PAGE } from "../../db/paginate.js";
import { enterpriseFilterSql } from "../../modules/enterprises/service.js";
import type { EnterpriseFilter } from "../../modules/enterprises/types.js";
import { claimantFieldSql } from "../../modules/claims/masking.js";
import { SENSITIVE, SENSITIVE_FIELDS } from "../../modules/audit/sensitive.js";
import { claimants, claimPayments, claims, enterprises, hazards, policies, preventionServices } from "../../../schema/index.js";
import type { Context } from "../context.js";
import { RELATIONS } from "./relations.js";

/**
 * The read planner: a query over enterprises and what hangs off them (policies, claims, payments,
 * claimants, prevention services, hazards) compiled into ONE SQL statement that returns the response's
 * `data` as JSON, built by PostgreSQL (json_build_object / json_agg), the way PostGraphile answers.
 *
 * What it plans, exactly as graphql-js and the resolvers would answer it:
 * - queries with aliases, variables, named and inline fragments on the object type itself (nested
 *   spreads included), @include / @skip (decided here, from the variables), __typename;
 * - every field by its outcome in the permission matrix for the caller's role (src/modules/access.ts
 *   `expected`): ALLOWED read from its column; DENIED compiled as null (its subtree never compiled),
 *   and replay.ts places the FORBIDDEN error and the non-null bubbling; MASKED / HANDLER computed in
 *   SQL by the masks' twins (MASKS below: Claimant.name, Claimant.idNumber);
 * - sensitive fields (modules/audit/sensitive.ts) with their rows' keys beside them (ROW_KEY):
 *   replay.ts notes the reads, the audit plugin appends the entry before the answer leaves;
 * - a scalar field where the type-graphql schema reads the row's property as is (no field resolver)
 *   and the table has that column, with the scalar's own format reproduced in SQL (DateTime → +08:00
 *   text, Money/Decimal/ID → text, LocalDate → YYYY-MM-DD);
 * - a list field through RELATIONS (relations.ts), the same definitions the DataLoaders use: the same
 *   scope and the same order;
 * - root fields: `enterprises` (the Relay connection as paginate() pages it: totalCount, edges, cursor,
 *   pageInfo) and `enterprise(uscc)`; any DENIED root field (PUBLIC's) as null + FORBIDDEN.
 *
 * Still left to graphql-js (compileRead returns null, the request executes as before):
 * - mutations; the root fields other than the two above (policies, policy, claims, hazards,
 *   preventionServices, complianceFindings, fundEntries, accidents, viewer, insuranceStatus, the
 *   reports and assessments, auditLog, ruleProfile …);
 * - fields with a resolver that have no SQL twin here: Enterprise.mandatory / insuredNow / region /
 *   accidents / openFindings / rateFloatBand, Policy.status / insurer / broker / insuredEnterprises /
 *   coinsurers / servicePlan / serviceOrgs / versions / fundEntries / findings, Claim.policy /
 *   enterprise / insurer / accident, PreventionService.policy / enterprise / insurer / serviceOrg,
 *   Hazard.enterprise (to-one relations and computed fields);
 * - SMALL_CELL fields, the finding message's MASKED (ComplianceFinding is not reachable from the
 *   planned roots yet; its SQL twin exists: compliance/masking.ts findingFieldSql);
 * - fields with arguments, fragments on another type, directives other than @include / @skip, a
 *   table met twice on one path, more than 50 fields in one selection, bad arguments (a bad cursor,
 *   first > 500: graphql-js answers them with its own errors), variables that do not coerce.
 * test/graphql/read-plan.test.ts runs generated queries for every role both ways and requires
 * identical data, errors and audit keys, and lists the shapes that must stay planned.
 */

export interface PlanConfig {
  /** "Type.field" of the fields that read the row's property as is (no resolver in the type-graphql schema) */
  plain: ReadonlySet<string>;
  /** whether the permission matrix applies (the served schema); false = no field rules (bench only) */
  ruled: boolean;
}

/** A planned read: the statement, and whether its JSON must go through replay.ts (errors to place, reads to audit). */
export interface CompiledRead {
  statement: SQL;
  replay: boolean;
}

/** The tables behind the object types the planner knows. */
const TABLES: Record<string, PgTable> = {
  Enterprise: enterprises,
  Policy: policies,
  Claim: claims,
  ClaimPayment: claimPayments,
  Claimant: claimants,
  PreventionService: preventionServices,
  Hazard: hazards,
};

/** Where an object of the planned JSON carries its row's audit key columns (replay.ts reads it). */
export const ROW_KEY = "#row";

/** json_build_object takes at most 100 arguments */
const MAX_KEYS = 50;

class NotPlannable extends Error {}
const decline = (why: string): never => {
  throw new NotPlannable(why);
};

/** graphql-js's shouldIncludeNode: @skip and @include from the variables; any other directive declines. */
function included(node: FieldNode | FragmentSpreadNode | InlineFragmentNode, variables: Record<string, unknown>): boolean {
  for (const d of node.directives ?? []) if (d.name.value !== "skip" && d.name.value !== "include") decline(`directive @${d.name.value}`);
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

/** The fields of a type, merged by response key as graphql-js collects them (collectFields). */
function collect(c: Compiler, type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[]): Map<string, FieldNode[]> {
  const out = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const s of set?.selections ?? []) {
      if (s.kind === Kind.FIELD) {
        if (!included(s, c.variables)) continue;
        const key = s.alias?.value ?? s.name.value;
        const list = out.get(key);
        if (list) list.push(s);
        else out.set(key, [s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!included(s, c.variables)) continue;
        if (s.typeCondition && s.typeCondition.name.value !== type.name) decline("fragment on another type");
        walk(s.selectionSet);
      } else {
        if (seen.has(s.name.value) || !included(s, c.variables)) continue;
        seen.add(s.name.value);
        const fragment = c.fragments.get(s.name.value) ?? decline("unknown fragment");
        if (fragment.typeCondition.name.value !== type.name) decline("fragment on another type");
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
  fragments: Map<string, FragmentDefinitionNode>;
  ctx: Context;
  config: PlanConfig;
  variables: Record<string, unknown>;
  /** the answer needs replay.ts: a field is DENIED (errors to place) or sensitive (reads to audit) */
  replay: boolean;
}

/**
 * What this request gets for Type.field: the permission matrix's outcome for the caller's role
 * (src/modules/access.ts; a field without an entry is denied, as the field rules' fallback is).
 * DENIED compiles to null and marks the answer for replay.ts, which puts the FORBIDDEN error where
 * graphql-js would. A sensitive field marks it for replay.ts too, which notes the read for the audit.
 */
function outcomeOf(c: Compiler, typeName: string, field: string): Outcome {
  if (SENSITIVE_FIELDS.get(typeName)?.has(field)) c.replay = true;
  if (field === "__typename" || !c.config.ruled) return "ALLOWED";
  const o = expected(typeName, field, c.ctx.viewer.role as Role7) ?? "DENIED";
  if (o === "DENIED") c.replay = true;
  return o;
}

/** MASKED and HANDLER fields, computed in SQL by the twins of the resolvers' masks (the type's table in scope). */
const MASKS: Record<string, (c: Compiler) => SQL> = {
  "Claimant.name": (c) => claimantFieldSql.name(c.ctx.viewer, { name: claimants.name, insurerUscc: claims.insurerUscc }),
  "Claimant.idNumber": (c) => claimantFieldSql.idNumber(c.ctx.viewer, { idNumber: claimants.idNumber, insurerUscc: claims.insurerUscc }),
};

/** Planned for this request: a field that is neither DENIED nor computed; null = DENIED (compile as null). */
function readable(c: Compiler, typeName: string, field: string): boolean {
  const o = outcomeOf(c, typeName, field);
  if (o === "DENIED") return false;
  if (o !== "ALLOWED") decline(`${o} ${typeName}.${field}`);
  return true;
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
  let sensitive = false;
  for (const [k, nodes] of fields) {
    const name = nodes[0].name.value;
    if (name === "__typename") {
      parts.push(sql`${key(k)}, ${key(type.name)}`);
      continue;
    }
    const field = type.getFields()[name] ?? decline(`no field ${name}`);
    if (SENSITIVE_FIELDS.get(type.name)?.has(name)) sensitive = true;
    const outcome = outcomeOf(c, type.name, name);
    if (outcome === "DENIED") {
      parts.push(sql`${key(k)}, null`);
      continue;
    }
    if (outcome === "MASKED" || outcome === "HANDLER") {
      const mask = MASKS[`${type.name}.${name}`] ?? decline(`${outcome} ${type.name}.${name}`);
      parts.push(sql`${key(k)}, ${mask(c)}`);
      continue;
    }
    if (outcome !== "ALLOWED") decline(`${outcome} ${type.name}.${name}`);
    if (nodes.some((n) => n.arguments?.length)) decline("arguments");
    const rel = RELATIONS[`${type.name}.${name}`];
    if (rel) {
      const child = getNamedType(field.type);
      if (!isObjectType(child)) return decline("relation type");
      const childTable = getTableConfig(rel.table).name;
      const via = rel.through ? getTableConfig(rel.through.table).name : null;
      if (path.includes(childTable) || (via && path.includes(via))) decline("table repeats on the path");
      const obj = objectSql(c, child, collect(c, child, nodes.map((n) => n.selectionSet)), [...path, childTable, ...(via ? [via] : [])]);
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
  // the row's key for the audit entry (sensitive.ts), under a name no GraphQL field can have
  if (sensitive) {
    const keyCols = SENSITIVE[type.name].keyColumns.map((col) => sql`${key(col)}, ${columns[col] ?? decline(`no key column ${col}`)}`);
    parts.push(sql`${key(ROW_KEY)}, json_build_object(${sql.join(keyCols, sql`, `)})`);
  }
  if (!parts.length) return sql`json_build_object()`;
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
  for (const [k, fieldNodes] of collect(c, conn, nodes.map((x) => x.selectionSet))) {
    const name = fieldNodes[0].name.value;
    if (!readable(c, conn.name, name)) parts.push(sql`${key(k)}, null`);
    else if (name === "__typename") parts.push(sql`${key(k)}, ${key(conn.name)}`);
    else if (name === "totalCount") parts.push(sql`${key(k)}, (select count(*)::int from ${enterprises} where ${where ?? sql`true`})`);
    else if (name === "edges") {
      const edge = getNamedType(conn.getFields().edges.type) as GraphQLObjectType;
      const edgeParts: SQL[] = [];
      for (const [ek, en] of collect(c, edge, fieldNodes.map((x) => x.selectionSet))) {
        const ename = en[0].name.value;
        if (!readable(c, edge.name, ename)) edgeParts.push(sql`${key(ek)}, null`);
        else if (ename === "__typename") edgeParts.push(sql`${key(ek)}, ${key(edge.name)}`);
        else if (ename === "cursor") edgeParts.push(sql`${key(ek)}, ${cursor}`);
        else if (ename === "node") {
          const node = getNamedType(edge.getFields().node.type) as GraphQLObjectType;
          edgeParts.push(sql`${key(ek)}, ${objectSql(c, node, collect(c, node, en.map((x) => x.selectionSet)), ["enterprises"])}`);
        } else decline(`edge field ${ename}`);
      }
      const edgeObj = edgeParts.length ? sql`json_build_object(${sql.join(edgeParts, sql`, `)})` : sql`json_build_object()`;
      parts.push(sql`${key(k)}, coalesce(json_agg(${edgeObj} order by ${n}) filter (where ${n} <= ${first}), '[]'::json)`);
    } else if (name === "pageInfo") {
      const info = getNamedType(conn.getFields().pageInfo.type) as GraphQLObjectType;
      const infoParts: SQL[] = [];
      for (const [ik, inodes] of collect(c, info, fieldNodes.map((x) => x.selectionSet))) {
        const iname = inodes[0].name.value;
        if (!readable(c, info.name, iname)) infoParts.push(sql`${key(ik)}, null`);
        else if (iname === "__typename") infoParts.push(sql`${key(ik)}, ${key(info.name)}`);
        else if (iname === "hasNextPage") infoParts.push(sql`${key(ik)}, count(*) > ${first}`);
        else if (iname === "hasPreviousPage") infoParts.push(sql`${key(ik)}, ${sql.raw(after !== undefined ? "true" : "false")}`);
        else if (iname === "startCursor") infoParts.push(sql`${key(ik)}, (array_agg(${cursor} order by ${n}) filter (where ${n} <= ${first}))[1]`);
        else if (iname === "endCursor") infoParts.push(sql`${key(ik)}, (array_agg(${cursor} order by ${n} desc) filter (where ${n} <= ${first}))[1]`);
        else decline(`pageInfo field ${iname}`);
      }
      parts.push(sql`${key(k)}, ${infoParts.length ? sql`json_build_object(${sql.join(infoParts, sql`, `)})` : sql`json_build_object()`}`);
    } else decline(`connection field ${name}`);
  }
  const page = and(where, after !== undefined ? gt(enterprises.uscc, after as string) : undefined) ?? sql`true`;
  if (!parts.length) decline("empty selection");
  return sql`(select json_build_object(${sql.join(parts, sql`, `)}) from (
    select ${enterprises}.*, row_number() over (order by ${enterprises.uscc}) as "__n" from ${enterprises}
    where ${page} order by ${enterprises.uscc} limit ${first + 1}) ${enterprises})`;
}

/** Query.enterprise(uscc): the row if the viewer may see it, else null (the enterprise loader's scope). */
function enterpriseSql(c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]): SQL {
  const { uscc } = args(c, query, nodes[0]) as { uscc: string };
  const type = getNamedType(query.getFields().enterprise.type) as GraphQLObjectType;
  const obj = objectSql(c, type, collect(c, type, nodes.map((x) => x.selectionSet)), ["enterprises"]);
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
): CompiledRead {
  const op = getOperationAST(document, operationName);
  if (!op || op.operation !== "query") return decline("not a query");
  const coerced = getVariableValues(schema, op.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return decline("variables");
  const query = schema.getQueryType()!;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const c: Compiler = { fragments, ctx, config, variables: coerced.coerced, replay: false };
  const parts: SQL[] = [];
  for (const [k, nodes] of collect(c, query, [op.selectionSet])) {
    const name = nodes[0].name.value;
    if (name === "__typename") {
      parts.push(sql`${key(k)}, ${key(query.name)}`);
      continue;
    }
    // a DENIED root is null whatever it is: graphql-js never runs its resolver
    if (!readable(c, query.name, name)) parts.push(sql`${key(k)}, null`);
    else parts.push(sql`${key(k)}, ${(ROOTS[name] ?? decline(`root ${name}`))(c, query, nodes)}`);
  }
  if (!parts.length) return decline("empty selection");
  return { statement: sql`select json_build_object(${sql.join(parts, sql`, `)})::text as data`, replay: c.replay };
}

/**
 * The statement answering this query's `data`, or null when the planner declines (see above): the
 * request then runs through graphql-js, which also answers bad arguments (a bad cursor, first > 500)
 * with their own errors.
 */
export function compileRead(...a: Parameters<typeof plan>): CompiledRead | null {
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

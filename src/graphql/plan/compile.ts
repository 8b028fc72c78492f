import { and, eq, getTableColumns, gt, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getTableConfig, type PgColumn, type PgTable } from "drizzle-orm/pg-core";
import {
  getArgumentValues, getDirectiveValues, getNamedType, getNullableType, getOperationAST, getVariableValues, GraphQLIncludeDirective, GraphQLSkipDirective,
  isEnumType, isListType, isObjectType, isScalarType, Kind,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type FragmentSpreadNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema, type InlineFragmentNode, type SelectionSetNode,
} from "graphql";
import { expected, type Outcome, type Role7 } from "../../modules/access.js";
import { enterpriseRows, scopeFollowsEnterprise } from "../../auth/scope.js";
import { decodeCursor, MAX_PAGE } from "../../db/paginate.js";
import { enterprisesWhere } from "../../modules/enterprises/service.js";
import { policiesWhere, policyByNo } from "../../modules/policies/service.js";
import { hazardsWhere, servicesWhere } from "../../modules/prevention/service.js";
import { accidentsWhere, claimsWhere } from "../../modules/claims/service.js";
import { fundEntriesWhere } from "../../modules/funds/service.js";
import { findingsWhere } from "../../modules/compliance/service.js";
import { claimantFieldSql } from "../../modules/claims/masking.js";
import { findingFieldSql } from "../../modules/compliance/masking.js";
import { SENSITIVE, SENSITIVE_FIELDS } from "../../modules/audit/sensitive.js";
import {
  accidents, claimants, claimPayments, claims, complianceFindings, enterprises, fundEntries, hazards, insurers, policies, policyCoinsurers, policyEnterprises,
  preventionServices, regions, serviceOrgs,
} from "../../../schema/index.js";
import type { Context } from "../context.js";
import { RELATIONS } from "./relations.js";

/**
 * The read planner: a query over the hub's records (enterprises, policies, claims, payments, claimants,
 * prevention services, hazards, accidents, ledger entries, findings, the registry's names) compiled
 * into ONE SQL statement that returns the response's `data` as JSON, built by PostgreSQL
 * (json_build_object / json_agg), the way PostGraphile answers.
 *
 * What it plans, exactly as graphql-js and the resolvers would answer it:
 * - queries with aliases, variables, named and inline fragments on the object type itself (nested
 *   spreads included), @include / @skip (decided here, from the variables), __typename;
 * - every field by its outcome in the permission matrix for the caller's role (src/modules/access.ts
 *   `expected`): ALLOWED read from its column; DENIED compiled as null (its subtree never compiled),
 *   and replay.ts places the FORBIDDEN error and the non-null bubbling; fields a resolver computes
 *   whose SQL twin is below (COMPUTED: Claimant.name / idNumber, ComplianceFinding.message with its
 *   MASKED text), for every outcome;
 * - sensitive fields (modules/audit/sensitive.ts) with their rows' keys beside them (ROW_KEY):
 *   replay.ts notes the reads, the audit plugin appends the entry before the answer leaves;
 * - a scalar field where the type-graphql schema reads the row's property as is (no field resolver:
 *   the object types declare simpleResolvers) and the table has that column, with the scalar's own
 *   format reproduced in SQL (DateTime → +08:00 text, Money/Decimal/ID → text, LocalDate → YYYY-MM-DD);
 * - a field through RELATIONS (relations.ts), the definitions the DataLoaders use: lists with the same
 *   scope and order (Enterprise.policies / claims / preventionServices / hazards / accidents,
 *   Policy.claims / preventionServices / hazards / insuredEnterprises / coinsurers, Claim.payments /
 *   claimants, PreventionService.hazards), and to-one rows, null where the scoped loader answers null
 *   (Policy.insurer, CoinsuranceShare.insurer, InsuredEnterprise.enterprise, Enterprise.region,
 *   Hazard / Accident / Claim / PreventionService .enterprise, Claim / PreventionService .policy and
 *   .insurer, PreventionService.serviceOrg);
 * - root fields: the Relay connections enterprises, policies, claims, accidents, preventionServices,
 *   hazards, fundEntries, complianceFindings (CONNECTIONS: the list service's own WHERE, the page
 *   paginate() returns: totalCount, edges, cursor, pageInfo), enterprise(uscc) and
 *   policy(insurerId, policyNo); any DENIED root field (PUBLIC's) as null + FORBIDDEN.
 *   hazards' OVERDUE filter compares with today's CST date from the database's clock (a cached plan
 *   must not freeze a date); the resolvers take it from the hub's clock.
 *
 * Still left to graphql-js (compileRead returns null, the request executes as before):
 * - mutations; the other root fields (viewer, insuranceStatus, the reports and assessments, auditLog,
 *   ruleProfile, coverage …);
 * - fields with a resolver that have no SQL twin here: the clock's (Policy.status, Hazard.status,
 *   Enterprise.insuredNow: the resolvers read the hub's clock, a planned statement the database's, and
 *   a plan is cached), Enterprise.mandatory (the rules profile in JavaScript) / openFindings /
 *   rateFloatBand, Policy.broker / servicePlan / serviceOrgs / versions / fundEntries / findings,
 *   Claim.accident, Hazard.seq;
 * - SMALL_CELL fields;
 * - fields with arguments, fragments on another type, directives other than @include / @skip, a
 *   table met twice on one path (no aliases: e.g. policies → claims → policy), more than 50 fields in
 *   one selection, bad arguments (a bad cursor, first > 500: graphql-js answers them with its own
 *   errors), variables that do not coerce.
 * test/graphql/read-plan.test.ts runs generated queries from every planned root for every role both
 * ways and requires identical data, errors and audit keys, and lists the shapes that must stay planned.
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
  Accident: accidents,
  FundEntry: fundEntries,
  ComplianceFinding: complianceFindings,
  InsuredEnterprise: policyEnterprises,
  CoinsuranceShare: policyCoinsurers,
  Insurer: insurers,
  ServiceOrg: serviceOrgs,
  Region: regions,
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

/**
 * Fields a resolver computes, in SQL by the resolvers' twins (the type's table in scope): the masks
 * (MASKED / HANDLER for some roles, whole for others, as the twin decides per viewer).
 */
const COMPUTED: Record<string, (c: Compiler) => SQL> = {
  "Claimant.name": (c) => claimantFieldSql.name(c.ctx.viewer, { name: claimants.name, insurerUscc: claims.insurerUscc }),
  "Claimant.idNumber": (c) => claimantFieldSql.idNumber(c.ctx.viewer, { idNumber: claimants.idNumber, insurerUscc: claims.insurerUscc }),
  "ComplianceFinding.message": (c) => findingFieldSql.message(c.ctx.viewer, { ruleCode: complianceFindings.ruleCode, message: complianceFindings.message }),
};

/** "Type.field" of the fields a resolver computes that the planner computes in SQL too (tests). */
export const COMPUTED_FIELDS: ReadonlySet<string> = new Set(Object.keys(COMPUTED));

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
    const computed = COMPUTED[`${type.name}.${name}`];
    if (outcome === "MASKED" || outcome === "HANDLER" || (outcome === "ALLOWED" && computed)) {
      parts.push(sql`${key(k)}, ${(computed ?? decline(`${outcome} ${type.name}.${name}`))(c)}`);
      continue;
    }
    if (outcome !== "ALLOWED") decline(`${outcome} ${type.name}.${name}`);
    if (nodes.some((n) => n.arguments?.length)) decline("arguments");
    const rel = RELATIONS[`${type.name}.${name}`];
    if (rel?.one) {
      // the row the parent points at, null when there is none or the viewer may not see it (the byKey loader)
      const child = getNamedType(field.type);
      if (!isObjectType(child)) return decline("relation type");
      const childTable = getTableConfig(rel.table).name;
      if (path.includes(childTable)) decline("table repeats on the path");
      const obj = objectSql(c, child, collect(c, child, nodes.map((n) => n.selectionSet)), [...path, childTable]);
      parts.push(sql`${key(k)}, (select ${obj} from ${rel.table} where ${and(eq(rel.fk, rel.parentKey), rel.scope(c.ctx.viewer))})`);
      continue;
    }
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

/** A Relay connection root as paginate() pages it: the rows `where` selects, in `key` order. */
interface ConnectionRoot {
  table: PgTable;
  key: PgColumn;
  /** the list service's WHERE (scope and filter), the one the resolver hands to paginate() */
  where(c: Compiler, filter: never): SQL | undefined;
}

/** the CST date hazards' OVERDUE compares with, from the database's clock: a cached plan must not freeze a date */
const TODAY_CST = sql`(now() at time zone 'Asia/Shanghai')::date`;

const CONNECTIONS: Record<string, ConnectionRoot> = {
  enterprises: { table: enterprises, key: enterprises.uscc, where: (c, f) => enterprisesWhere(c.ctx.viewer, f) },
  policies: { table: policies, key: policies.id, where: (c, f) => policiesWhere(c.ctx.viewer, f) },
  claims: { table: claims, key: claims.id, where: (c, f) => claimsWhere(c.ctx.viewer, f) },
  accidents: { table: accidents, key: accidents.id, where: (c, f) => accidentsWhere(c.ctx.viewer, f) },
  preventionServices: { table: preventionServices, key: preventionServices.id, where: (c, f) => servicesWhere(c.ctx.viewer, f) },
  hazards: { table: hazards, key: hazards.id, where: (c, f) => hazardsWhere(c.ctx.viewer, f, TODAY_CST) },
  fundEntries: { table: fundEntries, key: fundEntries.id, where: (c, f) => fundEntriesWhere(c.ctx.viewer, f) },
  complianceFindings: { table: complianceFindings, key: complianceFindings.id, where: (c, f) => findingsWhere(c.ctx.viewer, f) },
};

/**
 * A connection root: the page paginate() returns (key order, first + 1 rows to know about a next
 * page, the cursor its base64url of [key]), the rows under the table's own name for what hangs off them.
 */
function connectionSql(c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]): SQL {
  const name0 = nodes[0].name.value;
  const { table, key: keyCol, where: whereOf } = CONNECTIONS[name0];
  const a = args(c, query, nodes[0]) as { filter?: never; first?: number | null; after?: string | null };
  const first = a.first ?? 50;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) decline("first");
  const after = a.after ? decodeCursor(a.after) : undefined;
  // a cursor of the other kind is the database's error on the resolvers' path: graphql-js answers it
  if (after !== undefined && typeof after !== (keyCol.dataType === "number" ? "number" : "string")) decline("cursor kind");
  const where = whereOf(c, a.filter as never);
  const tableName = getTableConfig(table).name;
  const conn = getNamedType(query.getFields()[name0].type) as GraphQLObjectType;
  const cursor = sql`translate(encode(convert_to(json_build_array(${keyCol})::text, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
  const n = sql.raw(`"${tableName}"."__n"`);
  const parts: SQL[] = [];
  for (const [k, fieldNodes] of collect(c, conn, nodes.map((x) => x.selectionSet))) {
    const name = fieldNodes[0].name.value;
    if (!readable(c, conn.name, name)) parts.push(sql`${key(k)}, null`);
    else if (name === "__typename") parts.push(sql`${key(k)}, ${key(conn.name)}`);
    else if (name === "totalCount") parts.push(sql`${key(k)}, (select count(*)::int from ${table} where ${where ?? sql`true`})`);
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
          edgeParts.push(sql`${key(ek)}, ${objectSql(c, node, collect(c, node, en.map((x) => x.selectionSet)), [tableName])}`);
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
  const page = and(where, after !== undefined ? gt(keyCol, after) : undefined) ?? sql`true`;
  if (!parts.length) decline("empty selection");
  return sql`(select json_build_object(${sql.join(parts, sql`, `)}) from (
    select ${table}.*, row_number() over (order by ${keyCol}) as "__n" from ${table}
    where ${page} order by ${keyCol} limit ${first + 1}) ${table})`;
}

/** A root answering one row or null: the row `where` selects (the scoped loader's or finder's condition). */
function rowRoot(table: PgTable, where: (c: Compiler, a: Record<string, unknown>) => SQL | undefined) {
  return (c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]): SQL => {
    const type = getNamedType(query.getFields()[nodes[0].name.value].type) as GraphQLObjectType;
    const obj = objectSql(c, type, collect(c, type, nodes.map((x) => x.selectionSet)), [getTableConfig(table).name]);
    return sql`(select ${obj} from ${table} where ${where(c, args(c, query, nodes[0])) ?? sql`true`})`;
  };
}

const ROOTS: Record<string, (c: Compiler, query: GraphQLObjectType, nodes: FieldNode[]) => SQL> = {
  ...Object.fromEntries(Object.keys(CONNECTIONS).map((name) => [name, connectionSql])),
  // the enterprise loader: null outside the viewer's scope
  enterprise: rowRoot(enterprises, (c, a) => and(eq(enterprises.uscc, a.uscc as string), enterpriseRows(c.ctx.viewer))),
  // findPolicy: by insurer and policy number (unique), null outside the viewer's scope
  policy: rowRoot(policies, (c, a) => policyByNo(c.ctx.viewer, a.insurerId as string, a.policyNo as string)),
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

import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import type { SQL } from "drizzle-orm";
import type { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import { PgDialect } from "drizzle-orm/pg-core";
import { createHash } from "node:crypto";
import pg from "pg";
import type { Database, Db } from "../../db/client.js";
import { notePlannedReads } from "../../modules/audit/plugin.js";
import type { Context } from "../context.js";
import { compileRead, type PlanConfig } from "./compile.js";
import { replay } from "./replay.js";

const dialect = new PgDialect();

/** What the planner did in this process (tests and diagnosis). */
export const planStats = { planned: 0, declined: 0, failed: 0 };

/** At most this many distinct planned statements are prepared per process; the rest run unnamed. */
const MAX_PREPARED = 500;
const prepared = new Map<string, string>();

function preparedName(text: string): string | undefined {
  let name = prepared.get(text);
  if (!name && prepared.size < MAX_PREPARED) {
    name = "hub_plan_" + createHash("sha1").update(text).digest("base64url");
    prepared.set(text, name);
  }
  return name;
}

interface Planned {
  text: string;
  params: unknown[];
  name: string | undefined;
  /** the JSON goes through replay.ts (errors to place, reads to audit) */
  replay: boolean;
}

/** The compiled statement, or null for "declined". */
type CacheEntry = Planned | null;

/**
 * Compiled statements per parsed document (Apollo hands out the same DocumentNode for the same query
 * text), keyed by operation, variables and caller: the same dashboard query from the same agency
 * compiles once. Bounded per document; documents drop out with Apollo's own document cache.
 */
const compiled = new WeakMap<DocumentNode, Map<string, CacheEntry>>();
const PER_DOCUMENT = 200;

function planFor(config: PlanConfig, rc: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; request: { variables?: Record<string, unknown> }; contextValue: Context }): CacheEntry {
  let byKey = compiled.get(rc.document);
  if (!byKey) compiled.set(rc.document, (byKey = new Map()));
  const key = `${rc.operationName ?? ""}\u0000${JSON.stringify(rc.request.variables ?? {})}\u0000${JSON.stringify(rc.contextValue.viewer)}`;
  let entry = byKey.get(key);
  if (entry !== undefined) return entry;
  const read = compileRead(rc.schema, config, rc.document, rc.operationName, rc.request.variables, rc.contextValue);
  if (read) {
    const q = dialect.sqlToQuery(read.statement);
    entry = { text: q.sql, params: q.params as unknown[], name: preparedName(q.sql), replay: read.replay };
  } else entry = null;
  if (byKey.size >= PER_DOCUMENT) byKey.clear();
  byKey.set(key, entry);
  return entry;
}

/**
 * Runs a planned statement; its one row is the response's `data` as JSON text, built by PostgreSQL.
 * On PostgreSQL it is a named (prepared) statement: each connection parses and plans it once, not on
 * every request (planning the nested read cost PostgreSQL about as much as running it).
 */
async function runPlanned(database: Database, db: Db, p: Planned): Promise<string> {
  database.stats.statements++;
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof pg.Pool) {
    const res = await client.query<{ data: string }>({ name: p.name, text: p.text, values: p.params });
    return res.rows[0].data;
  }
  const res = await (client as { query: (text: string, params: unknown[]) => Promise<{ rows: { data: string }[] }> }).query(p.text, p.params);
  return res.rows[0].data;
}

/** The holder ({ text }) on the request's context where the planned JSON text waits for the HTTP layer (passthrough). */
export const PLANNED_BODY = Symbol("planned body");
/** What Apollo serialises for a planned answer in passthrough mode; the HTTP layer swaps in the text. */
export const PLANNED_PLACEHOLDER = { __planned: true };
export const PLANNED_PLACEHOLDER_BODY = JSON.stringify({ data: PLANNED_PLACEHOLDER }) + "\n";

/** How the server formats an error for the response (Apollo's normalisation and its formatError). */
export type ErrorFormatter = (error: GraphQLError) => GraphQLFormattedError;

/**
 * Answers a query the read planner can plan (compile.ts) with its one statement, before graphql-js
 * would execute it; every other request (mutations, anything the planner declines, a statement that
 * fails) executes as always. Validation, limits, cost, routing and logging have run by then
 * (Apollo's didResolveOperation).
 *
 * An answer with a DENIED or sensitive field goes through replay.ts: its FORBIDDEN errors are placed
 * as graphql-js places them, and what it read is handed to the audit plugin (notePlannedReads), which
 * appends the entry in willSendResponse, before the answer leaves, as for an executed request (and
 * withholds the answer when it cannot). Apollo does not execute a request answered here, so the
 * audit plugin's own per-field hook never sees it: one entry per request.
 *
 * `passthrough`: the HTTP layer (server.ts) sends PostgreSQL's JSON text as the response's data
 * as it is, instead of Apollo parsing it into objects and serialising them again; Apollo's answer
 * then carries PLANNED_PLACEHOLDER, and the text waits on the context under PLANNED_BODY. Only for
 * answers that need no replay.
 */
export function readPlanPlugin(
  config: PlanConfig | undefined,
  database: Database,
  opts: { passthrough?: boolean; formatError?: ErrorFormatter } = {},
): ApolloServerPlugin<Context> {
  const format: ErrorFormatter = opts.formatError ?? ((e) => e.toJSON());
  return {
    async requestDidStart() {
      if (!config) return;
      return {
        async responseForOperation(rc) {
          if (rc.operation?.operation !== "query") return null;
          const planned = planFor(config, rc);
          if (!planned) {
            planStats.declined++;
            return null;
          }
          let text: string;
          try {
            text = await runPlanned(database, rc.contextValue.db, planned);
          } catch {
            // the resolvers run it instead, and answer a lost database as SERVICE_UNAVAILABLE as always
            planStats.failed++;
            return null;
          }
          planStats.planned++;
          const head = { status: undefined, headers: new HeaderMap() };
          if (planned.replay) {
            const { result, touched } = await replay(rc.schema, config.ruled, rc.document, rc.operationName, rc.request.variables, rc.contextValue, JSON.parse(text));
            if (touched) notePlannedReads(rc.contextValue, touched);
            const singleResult = result.errors?.length ? { data: result.data, errors: result.errors.map(format) } : { data: result.data };
            return { http: head, body: { kind: "single", singleResult } };
          }
          let data: Record<string, unknown>;
          const holder = (rc.contextValue as Context & { [PLANNED_BODY]?: { text?: string } })[PLANNED_BODY];
          if (opts.passthrough && holder) {
            holder.text = text;
            data = PLANNED_PLACEHOLDER;
          } else data = JSON.parse(text);
          return { http: head, body: { kind: "single", singleResult: { data } } };
        },
      };
    },
  };
}

/**
 * The planned answer for a request (data, errors and what the audit would note), or null when the
 * planner declines it: what the plugin answers, without Apollo (the differential test compares it
 * with graphql-js executing the same query).
 */
export async function plannedResult(
  database: Database,
  config: PlanConfig,
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  ctx: Context,
): Promise<{ data: Record<string, unknown> | null | undefined; errors?: readonly GraphQLError[]; auditKeys?: string[] } | null> {
  const planned = planFor(config, { schema, document, operationName: undefined, request: { variables }, contextValue: ctx });
  if (!planned) return null;
  const data = JSON.parse(await runPlanned(database, ctx.db, planned));
  if (!planned.replay) return { data };
  const { result, touched } = await replay(schema, config.ruled, document, undefined, variables, ctx, data);
  return { data: result.data, ...(result.errors ? { errors: result.errors } : {}), ...(touched?.sensitive ? { auditKeys: touched.entryKeys() } : {}) };
}

import type { ApolloServerPlugin, GraphQLRequestContext } from "@apollo/server";
import { BREAK, isObjectType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from "graphql";
import { DatabaseUnavailableError, isDatabaseUnavailable } from "../../db/client.js";
import type { Context } from "../../graphql/context.js";
import { requestHash } from "./chain.js";
import { SENSITIVE, SENSITIVE_FIELDS } from "./sensitive.js";
import { appendAuditEntry, formatOperation, type AuditDraft } from "./service.js";

/** At most this many keys per entry (a 500-policy push names about as many); the rest are counted. */
export const MAX_KEYS = 5000;
const MAX_KEY_LENGTH = 200;
/** How many argument values are looked at per request, whatever the arguments' size. */
const ARGUMENT_BUDGET = 50_000;

/** Argument names whose values identify a record: uscc, policyNo, claimRef, insurerUscc, agencyId … */
const IDENTIFIER = /^(id|uscc|usccs|policyNo|agencyId|insurerId|idempotencyKey|[a-z]\w*(Uscc|Usccs|Ref|Id))$/;

/** "read:Type.field" per sensitive field, built once. */
const READ_LABEL = new Map(Object.entries(SENSITIVE).map(([type, t]) => [type, new Map(Object.keys(t.fields).map((f) => [f, `read:${type}.${f}`]))]));
const SENSITIVE_NAMES = new Set(Object.values(SENSITIVE).flatMap((t) => Object.keys(t.fields)));

const selects = new WeakMap<DocumentNode, boolean>();

/**
 * Whether the document selects a sensitive field at all (cached per parsed document, which Apollo
 * reuses for the same query text). A request that cannot read one installs no per-field hook. Under
 * an interface or union the field name alone decides (a conservative over-approximation).
 */
export function selectsSensitiveField(schema: GraphQLSchema, document: DocumentNode): boolean {
  const cached = selects.get(document);
  if (cached !== undefined) return cached;
  let found = false;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const name = node.name.value;
        const sensitive = parent && isObjectType(parent) ? SENSITIVE_FIELDS.get(parent.name)?.has(name) === true : SENSITIVE_NAMES.has(name);
        if (sensitive) {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  selects.set(document, found);
  return found;
}

/** What one request touched, noted while it executes. */
export class Touched {
  readonly rootFields = new Set<string>();
  readonly keys = new Set<string>();
  /** a sensitive field was resolved (whole, masked or refused) */
  sensitive = false;
  omitted = 0;
  budget = ARGUMENT_BUDGET;

  constructor(readonly mutation: boolean) {}

  key(k: string) {
    if (this.keys.has(k)) return;
    if (this.keys.size >= MAX_KEYS) {
      this.omitted++;
      return;
    }
    this.keys.add(k.length > MAX_KEY_LENGTH ? k.slice(0, MAX_KEY_LENGTH) + "…" : k);
  }

  /** identifiers in a root field's arguments, as `name:value` */
  identifiers(value: unknown, name: string | null, depth: number) {
    if (this.budget-- <= 0 || value === null || value === undefined) return;
    if (typeof value === "string" || typeof value === "number") {
      if (name !== null && IDENTIFIER.test(name)) this.key(`${name}:${value}`);
    } else if (Array.isArray(value)) {
      for (const v of value) this.identifiers(v, name, depth);
    } else if (typeof value === "object" && depth < 6 && !(value instanceof Date)) {
      for (const [k, v] of Object.entries(value)) this.identifiers(v, k, depth + 1);
    }
  }

  entryKeys(): string[] {
    const keys = [...this.keys];
    if (this.omitted > 0) keys.push(`omitted:${this.omitted}`);
    return keys;
  }
}

/**
 * What resolving one field adds to the request's entry: a root field and the identifiers in its
 * arguments; a sensitive field, its label and the key of the row (`row`) it is read on. The plugin
 * calls it per resolved field; the read planner (src/graphql/plan/replay.ts) per field of its answer.
 */
export function noteField(t: Touched, parentType: string, fieldName: string, root: boolean, args: unknown, row: unknown): void {
  if (root) {
    t.rootFields.add(fieldName);
    t.identifiers(args, null, 0);
    return;
  }
  const label = READ_LABEL.get(parentType)?.get(fieldName);
  if (label === undefined) return;
  t.sensitive = true;
  t.key(label);
  if (row && typeof row === "object") t.key(SENSITIVE[parentType].key(row as Record<string, unknown>));
}

/**
 * What a request answered by the read planner touched (it runs no resolvers): the plugin appends its
 * entry in willSendResponse exactly as for an executed request, before the answer leaves.
 */
const plannedReads = new WeakMap<object, Touched>();
export function notePlannedReads(ctx: object, t: Touched): void {
  plannedReads.set(ctx, t);
}

export interface AuditPluginOptions {
  /** where a failed append is reported (pino-compatible); the default writes to stderr */
  logger?: { error(obj: object, msg: string): void };
  /** told after each append, so that the entry is linked into the chain shortly (sealer.ts) */
  sealer?: { nudge(): void };
}

const AUDIT_UNAVAILABLE = {
  message:
    "审计日志无法写入，结果不予返回；写操作可能已生效，请用相同的幂等键重试 / the audit log could not be written, so no result is returned; " +
    "a mutation may have taken effect: retry it with the same idempotency key",
  extensions: { code: "SERVICE_UNAVAILABLE", reason: "AUDIT_UNAVAILABLE" },
};

/**
 * The audit log as an Apollo plugin. Every executed mutation and every query that resolves a
 * sensitive field (sensitive.ts) appends ONE entry: who (sub, role, org), purpose, the operation with
 * its root fields, the keys touched (identifiers in the root fields' arguments; for sensitive reads
 * the rows read and the fields), the request hash and the time. Per field the cost is one Map get and
 * one Set/Map lookup, and only in requests whose document can select a sensitive field or that are
 * mutations. The append (one INSERT, no lock: concurrent requests do not wait for each other) is
 * awaited in willSendResponse, before Apollo hands the answer to the HTTP layer: an acknowledged
 * mutation, and every answer carrying protected data, has its committed entry; the sealer links it
 * into the hash chain shortly after. If the append fails the answer is withheld: 503
 * SERVICE_UNAVAILABLE, reason POOL_EXHAUSTED or DATABASE_UNREACHABLE when the database is the cause,
 * AUDIT_UNAVAILABLE otherwise. No unaudited read of protected data leaves the hub, and a mutation is
 * never acknowledged without its entry (the client retries with its idempotency key, which replays).
 * An answer that carries no data (a refused or failed request) is kept as it is, and the entry goes to
 * the log instead.
 */
export function auditPlugin(opts: AuditPluginOptions = {}): ApolloServerPlugin<Context> {
  const logger = opts.logger ?? { error: (obj: object, msg: string) => console.error(msg, JSON.stringify(obj)) };
  return {
    async requestDidStart() {
      let touched: Touched | undefined;
      return {
        async executionDidStart({ operation, schema, document }) {
          const mutation = operation?.operation === "mutation";
          if (!mutation && !selectsSensitiveField(schema, document)) return;
          const t = (touched = new Touched(mutation));
          return {
            willResolveField({ source, args, info }) {
              noteField(t, info.parentType.name, info.fieldName, info.path.prev === undefined, args, source);
            },
          };
        },
        async willSendResponse(rc) {
          const t = touched ?? plannedReads.get(rc.contextValue);
          // nothing ran (variables refused) or nothing protected was read: no entry
          if (!t || t.rootFields.size === 0 || (!t.mutation && !t.sensitive)) return;
          const draft = draftOf(rc, t);
          const result = rc.response.body.kind === "single" ? rc.response.body.singleResult : undefined;
          const nothingDelivered = result !== undefined && result.data == null;
          // The database already failed this request and nothing is delivered (a failed command writes
          // nothing): an append would fail too, after another pool timeout. Keep the answer, log the entry.
          if (nothingDelivered && result.errors?.some((e) => e.extensions?.code === "SERVICE_UNAVAILABLE")) {
            logger.error({ ...logged(draft), reason: "database unavailable" }, "audit entry not appended");
            return;
          }
          try {
            // the primary: a query's db may be a read-only hot standby
            await appendAuditEntry(rc.contextValue.primary, draft);
            opts.sealer?.nudge();
          } catch (e) {
            logger.error({ ...logged(draft), error: (e as Error)?.message }, "audit append failed");
            // an error answer without data reveals nothing: keep it (its code says what went wrong)
            if (nothingDelivered) return;
            rc.response.body = { kind: "single", singleResult: { errors: [withheld(e)] } };
            rc.response.http.status = 503;
          }
        },
      };
    },
  };
}

/** what a failed append logs: no keys, no purpose (they may name people or records) */
const logged = (d: AuditDraft) => ({ operation: d.operation, sub: d.sub, role: d.role, org: d.org, requestHash: d.requestHash });

/** The error that replaces an answer whose audit entry could not be written. */
function withheld(e: unknown) {
  if (!isDatabaseUnavailable(e)) return AUDIT_UNAVAILABLE;
  const db = e instanceof DatabaseUnavailableError ? e : new DatabaseUnavailableError(e);
  return { message: `${AUDIT_UNAVAILABLE.message}: ${db.message}`, extensions: { code: db.extensions.code, reason: db.extensions.reason } };
}

function draftOf(rc: GraphQLRequestContext<Context>, t: Touched): AuditDraft {
  const v = rc.contextValue.viewer;
  return {
    sub: v.sub,
    role: v.role,
    org: v.org,
    purpose: v.purpose,
    operation: formatOperation(rc.operation?.operation ?? "query", rc.operationName, t.rootFields),
    keys: t.entryKeys(),
    requestHash: requestHash(rc.source ?? rc.request.query ?? "", rc.request.variables),
  };
}

import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { GraphQLError } from "graphql";
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * Logs carry no personal data: never a token, a variable, the query text, a `sub` or a value from
 * the database. A request line has the request id, method, path (without the query string, which
 * holds the query and variables of a GET), status, duration, the caller's role, the operation name
 * and the error codes. Unexpected errors are logged by type and SQLSTATE, not by message, because
 * database messages quote the failing values.
 */
export function createLogger(opts: { production: boolean; destination?: DestinationStream; level?: string }): Logger {
  const options = {
    level: opts.level ?? "info",
    // belt and braces: these names never reach a log call, and are censored if one ever does
    redact: { paths: ["authorization", "token", "variables", "query", "*.authorization", "*.token", "*.variables", "*.query"], censor: "[redacted]" },
  };
  if (opts.production) {
    return pino(
      { ...options, base: { service: "anze-hub" }, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label: string) => ({ level: label }) } },
      opts.destination ?? pino.destination({ dest: 1, sync: true }),
    );
  }
  return pino({ ...options, base: undefined, timestamp: false }, opts.destination ?? plainConsole());
}

/** Outside production: one readable line per entry on the console. */
function plainConsole(): DestinationStream {
  return {
    write(line: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line);
      } catch {
        process.stdout.write(line);
        return;
      }
      const { level, msg, ...rest } = entry;
      const name = ({ 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" } as Record<number, string>)[level as number] ?? String(level);
      const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`).join(" ");
      const text = `${new Date().toISOString().slice(11, 23)} ${name.padEnd(5)} ${msg ?? ""} ${fields}\n`;
      (Number(level) >= 50 ? process.stderr : process.stdout).write(text);
    },
  };
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is a plain token (it is echoed and logged), a fresh UUID otherwise. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** What one request did, filled in as it goes and logged when the response closes. */
export interface RequestInfo {
  id: string;
  role: string | null;
  operation: string | null;
  operationType: string | null;
  codes: string[];
}

export const newRequestInfo = (id: string): RequestInfo => ({ id, role: null, operation: null, operationType: null, codes: [] });

/** Where a GraphQL context carries its request's RequestInfo (see server.ts). */
export const REQUEST_INFO = Symbol("anze-hub.requestInfo");

function infoOf(contextValue: unknown): RequestInfo | undefined {
  return (contextValue as { [REQUEST_INFO]?: RequestInfo } | undefined)?.[REQUEST_INFO];
}

/** type, SQLSTATE and the names of the constraint, table and column involved: no values */
export function errorSummary(error: unknown, verbose: boolean): Record<string, unknown> {
  let root: unknown = error;
  for (let i = 0; i < 5; i++) {
    const next = root instanceof GraphQLError ? root.originalError : root instanceof Error ? (root as { cause?: unknown }).cause : undefined;
    if (!next) break;
    root = next;
  }
  const r = (root ?? {}) as Record<string, unknown>;
  const summary: Record<string, unknown> = { type: (root as object | null)?.constructor?.name ?? typeof root };
  if (typeof r.code === "string" && /^[0-9A-Z]{5}$/.test(r.code)) summary.sqlState = r.code;
  for (const k of ["constraint", "table", "column", "routine"]) if (typeof r[k] === "string") summary[k] = r[k];
  if (verbose && root instanceof Error) Object.assign(summary, { message: root.message, stack: root.stack });
  return summary;
}

/**
 * Fills the request's RequestInfo with the operation and the answered error codes, and logs
 * unexpected errors (those without a code: a bug or the database) with the request id.
 */
export function observabilityPlugin<C extends BaseContext>(logger: Logger, verbose: boolean): ApolloServerPlugin<C> {
  return {
    async requestDidStart({ contextValue, request }) {
      const info = infoOf(contextValue);
      if (info && typeof request.operationName === "string") info.operation = request.operationName;
      return {
        async didResolveOperation({ operationName, operation }) {
          if (!info) return;
          info.operation = operationName ?? null;
          info.operationType = operation?.operation ?? null;
        },
        async didEncounterErrors({ errors }) {
          for (const e of errors) {
            if (e.extensions?.code) continue;
            logger.error({ reqId: info?.id, operation: info?.operation, path: e.path?.join("."), error: errorSummary(e, verbose) }, "unexpected error");
          }
        },
        async willSendResponse({ response }) {
          if (!info || response.body.kind !== "single") return;
          for (const e of response.body.singleResult.errors ?? []) info.codes.push(String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR"));
        },
      };
    },
  };
}

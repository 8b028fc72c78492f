/**
 * Which server a GraphQL request runs on, when read replicas are set (src/db/replicas.ts).
 *
 * The choice is per request, made once the operation is known and before any resolver runs: a
 * mutation runs entirely on the primary (its answer, loaders included, reads what it just wrote); a
 * query runs on a replica. After a mutation the answer carries `x-hub-write-lsn`, the primary's WAL
 * position; a later query that sends it back as `x-hub-read-after-lsn` is served by a replica only
 * once that replica has replayed that far, otherwise by the primary. The token is stateless: any hub
 * process honours any other's.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Viewer } from "../auth/viewer.js";
import type { Database, Db } from "../db/client.js";
import { parseLsn } from "../db/replicas.js";
import { createContext, type Context } from "../graphql/context.js";

export const WRITE_LSN_HEADER = "x-hub-write-lsn";
export const READ_AFTER_HEADER = "x-hub-read-after-lsn";

const ROUTE = Symbol("read route");

interface Route {
  target: Db;
}

/**
 * `x-hub-read-after-lsn` as a WAL position; undefined when absent. A value that is not one (the
 * header of a client with a bug) is refused rather than ignored: ignoring it would read stale data.
 */
export function readAfterLsn(header: string | null | undefined): bigint | undefined {
  if (header === undefined || header === null || header === "") return undefined;
  const lsn = parseLsn(header);
  if (lsn === null) {
    throw new GraphQLError(`${READ_AFTER_HEADER} 应为 ${WRITE_LSN_HEADER} 返回的 WAL 位置，如 0/3000148 / ${READ_AFTER_HEADER} must be a WAL position as returned in ${WRITE_LSN_HEADER}, e.g. 0/3000148`, {
      extensions: { code: "BAD_USER_INPUT", field: READ_AFTER_HEADER, rule: "lsn", http: { status: 400 } },
    });
  }
  return lsn;
}

/**
 * The request's context. Without replicas: the primary, as always. With replicas its `db` stands for
 * the server readRoutingPlugin picks once the operation is known (the primary until then), so the
 * loaders made here read from that server too.
 */
export function requestContext(database: Database, viewer: Viewer): Context {
  if (!database.replicas) return createContext(database.db, viewer);
  const route: Route = { target: database.db };
  const db = new Proxy(database.db, {
    get(_, prop) {
      const target = route.target;
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return Object.assign(createContext(db, viewer, database.db), { [ROUTE]: route });
}

/** Routes queries to replicas and gives each mutation's answer its WAL position; nothing without replicas. */
export function readRoutingPlugin(database: Database): ApolloServerPlugin<Context> {
  const router = database.replicas;
  return {
    async requestDidStart() {
      if (!router) return;
      return {
        async didResolveOperation(rc) {
          const route = (rc.contextValue as Context & { [ROUTE]?: Route })[ROUTE];
          if (!route || rc.operation?.operation !== "query") return;
          route.target = await router.reader(readAfterLsn(rc.request.http?.headers.get(READ_AFTER_HEADER)));
        },
        async willSendResponse(rc) {
          if (rc.operation?.operation !== "mutation") return;
          try {
            rc.response.http.headers.set(WRITE_LSN_HEADER, await router.writeLsn());
          } catch {
            // the primary went away after the mutation: the answer goes out without a token
          }
        },
      };
    },
  };
}

import { execute, parse, type ExecutionResult, type GraphQLSchema } from "graphql";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import { PUBLIC_VIEWER, type Viewer } from "../../src/auth/viewer.js";
import type { Database } from "../../src/db/client.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { createContext } from "../../src/graphql/context.js";
import { buildHubSchema } from "../../src/graphql/schema.js";

let schema: Promise<GraphQLSchema> | undefined;

/** Runs a document as a role, in-process (the HTTP layer has its own tests). */
export function asRole(database: Database) {
  const cache = new JurisdictionCache(database.db);
  return async (role: Role, org: string | null, query: string, variables?: Record<string, unknown>) => {
    schema ??= buildHubSchema();
    const viewer: Viewer = role === "PUBLIC" ? PUBLIC_VIEWER : await cache.viewerFor({ sub: "test", role, org, purpose: null });
    const result = (await execute({
      schema: await schema,
      document: parse(query),
      variableValues: variables,
      contextValue: createContext(database.db, viewer),
    })) as ExecutionResult<any>;
    return result;
  };
}

/** The data, failing the test on any error. */
export function ok<T = any>(r: ExecutionResult<T>): T {
  if (r.errors?.length) throw new Error("GraphQL errors: " + JSON.stringify(r.errors.map((e) => ({ m: e.message, p: e.path, c: e.extensions?.code }))));
  return r.data as T;
}

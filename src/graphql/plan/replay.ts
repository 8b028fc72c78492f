import DataLoader from "dataloader";
import { MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  execute, GraphQLScalarType, specifiedScalarTypes, type DocumentNode, type ExecutionResult, type GraphQLFieldResolver, type GraphQLSchema,
} from "graphql";
import { expected, type Role7 } from "../../modules/access.js";
import { noteField, selectsSensitiveField, Touched } from "../../modules/audit/plugin.js";
import type { Context } from "../context.js";
import { FIELD_RULE_OPTIONS } from "../permissions.js";
import { ROW_KEY } from "./compile.js";
import { RELATIONS } from "./relations.js";

/**
 * The second half of a planned read whose answer is more than PostgreSQL's JSON: a field the caller
 * may not read (DENIED) or a sensitive field (audited). graphql-js itself executes the document over
 * the statement's JSON, with no resolvers and no database, so that:
 * - a DENIED field gets the field rules' FORBIDDEN error (FIELD_RULE_OPTIONS.fallbackError) at each
 *   concrete path, a non-null one nulling its nearest nullable parent, with graphql-js's own
 *   completion rules (a list item or sibling after a non-null error is not completed, as today);
 * - the audit notes what the audit plugin would note per resolved field (modules/audit/plugin.ts
 *   noteField), the row's key taken from the key columns the statement put under ROW_KEY.
 * The fields the resolvers answer asynchronously (root fields, the lists of relations.ts, each through
 * a DataLoader) are answered asynchronously here too, batched per field as the loaders batch them:
 * errors come in the order graphql-js gives when the database answers the loaders' statements in the
 * order they were sent (on a pool that order is PostgreSQL's, so graphql-js's own order varies).
 */

const replaySchemas = new WeakMap<GraphQLSchema, GraphQLSchema>();

/** The served schema without resolvers, its custom scalars passing the statement's formatted values through. */
function replaySchema(schema: GraphQLSchema): GraphQLSchema {
  let out = replaySchemas.get(schema);
  if (!out) {
    out = mapSchema(schema, {
      [MapperKind.SCALAR_TYPE]: (s) => (specifiedScalarTypes.some((t) => t.name === s.name) ? s : new GraphQLScalarType({ name: s.name, serialize: (v) => v })),
      [MapperKind.OBJECT_FIELD]: (f) => ({ ...f, resolve: undefined }),
    });
    replaySchemas.set(schema, out);
  }
  return out;
}

interface ReplayState {
  role: Role7 | null;
  touched: Touched | undefined;
  batches: Map<string, DataLoader<{ value: unknown }, unknown>>;
}

const resolveFromJson: GraphQLFieldResolver<Record<string, unknown>, ReplayState> = (source, args, state, info) => {
  const type = info.parentType.name;
  const root = info.path.prev === undefined;
  if (state.touched) noteField(state.touched, type, info.fieldName, root, args, source[ROW_KEY]);
  if (state.role && (expected(type, info.fieldName, state.role) ?? "DENIED") === "DENIED") return FIELD_RULE_OPTIONS.fallbackError();
  const value = source[info.path.key as string];
  if (!root && !RELATIONS[`${type}.${info.fieldName}`]) return value;
  const batchKey = `${type}.${info.fieldName}`;
  let batch = state.batches.get(batchKey);
  if (!batch) state.batches.set(batchKey, (batch = new DataLoader(async (boxes: readonly { value: unknown }[]) => boxes.map((b) => b.value), { cache: false })));
  return batch.load({ value });
};

export interface Replayed {
  result: ExecutionResult;
  /** what the audit plugin appends for this request (undefined: the document selects nothing sensitive) */
  touched: Touched | undefined;
}

export async function replay(
  schema: GraphQLSchema,
  ruled: boolean,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  ctx: Context,
  data: Record<string, unknown>,
): Promise<Replayed> {
  const touched = selectsSensitiveField(schema, document) ? new Touched(false) : undefined;
  const state: ReplayState = { role: ruled ? (ctx.viewer.role as Role7) : null, touched, batches: new Map() };
  const result = await execute({
    schema: replaySchema(schema),
    document,
    operationName,
    variableValues: variables,
    rootValue: data,
    contextValue: state,
    fieldResolver: resolveFromJson,
  });
  return { result, touched };
}

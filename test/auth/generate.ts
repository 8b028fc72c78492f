import {
  getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLObjectType, type GraphQLSchema,
} from "graphql";

/**
 * Query generation from the schema for the permission-matrix test: a selection of EVERY field of a
 * type, object fields expanded recursively (a type is not expanded again below itself, and not
 * beyond MAX_DEPTH: there the field is still selected, with { __typename }, so its own outcome is
 * seen). The tree is kept to walk the response with it.
 */

export const MAX_DEPTH = 5;

export interface Selection {
  type: GraphQLObjectType;
  fields: { name: string; child?: Selection }[];
}

/** Every field of `type`; `path` holds the types being expanded above it. */
export function selectAll(schema: GraphQLSchema, type: GraphQLObjectType, path: string[] = [], depth = 0): Selection {
  const fields: Selection["fields"] = [];
  for (const f of Object.values(type.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) throw new Error(`${type.name}.${f.name} has a required argument: teach the generator`);
    const named = getNamedType(f.type);
    if (!isObjectType(named)) {
      fields.push({ name: f.name });
      continue;
    }
    const expand = depth < MAX_DEPTH && !path.includes(named.name) && named.name !== type.name;
    fields.push({ name: f.name, child: expand ? selectAll(schema, named, [...path, type.name], depth + 1) : { type: named, fields: [] } });
  }
  return { type, fields };
}

export function render(sel: Selection): string {
  if (!sel.fields.length) return "{ __typename }";
  return `{ ${sel.fields.map((f) => (f.child ? `${f.name} ${render(f.child)}` : f.name)).join(" ")} }`;
}

/** The GraphQL type of an argument as written in a variable definition. */
function typeString(t: GraphQLInputType): string {
  return String(t);
}

/** One operation calling one root field with the given argument values (as variables), selecting everything below it. */
export function operation(schema: GraphQLSchema, kind: "query" | "mutation", field: GraphQLField<unknown, unknown>, args: Record<string, unknown>) {
  const used = field.args.filter((a) => args[a.name] !== undefined);
  const defs = used.map((a) => `$${a.name}: ${typeString(a.type)}`).join(", ");
  const call = used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
  const named = getNamedType(field.type);
  const sel = isObjectType(named) ? selectAll(schema, named, [], 1) : undefined;
  const text = `${kind}${defs ? `(${defs})` : ""} { ${field.name}${call} ${sel ? render(sel) : ""} }`;
  return { text, selection: sel, variables: Object.fromEntries(used.map((a) => [a.name, args[a.name]])) };
}

/**
 * The least input a type admits: required fields only, syntactically valid, semantically nonsense
 * ("x" for a USCC), so that a caller who passes the permission gate is stopped by validation.
 */
export function minimalValue(t: GraphQLInputType, name: string, overrides: Record<string, unknown> = {}): unknown {
  if (name in overrides) return overrides[name];
  if (isNonNullType(t)) return minimalValue(t.ofType, name, overrides);
  if (isListType(t)) return [minimalValue(t.ofType, name, overrides)];
  if (isEnumType(t)) return t.getValues()[0].value;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) {
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = minimalValue(f.type, f.name, overrides);
    }
    return out;
  }
  if (isScalarType(t)) {
    const byScalar: Record<string, unknown> = {
      String: "x", ID: "1", Int: 1, Float: 1, Boolean: false, Money: "1.00", Decimal: "0.1", DateTime: "2026-01-01T00:00:00+08:00", LocalDate: "2026-01-01",
    };
    if (!(t.name in byScalar)) throw new Error(`no minimal value for scalar ${t.name}: teach the generator`);
    return byScalar[t.name];
  }
  throw new Error(`no minimal value for ${String(t)}`);
}

export function minimalArgs(args: readonly GraphQLArgument[], overrides: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of args) if ((isNonNullType(a.type) && a.defaultValue === undefined) || a.name in overrides) out[a.name] = minimalValue(a.type, a.name, overrides);
  return out;
}

/** The object type and field an error path points at, walking the schema from the root type. */
export function fieldAt(schema: GraphQLSchema, root: GraphQLObjectType, path: readonly (string | number)[]): { type: string; field: string } | null {
  let type: GraphQLObjectType = root;
  const names = path.filter((p): p is string => typeof p === "string");
  for (let i = 0; i < names.length; i++) {
    const f = type.getFields()[names[i]];
    if (!f) return null;
    if (i === names.length - 1) return { type: type.name, field: names[i] };
    const next = getNamedType(f.type);
    if (!isObjectType(next)) return null;
    type = next;
  }
  return null;
}

/** "overall.preventionFund.useByCategory[1].amount" from a response path relative to an ancestor. */
export function relativePath(path: readonly (string | number)[], from: number): string {
  let out = "";
  for (const p of path.slice(from)) out += typeof p === "number" ? `[${p}]` : (out ? "." : "") + p;
  return out;
}

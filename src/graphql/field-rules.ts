import { isIntrospectionType, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { allow, deny } from "graphql-shield";
import type { IMiddlewareFieldMap } from "graphql-middleware";

/**
 * The field rules of permissions.ts (derived from the permission source, src/modules/access.ts), applied the way graphql-shield applies them, but only where
 * they can refuse something and without a Promise per field (issue 6: shield wrapped every field
 * of every row in async middleware, so graphql-js completed every value asynchronously).
 *
 * - `allow` fields are left alone: no wrapper at all.
 * - `deny` fields (and fields no rule covers: deny is the fallback) answer the fallback error.
 * - rules with cache "contextual" (every role rule of the hub: their answer depends on the caller
 *   only) run once per request and rule, synchronously, and their answer is reused for every
 *   field and row they cover, as shield's contextual cache does.
 * - any other rule (another cache mode, logic rules, a rule answering a Promise) runs through
 *   graphql-shield's own Rule.resolve for that field only, with shield's semantics.
 *
 * A rule's answer keeps shield's meaning: true allows, an Error (or a string) is the field's error,
 * anything else (false, a throw) is the fallback error. Resolvers' own errors pass through
 * (shield's allowExternalErrors).
 */

type Rule = {
  cache?: unknown;
  func?: (parent: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo) => unknown;
  resolve?: (parent: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo, options: unknown) => Promise<unknown>;
};

export interface FieldRuleOptions {
  fallbackRule: unknown;
  fallbackError: (err: unknown, parent: unknown, args: unknown, ctx: unknown, info: GraphQLResolveInfo) => Error;
}

type IMiddlewareResolver = (resolve: GraphQLFieldResolver<any, any>, parent: any, args: any, ctx: any, info: GraphQLResolveInfo) => unknown;

const isRuleObject = (x: unknown): x is Rule => !!x && typeof x === "object" && typeof (x as Rule).resolve === "function";

/** the rule for one field: the field's own, the type's "*", the type's rule, or the fallback */
function ruleFor(rules: Record<string, unknown>, typeName: string, field: string, fallback: unknown): unknown {
  const t = rules[typeName];
  if (t === undefined) return fallback;
  if (isRuleObject(t)) return t;
  const map = t as Record<string, unknown>;
  return map[field] ?? map["*"] ?? fallback;
}

/** the per-request answers of contextual rules */
const answers = new WeakMap<object, Map<Rule, unknown>>();

function contextual(rule: Rule, parent: unknown, args: unknown, ctx: object, info: GraphQLResolveInfo): unknown {
  let m = answers.get(ctx);
  if (!m) answers.set(ctx, (m = new Map()));
  if (m.has(rule)) return m.get(rule);
  let res: unknown;
  try {
    res = rule.func!(parent, args, ctx, info);
  } catch {
    res = false;
  }
  m.set(rule, res);
  return res;
}

export function fieldRuleMiddleware(schema: GraphQLSchema, rules: Record<string, unknown>, options: FieldRuleOptions): IMiddlewareFieldMap {
  const refuse: IMiddlewareResolver = (_resolve, parent, args, ctx, info) => options.fallbackError(null, parent, args, ctx, info);
  const decide = (res: unknown, resolve: GraphQLFieldResolver<unknown, unknown>, parent: unknown, args: any, ctx: any, info: GraphQLResolveInfo): unknown => {
    if (res === true) return resolve(parent, args, ctx, info);
    if (res instanceof Error) return res;
    if (typeof res === "string") return new Error(res);
    return options.fallbackError(null, parent, args, ctx, info);
  };
  const middlewareFor = (rule: unknown): IMiddlewareResolver | null => {
    if (rule === allow) return null;
    if (rule === deny || !isRuleObject(rule)) return refuse;
    if (rule.cache === "contextual" && typeof rule.func === "function") {
      return (resolve, parent, args, ctx, info) => {
        const res = contextual(rule, parent, args, ctx, info);
        if (res && typeof (res as PromiseLike<unknown>).then === "function") {
          return Promise.resolve(res).then(
            (v) => decide(v, resolve, parent, args, ctx, info),
            () => options.fallbackError(null, parent, args, ctx, info),
          );
        }
        return decide(res, resolve, parent, args, ctx, info);
      };
    }
    return async (resolve, parent, args, ctx, info) => {
      ctx._shield ??= { cache: {} };
      const res = await rule.resolve!(parent, args, ctx, info, { ...options, debug: false, allowExternalErrors: true });
      return decide(res, resolve, parent, args, ctx, info);
    };
  };

  const out: IMiddlewareFieldMap = {};
  const typeMap = schema.getTypeMap();
  for (const [typeName, type] of Object.entries(typeMap)) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    const fields = type.getFields();
    const own = rules[typeName];
    if (own && !isRuleObject(own)) {
      const unknown = Object.keys(own).filter((f) => f !== "*" && !(f in fields));
      if (unknown.length) throw new Error(`field rules for ${unknown.map((f) => `${typeName}.${f}`).join(", ")}, which the schema does not have`);
    }
    const map: Record<string, IMiddlewareResolver> = {};
    for (const field of Object.keys(fields)) {
      const m = middlewareFor(ruleFor(rules, typeName, field, options.fallbackRule));
      if (m) map[field] = m;
    }
    if (Object.keys(map).length) out[typeName] = map as IMiddlewareFieldMap;
  }
  return out;
}

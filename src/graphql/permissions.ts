import { GraphQLError } from "graphql";
import { allow, deny, rule, shield } from "graphql-shield";
import type { IRules } from "graphql-shield";
import { AUDIENCES, inAudience, type Audience } from "../auth/audiences.js";
import { entries } from "../modules/access.js";
import type { Context } from "./context.js";

/**
 * The field rules of the served schema, DERIVED from the permission source (src/modules/access.ts):
 * a field whose audience gives every role something is `allow`; any other is a role rule that
 * refuses the roles its audience denies (MASKED, HANDLER and SMALL_CELL pass the rule: the value is
 * then masked or withheld by the resolver). One rule per audience, cached per request (contextual).
 * A field the source does not list gets the fallback, deny.
 */
const byAudience = new Map<Audience, unknown>(
  (Object.keys(AUDIENCES) as Audience[]).map((a) => [
    a,
    AUDIENCES[a].every((o) => o !== "DENIED") ? allow : rule(`audience:${a}`, { cache: "contextual" })((_p, _a, ctx: Context) => inAudience(a, ctx.viewer.role)),
  ]),
);

export function fieldRules(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [type, field, audience] of entries()) (out[type] ??= {})[field] = byAudience.get(audience);
  return out;
}

/**
 * deny is the fallback: a field without an entry is private until its module's slice opens it.
 * allowExternalErrors keeps resolvers' own errors (BAD_USER_INPUT, NOT_FOUND …).
 */
export const FIELD_RULE_OPTIONS = {
  fallbackRule: deny,
  fallbackError: () => new GraphQLError("无权访问该字段 / Forbidden: you may not read this field", { extensions: { code: "FORBIDDEN" } }),
};

/** The same rules as graphql-shield middleware on every field (the former design, for the benchmark's comparison). */
export function permissions() {
  return shield(fieldRules() as IRules, { ...FIELD_RULE_OPTIONS, allowExternalErrors: true });
}

import { DatabaseUnavailableError, isDatabaseUnavailable } from "../db/client.js";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import {
  GraphQLError,
  Kind,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import type { Viewer } from "../auth/viewer.js";
import type { RateLimit } from "../config.js";
import { MAX_PAGE } from "../db/paginate.js";

/**
 * Abuse limits (OWASP GraphQL cheat sheet): the document's shape is bounded before anything runs,
 * each caller's request rate is bounded, and a request that runs too long answers instead of hanging.
 * Page size (≤ 500, `paginate`), batched HTTP requests (off) and the body size (1 MB) are bounded
 * elsewhere in src/db/paginate.ts and src/http/server.ts.
 *
 * The numbers below are measured with graphql-armor's own counting on the hub's schema:
 *  - depth (fields nested, connection wrappers `edges { node }` count, fragments do not): the README's
 *    department queries are 3–5; enterprises → policies → claims → payments through a connection is 7;
 *    hazards → service → policy → insuredEnterprises → enterprise → name is 8. 10 leaves room for
 *    that and stops cycles (enterprise → policies → insuredEnterprises → enterprise → …) after two turns.
 *  - cost (armor: object 2, scalar 1, ×1.5 per level, × the page size of a connection): one full
 *    page of 500 enterprises with every scalar field is ≈ 47,000; 500 policies with their insured
 *    enterprises, claims and payments ≈ 67,000; the six-level read above at `first: 100` ≈ 17,000.
 *    75,000 lets one full page of any list with a rich or nested selection through and refuses two
 *    full rich pages, or ten thin ones, in one document. Page sizes passed as variables, and the
 *    default page of 50 when `first` is left out, are counted (armor alone sees only literals).
 *  - aliases 30: a dashboard putting a dozen `coverage(sector: …)` side by side fits; mass
 *    aliasing of one expensive field is refused here and by the cost above.
 *  - directives 20: a hand-written query uses a few @include/@skip; more is directive overloading.
 *  - tokens 2,000: the largest hand-written query seen is a few hundred tokens; bulk data goes in
 *    variables, which the parser does not tokenise. This bound also keeps graphql-js's quadratic
 *    overlapping-fields validation cheap.
 */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxCost: 75_000,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 2_000,
} as const;

/** paginate's page size when `first` is left out */
const DEFAULT_PAGE = 50;

/** A document refused by a shape limit; formatError answers it as QUERY_TOO_COMPLEX (CONTRACT.md). */
export class QueryTooComplexError extends GraphQLError {
  constructor(limit: string, detail: string, extra: Record<string, unknown> = {}) {
    super(`查询过于复杂（${ZH_LIMIT[limit] ?? limit}超过上限）/ query too complex: ${detail}`, {
      extensions: { code: "QUERY_TOO_COMPLEX", limit, ...extra, http: { status: 400 } },
    });
  }
}

const ZH_LIMIT: Record<string, string> = { depth: "嵌套层级", cost: "查询成本", aliases: "别名数", directives: "指令数", tokens: "词法单元数" };

/** graphql-armor's rejection (its own message, "Syntax Error: Query depth limit of 10 exceeded, found 11.") → our error in the validation context. */
function reject(limit: string) {
  return (ctx: ValidationContext | null, error: GraphQLError) => {
    const m = /limit of ([\d.]+) exceeded, found ([\d.]+)/i.exec(error.message);
    const detail = error.message.replace(/^Syntax Error: /, "");
    ctx?.reportError(new QueryTooComplexError(limit, detail, m ? { max: Number(m[1]), found: Number(m[2]) } : {}));
  };
}

/**
 * graphql-armor's depth, alias and directive rules run as validation rules. Tokens are bounded by
 * graphql-js's own `parseOptions.maxTokens` instead of armor's Apollo plugin, which parses every
 * document a second time and, on rejection, throws from a plugin hook (Apollo then answers 500).
 * Cost runs once the operation and its variables are known (`costPlugin`).
 */
export function armorValidationRules(): ValidationRule[] {
  return new ApolloArmor({
    maxDepth: { n: QUERY_LIMITS.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject: [reject("depth")] },
    maxAliases: { n: QUERY_LIMITS.maxAliases, propagateOnRejection: false, onReject: [reject("aliases")] },
    maxDirectives: { n: QUERY_LIMITS.maxDirectives, propagateOnRejection: false, onReject: [reject("directives")] },
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    // suggestions are removed in formatError, which also reaches variable-coercion messages
    blockFieldSuggestion: { enabled: false },
  }).protect().validationRules;
}

export const PARSE_OPTIONS = { maxTokens: QUERY_LIMITS.maxTokens };

function costRule(): ValidationRule {
  const [rule] = new ApolloArmor({
    costLimit: { maxCost: QUERY_LIMITS.maxCost, flattenFragments: true, propagateOnRejection: false, onReject: [reject("cost")] },
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect().validationRules;
  return rule;
}

/**
 * The operation with every page size made literal: `first: $n` becomes the variable's value and a
 * connection field without `first` gets paginate's default, so armor's cost (which multiplies by
 * literal `first`/`last` only) counts what will really be fetched.
 */
export function withConcretePageSizes(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): DocumentNode {
  const only: DocumentNode = { ...document, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION) };
  const typeInfo = new TypeInfo(schema);
  const pageSize = (value: unknown) => (Number.isInteger(value) && (value as number) >= 0 ? Math.min(value as number, MAX_PAGE) : MAX_PAGE);
  return visit(
    only,
    visitWithTypeInfo(typeInfo, {
      Field(node: FieldNode) {
        const def = typeInfo.getFieldDef();
        const pageArg = def?.args.find((a) => a.name === "first" || a.name === "last");
        if (!pageArg) return undefined;
        const given = node.arguments?.find((a) => a.name.value === "first" || a.name.value === "last");
        if (given?.value.kind === Kind.INT) return undefined;
        let n: number;
        if (!given) n = pageArg.defaultValue === undefined ? DEFAULT_PAGE : pageSize(pageArg.defaultValue);
        else if (given.value.kind === Kind.VARIABLE) {
          const v = variables?.[given.value.name.value];
          n = v === undefined || v === null ? DEFAULT_PAGE : pageSize(v);
        } else n = DEFAULT_PAGE;
        const literal = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: pageArg.name }, value: { kind: Kind.INT, value: String(n) } } as const;
        // armor reads the first first/last argument it meets: put the literal in front
        return { ...node, arguments: [literal, ...(node.arguments ?? []).filter((a) => a !== given)] };
      },
    }),
  );
}

/** Armor's cost limit, counted on the operation about to run with its variables. */
export function costPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  const rule = costRule();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const concrete = withConcretePageSizes(schema, document, operation, request.variables);
          const [error] = validate(schema, concrete, [rule]);
          if (error) throw error;
        },
      };
    },
  };
}

// ───────────────────────────── errors ─────────────────────────────

const GENERIC_INTERNAL = "服务器内部错误 / internal server error";
const TOO_MANY_TOKENS = /Document contains more th(?:an|at) (\d+) tokens/; // graphql 16 writes "more that"
const SUGGESTION = / ?Did you mean .*\?$/s;

function tooComplex(error: unknown): QueryTooComplexError | undefined {
  if (error instanceof QueryTooComplexError) return error;
  if (error instanceof GraphQLError && error.originalError instanceof QueryTooComplexError) return error.originalError;
  return undefined;
}

/**
 * Apollo's formatError: shape-limit rejections carry QUERY_TOO_COMPLEX (Apollo files validation
 * errors under GRAPHQL_VALIDATION_FAILED, parse errors under GRAPHQL_PARSE_FAILED); field
 * suggestions go when introspection is off ("Did you mean …" names fields the caller did not
 * ask about); in production an unexpected error is a generic INTERNAL_SERVER_ERROR that never
 * carries the SQL, the values or the stack (the log has its type and SQLSTATE).
 */
export function makeFormatError(opts: { production: boolean; hideSuggestions: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const complex = tooComplex(error);
    if (complex) {
      const { http: _http, ...extensions } = complex.extensions as Record<string, unknown>;
      return { message: complex.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions };
    }
    const tokens = TOO_MANY_TOKENS.exec(formatted.message);
    if (tokens) {
      return {
        message: `查询过于复杂（词法单元数超过上限）/ query too complex: more than ${tokens[1]} tokens`,
        extensions: { code: "QUERY_TOO_COMPLEX", limit: "tokens", max: Number(tokens[1]) },
      };
    }
    const code = formatted.extensions?.code;
    // a read that lost the database surfaces wrapped by drizzle (message quoting the SQL): say what it is
    if ((code === undefined || code === "INTERNAL_SERVER_ERROR") && isDatabaseUnavailable(error)) {
      const unavailable = new DatabaseUnavailableError(error);
      const { http: _http, ...extensions } = unavailable.extensions;
      return { message: unavailable.message, ...(formatted.path ? { path: formatted.path } : {}), extensions };
    }
    if (opts.production && (code === undefined || code === "INTERNAL_SERVER_ERROR")) {
      return { message: GENERIC_INTERNAL, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
    if (opts.hideSuggestions && SUGGESTION.test(formatted.message)) return { ...formatted, message: formatted.message.replace(SUGGESTION, "") };
    return formatted;
  };
}

// ───────────────────────────── rate limit ─────────────────────────────

/** A caller: the token's sub and org; PUBLIC callers by their remote address. */
export function rateLimitKey(viewer: Viewer, remoteAddress: string | undefined): string {
  if (viewer.role === "PUBLIC") return `addr ${remoteAddress ?? "unknown"}`;
  return `token ${JSON.stringify([viewer.sub, viewer.org])}`;
}

export type Admission = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Token buckets in this process's memory: `limit` tokens, refilled continuously over `windowMs`.
 * Several hub processes each apply the limit on their own, so a caller spread over N processes by
 * a load balancer gets up to N × the limit; a shared limit belongs in the gateway in front.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private lastSweep = 0;

  constructor(private readonly rate: RateLimit, private readonly now: () => number = Date.now) {
    this.perMs = rate.limit / rate.windowMs;
  }

  take(key: string): Admission {
    const now = this.now();
    this.sweep(now);
    const b = this.buckets.get(key) ?? { tokens: this.rate.limit, at: now };
    b.tokens = Math.min(this.rate.limit, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  /** forget full buckets once per window, so memory follows the active callers only */
  private sweep(now: number) {
    if (now - this.lastSweep < this.rate.windowMs) return;
    this.lastSweep = now;
    for (const [key, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.rate.limit) this.buckets.delete(key);
  }
}

// ───────────────────────────── execution timeout ─────────────────────────────

export class ExecutionTimeout extends Error {
  constructor(readonly ms: number) {
    super(`execution timed out after ${ms} ms`);
  }
}

/**
 * `work`, or an ExecutionTimeout after `ms`. The work is not cancelled (graphql-js cannot abort a
 * running execution); its eventual result or failure is dropped, and the caller answers only once.
 */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ExecutionTimeout(ms)), ms);
  });
  work.catch(() => {}); // a late failure after the deadline answered is not an unhandled rejection
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Security headers for JSON answers (the GraphiQL page sets its own, stricter for HTML). */
export const API_SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

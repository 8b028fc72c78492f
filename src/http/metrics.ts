import pg from "pg";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Database } from "../db/client.js";

/** Operation names come from clients: bounded in length and in number so that no caller can grow the series without end. */
const MAX_OPERATION_LABELS = 200;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** the label of an operation without a name */
export const ANONYMOUS = "(anonymous)";

export interface HubMetrics {
  contentType: string;
  render(): Promise<string>;
  /** one GraphQL request: its operation name (ANONYMOUS for an unnamed one, null when none was resolved), HTTP status and duration */
  observeGraphql(operation: string | null, status: number, seconds: number): void;
  /** the error codes a response carried (GraphQL `extensions.code` or the HTTP-level code) */
  countErrors(codes: readonly string[]): void;
}

/**
 * Prometheus metrics of one hub server, in a registry of its own (tests run several servers in one
 * process): requests and latency per operation, errors per code, the database pool, and the
 * default Node.js process metrics.
 */
export function createMetrics(database: Database): HubMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: "hub_graphql_requests_total",
    help: "GraphQL requests by operation name and HTTP status / 按操作名和状态码统计的请求数",
    labelNames: ["operation", "status"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "hub_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation name / 按操作名统计的请求耗时",
    labelNames: ["operation"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    registers: [registry],
  });
  const errors = new Counter({
    name: "hub_errors_total",
    help: "errors answered, by extensions.code / 按错误码统计的错误数",
    labelNames: ["code"] as const,
    registers: [registry],
  });
  // drizzle keeps the driver client as $client: a pg.Pool for PostgreSQL, the PGlite instance otherwise
  const client = (database.db as unknown as { $client?: unknown }).$client;
  const pool = client instanceof pg.Pool ? client : undefined;
  new Gauge({
    name: "hub_db_pool_connections",
    help: "database connections: total, idle, and queries waiting for one (PGlite: a single connection, total 1) / 数据库连接池",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      if (pool) {
        this.set({ state: "total" }, pool.totalCount);
        this.set({ state: "idle" }, pool.idleCount);
        this.set({ state: "waiting" }, pool.waitingCount);
      } else this.set({ state: "total" }, 1);
    },
  });
  new Gauge({
    name: "hub_db_info",
    help: "the database in use / 数据库类型",
    labelNames: ["kind"] as const,
    registers: [registry],
  }).set({ kind: database.kind }, 1);
  const served = database.stats.served;
  if (served) {
    // the pools keep running counts (src/db/pool.ts countStatements); each scrape adds what is new
    const reported = { primary: 0, replicas: served.replicas.map(() => 0) };
    new Counter({
      name: "hub_db_statements_total",
      help: "statements each database server ran for this process, BEGIN/COMMIT included (with read replicas only); a replica's share moving to the primary means it is down or behind / 各数据库服务器执行的语句数",
      labelNames: ["server"] as const,
      registers: [registry],
      collect() {
        this.inc({ server: "primary" }, served.primary - reported.primary);
        reported.primary = served.primary;
        served.replicas.forEach((n, i) => {
          this.inc({ server: `replica${i + 1}` }, n - reported.replicas[i]);
          reported.replicas[i] = n;
        });
      },
    });
  }

  const seen = new Set<string>();
  const label = (operation: string | null) => {
    if (operation === null) return "(none)";
    if (operation === ANONYMOUS) return ANONYMOUS;
    if (!NAME.test(operation)) return "(invalid)";
    if (seen.has(operation)) return operation;
    if (seen.size >= MAX_OPERATION_LABELS) return "(other)";
    seen.add(operation);
    return operation;
  };

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    observeGraphql(operation, status, seconds) {
      const op = label(operation);
      requests.inc({ operation: op, status: String(status) });
      duration.observe({ operation: op }, seconds);
    },
    countErrors(codes) {
      for (const code of codes) errors.inc({ code: /^[A-Z_]{1,64}$/.test(code) ? code : "(other)" });
    },
  };
}

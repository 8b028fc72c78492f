/**
 * The servers under test, each started alone: the hub (with or without its field rules),
 * PostGraphile v5 on the same database, and the floor (node:http + one SQL statement).
 *
 * `npm run bench` runs each in its own child process (server-main.ts) so that its CPU, memory and
 * event loop are its own; the smoke test starts them in-process.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { PGL_SCOPE_SQL } from "./pgl-scope.js";
import { ROLES, shapeById, type RoleKey, type ShapeContext } from "./shapes.js";

export type ServerKind = "floor" | "postgraphile" | "hub" | "hub-no-rules" | "hub-shield" | "hub-before";

export interface ServerOptions {
  kind: ServerKind;
  databaseUrl: string;
  jwtSecret: string;
  poolSize: number;
  /** the port to listen on (the suite: 4301–4320, clear of the hub's default 4000); 0 or unset = any free port */
  port?: number;
}

export interface Counters {
  /** drizzle statements (the hub's database.stats); null for servers without drizzle */
  statements: number | null;
  /** pg Client.query calls, BEGIN/COMMIT included: database round trips */
  roundTrips: number;
}

export interface RunningServer {
  url: string;
  counters(): Counters;
  close(): Promise<void>;
}

// every query of every pg client in this process goes through Client.prototype.query
const roundTrips = { n: 0 };
let counting = false;
function countRoundTrips(): void {
  if (counting) return;
  counting = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    roundTrips.n++;
    return original.apply(this, args);
  };
}

async function listen(server: ReturnType<typeof createServer>, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startBenchServer(opts: ServerOptions): Promise<RunningServer> {
  countRoundTrips();
  switch (opts.kind) {
    case "floor":
      return startFloor(opts);
    case "postgraphile":
      return startPostGraphile(opts);
    case "hub":
    case "hub-no-rules":
    case "hub-shield":
      return startHub(opts, opts.kind);
    case "hub-before":
      throw new Error("hub-before is the hub of another build: the suite starts that build's server-main with kind hub");
  }
}

// ---------------------------------------------------------------------------------------------
// the hub

async function startHub(opts: ServerOptions, kind: "hub" | "hub-no-rules" | "hub-shield"): Promise<RunningServer> {
  const { loadConfig } = await import("../../src/config.js");
  const { openDatabase } = await import("../../src/db/client.js");
  const schemas = await import("../../src/graphql/schema.js");
  const { startHttpServer } = await import("../../src/http/server.js");
  // the production configuration, built from an explicit environment (process.env is not read);
  // the bench is one caller sending thousands of requests a minute, so the per-caller rate limit is
  // off, and an ingest batch may run longer than the default execution timeout
  const config = loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: opts.databaseUrl,
    HUB_JWT_SECRET: opts.jwtSecret,
    PORT: String(opts.port ?? 0),
    HUB_RATE_LIMIT: "off",
    HUB_EXECUTION_TIMEOUT_MS: "600000",
  });
  const database = await openDatabase({ url: opts.databaseUrl, poolSize: opts.poolSize });
  // hub: what src/main.ts serves (buildHubSchema). hub-no-rules: the same schema and read planner
  // without any field rule (buildUnruledSchemaForBench), for the cost of the permission layer: bench only, never
  // reachable from the hub's own start-up. hub-shield: the former design, graphql-shield on every
  // field (buildShieldSchema), for the before/after.
  const schema =
    kind === "hub" ? await schemas.buildHubSchema() : kind === "hub-no-rules" ? await schemas.buildUnruledSchemaForBench() : await schemas.buildShieldSchema();
  const server = await startHttpServer({ config, database, schema, port: opts.port ?? 0 });
  return {
    url: `http://127.0.0.1:${server.port}`,
    counters: () => ({ statements: database.stats.statements, roundTrips: roundTrips.n }),
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostGraphile v5

/** PostGraphile 5.1 asks for Node ≥ 22; on Node 20 its only gap met here is Promise.withResolvers. */
function polyfillWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: () => unknown };
  if (P.withResolvers) return;
  P.withResolvers = function <T>() {
    let resolve!: (v: T) => void, reject!: (e: unknown) => void;
    const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
    return { promise, resolve, reject };
  };
}

async function startPostGraphile(opts: ServerOptions): Promise<RunningServer> {
  polyfillWithResolvers();
  const setup = new pg.Client({ connectionString: opts.databaseUrl });
  await setup.connect();
  try {
    await setup.query(PGL_SCOPE_SQL);
  } finally {
    await setup.end();
  }
  const { postgraphile } = await import("postgraphile");
  const { PostGraphileAmberPreset } = await import("postgraphile/presets/amber");
  const { makePgService } = await import("postgraphile/adaptors/pg");
  const { grafserv } = await import("postgraphile/grafserv/node");
  const preset: GraphileConfig.Preset = {
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ connectionString: opts.databaseUrl, schemas: ["public", "bench_api"], poolConfig: { max: opts.poolSize } })],
    grafserv: { graphiql: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  await serv.addTo(server);
  await pgl.getSchema();
  const url = await listen(server, opts.port);
  return {
    url,
    counters: () => ({ statements: null, roundTrips: roundTrips.n }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pgl.release();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the floor

/**
 * node:http and pg, nothing else: GET /shape/<id>/<role>?today=…&uscc=… runs that shape's statement
 * for that role (shapes.ts; prepared, named per shape, role and context; the body comes back from
 * PostgreSQL as text and goes out untouched); GET /report runs the hub's own report SQL
 * (src/modules/reporting/figures.ts) in one REPEATABLE READ transaction, without GraphQL.
 */
async function startFloor(opts: ServerOptions): Promise<RunningServer> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize });
  pool.on("error", () => {});
  const { openDatabase } = await import("../../src/db/client.js");
  const { computeFigures } = await import("../../src/modules/reporting/figures.js");
  const { sql } = await import("drizzle-orm");
  const database = await openDatabase({ url: opts.databaseUrl, poolSize: opts.poolSize });

  async function report(search: URLSearchParams): Promise<string> {
    const agencyId = search.get("agency") ?? "";
    const year = Number(search.get("year"));
    const quarter = Number(search.get("quarter"));
    const { rows } = await pool.query<{ region_code: string; kind: string; sectors: string[] }>(
      `select a.region_code, a.kind, coalesce(array_agg(s.sector order by s.sector) filter (where s.sector is not null), '{}') as sectors
       from agencies a left join agency_sectors s on s.agency_id = a.id where a.id = $1 group by a.id`,
      [agencyId],
    );
    if (!rows.length) return JSON.stringify({ data: null });
    const agency = rows[0];
    const figures = await database.db.transaction(
      async (tx) => {
        const result = await tx.execute(sql`select code, name from regions where parent_code = ${agency.region_code} order by code`);
        const children = (result as unknown as { rows: { code: string; name: string }[] }).rows;
        const all = agency.kind === "COMMITTEE_OFFICE" || agency.kind === "FINANCIAL_REGULATOR";
        return computeFigures(tx, { regionCode: agency.region_code, sectors: all ? "ALL" : (agency.sectors as any), children }, year, quarter);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    return JSON.stringify({ overall: figures.overall, bySector: figures.bySector, byRegion: figures.byRegion });
  }

  // request URL → its prepared statement, built once
  const statements = new Map<string, { name: string; text: string; values: unknown[] }>();
  const statementFor = (path: string, url: URL) => {
    let st = statements.get(path);
    if (!st) {
      const [, , id, role] = url.pathname.split("/");
      const ctx: ShapeContext = { today: url.searchParams.get("today") ?? "", uscc: url.searchParams.get("uscc") ?? "" };
      const f = shapeById(id).floor(ROLES[role as RoleKey], ctx);
      st = { name: `floor_${statements.size}`, ...f };
      statements.set(path, st);
    }
    return st;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? "/";
    let body: string;
    if (path.startsWith("/shape/")) {
      // a named statement: parsed and planned once per connection, as PostGraphile and the hub do
      body = (await pool.query<{ body: string }>(statementFor(path, new URL(path, "http://floor")))).rows[0].body;
    } else if (path.startsWith("/report")) {
      const url = new URL(path, "http://floor");
      body = await report(url.searchParams);
    } else {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: e.message }));
    });
  });
  const url = await listen(server, opts.port);
  return {
    url,
    // the nested read goes straight through pg (round trips); drizzle only runs the report SQL
    counters: () => ({ statements: null, roundTrips: roundTrips.n }),
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
      await database.close();
    },
  };
}

/**
 * Shared by the fault and concurrency tests (test/faults, test/concurrency): a hub over HTTP on a
 * given PostgreSQL URL, one filePolicy push with its timing, and the integrity checks of what the
 * pushes left in the database.
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { signToken } from "../../src/auth/token.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database, type Db } from "../../src/db/client.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { enterprises } from "../../schema/index.js";
import { F, loadFixture, uscc } from "../support/fixture.js";

export const SKIP_REASON = "跳过：未设置 TEST_DATABASE_URL / skipped: TEST_DATABASE_URL is unset (needs a real PostgreSQL; CI sets it)";
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!TEST_DATABASE_URL) console.warn(SKIP_REASON);

/** the hub's defaults, without the per-token rate limit: these tests push hundreds of writes a second under one token */
export const config = loadConfig({ HUB_RATE_LIMIT: "off" });
export const insurerToken = () => signToken(config.jwtSecret, { sub: "fault-test", role: "INSURER", org: F.insurerA }, "1h");

/** Enterprises for the pushes to name, spread so no single enterprise piles up policies. */
export const ENTERPRISES = Array.from({ length: 50 }, (_, i) => uscc("500112", 5000 + i));

/** The fixture registry plus ENTERPRISES. */
export async function loadRegistry(db: Db): Promise<void> {
  await loadFixture(db);
  await db.insert(enterprises).values(
    ENTERPRISES.map((u, i) => ({ uscc: u, name: `故障测试企业${i}`, regionCode: "500112", sector: "HAZARDOUS_CHEMICALS", industryCode: "C2614", employeeCount: 50 })),
  );
}

/** A new, empty database on the server of `base` (dropped by the returned function). */
export async function scratchDatabase(base: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `anze_fault_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: base });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface Hub {
  database: Database;
  server: HttpServer;
  close(): Promise<void>;
}

/** One hub: its own pg pool (openDatabase) and its own HTTP server on a free port. */
export async function startHub(url: string, poolSize: number): Promise<Hub> {
  const database = await openDatabase({ url, poolSize });
  const server = await startHttpServer({ config, database, schema: await buildHubSchema(), port: 0 });
  return {
    database,
    server,
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

export const FILE_POLICY = `mutation($input: PolicyInput!, $key: String!) {
  filePolicy(input: $input, idempotencyKey: $key) { idempotencyKey accepted replayed errorCode policy { id policyNo } }
}`;

export interface PushOutcome {
  key: string;
  policyNo: string;
  /** ms since the epoch */
  t0: number;
  t1: number;
  /** HTTP status, 0 for a network failure or a client-side abort */
  status: number;
  accepted: boolean;
  replayed: boolean;
  policyId: number | null;
  /** extensions.code of the first GraphQL error, or NETWORK / HUNG */
  code: string | null;
  /** extensions.reason of the first GraphQL error (SERVICE_UNAVAILABLE: POOL_EXHAUSTED or DATABASE_UNREACHABLE) */
  reason: string | null;
  message: string | null;
}

/** One filePolicy over HTTP; never throws: a hang longer than `abortMs` is reported as code HUNG. */
export async function pushPolicy(baseUrl: string, token: string, key: string, input: { policyNo: string }, abortMs = 30_000): Promise<PushOutcome> {
  const t0 = Date.now();
  const base = { key, policyNo: input.policyNo, t0, accepted: false, replayed: false, policyId: null, reason: null };
  try {
    const res = await fetch(`${baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: FILE_POLICY, variables: { input, key } }),
      signal: AbortSignal.timeout(abortMs),
    });
    const body = (await res.json()) as {
      data?: { filePolicy: { accepted: boolean; replayed: boolean; errorCode: string | null; policy: { id: string } | null } | null } | null;
      errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
    };
    const r = body.data?.filePolicy;
    const err = body.errors?.[0];
    return {
      ...base,
      t1: Date.now(),
      status: res.status,
      accepted: !!r?.accepted,
      replayed: !!r?.replayed,
      policyId: r?.policy ? Number(r.policy.id) : null,
      code: err?.extensions?.code ?? r?.errorCode ?? null,
      reason: err?.extensions?.reason ?? null,
      message: err?.message ?? null,
    };
  } catch (e) {
    const hung = (e as Error).name === "TimeoutError" || (e as Error).name === "AbortError";
    return { ...base, t1: Date.now(), status: 0, code: hung ? "HUNG" : "NETWORK", message: (e as Error).message };
  }
}

const rowsOf = async <T>(db: Db, q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

export interface Integrity {
  policies: number;
  distinctPolicyNos: number;
  filingKeys: number;
  /** policies lacking an enterprise link, a co-insurer share, version 1 or their two service-plan rows */
  incomplete: string[];
  /** child rows whose policy is missing */
  orphans: number;
  /** filePolicy idempotency keys whose stored result names no policy */
  keysWithoutPolicy: string[];
}

/**
 * What the pushes with policy numbers starting with `prefix` left behind. Every filing of these tests
 * is goodPolicy(): one insured enterprise, the lead insurer's 100 % share, two service-plan kinds.
 */
export async function integrity(db: Db, prefix: string): Promise<Integrity> {
  const like = `${prefix}%`;
  const [counts] = await rowsOf<{ n: number; d: number }>(db, sql`select count(*)::int n, count(distinct policy_no)::int d from policies where policy_no like ${like}`);
  const incomplete = await rowsOf<{ policy_no: string }>(
    db,
    sql`select p.policy_no from policies p where p.policy_no like ${like} and (
      (select count(*) from policy_enterprises e where e.policy_id = p.id) <> 1
      or (select count(*) from policy_coinsurers c where c.policy_id = p.id and c.is_lead and c.share = 1) <> 1
      or (select count(*) from policy_versions v where v.policy_id = p.id and v.version = 1) <> 1
      or (select count(*) from policy_service_plans s where s.policy_id = p.id) <> 2)`,
  );
  const [orphans] = await rowsOf<{ n: number }>(
    db,
    sql`select (
      (select count(*) from policy_enterprises x where not exists (select 1 from policies p where p.id = x.policy_id))
      + (select count(*) from policy_coinsurers x where not exists (select 1 from policies p where p.id = x.policy_id))
      + (select count(*) from policy_versions x where not exists (select 1 from policies p where p.id = x.policy_id))
      + (select count(*) from policy_service_plans x where not exists (select 1 from policies p where p.id = x.policy_id))
    )::int n`,
  );
  const [keys] = await rowsOf<{ n: number }>(db, sql`select count(*)::int n from idempotency_keys where operation = 'filePolicy' and org = ${F.insurerA}`);
  const keysWithoutPolicy = await rowsOf<{ key: string }>(
    db,
    sql`select k.key from idempotency_keys k left join policies p on p.id = (k.result->>'policyId')::bigint
        where k.operation = 'filePolicy' and k.org = ${F.insurerA} and p.id is null`,
  );
  return {
    policies: counts.n,
    distinctPolicyNos: counts.d,
    filingKeys: keys.n,
    incomplete: incomplete.map((r) => r.policy_no),
    orphans: orphans.n,
    keysWithoutPolicy: keysWithoutPolicy.map((r) => r.key),
  };
}

/** Runs `tasks` with at most `limit` in flight; results in task order. */
export async function limited<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

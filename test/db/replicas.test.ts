/**
 * Issue 6, item 3 (scale-out): read replicas on PostgreSQL's own streaming replication. A private
 * primary and a hot standby of it (pg_basebackup -R) are started by this test, both logging every
 * statement, and one hub runs with DATABASE_URL = primary and DATABASE_REPLICA_URLS = standby.
 *
 * Which server ran what is proved twice, independently: by the hub's per-server statement counts
 * (stats.served, what each pool's connections executed) and by the servers' own statement logs.
 *
 * Proves:
 * - a query is served by the standby and sends the primary nothing (a report's REPEATABLE READ,
 *   read-only snapshot included); a query that reads contact details still appends its audit entry,
 *   on the primary (a standby refuses writes);
 * - a mutation, its answer included, runs on the primary only and answers `x-hub-write-lsn`;
 * - with the standby's replay paused, a read without the token is served by the standby and misses
 *   the write, while the same read with `x-hub-read-after-lsn` is served by the primary and sees it;
 *   once replay resumes the token read goes back to the standby;
 * - a stopped standby: reads are answered by the primary, without errors; started again, it serves again.
 */
import { sql } from "drizzle-orm";
import { createServer } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../src/auth/token.js";
import { loadConfig, parseReplicaUrls } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { formatLsn, parseLsn, RETRY_MS } from "../../src/db/replicas.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { READ_AFTER_HEADER, WRITE_LSN_HEADER } from "../../src/http/read-routing.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { F, goodPolicy, loadFixture } from "../support/fixture.js";
import { startCluster, startStandby, type PgCluster } from "../support/pg-cluster.js";

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const SKIP_REASON = "跳过：未设置 TEST_DATABASE_URL / skipped: TEST_DATABASE_URL is unset (starts its own PostgreSQL primary and standby)";

describe("replica configuration and WAL positions", () => {
  it("accepts postgres:// replicas only beside DATABASE_URL, and never quotes a URL in its refusal", () => {
    expect(parseReplicaUrls(" postgres://a@h1/db , postgresql://h2:5433/db ,", "postgres://p/db")).toEqual(["postgres://a@h1/db", "postgresql://h2:5433/db"]);
    expect(parseReplicaUrls(undefined, undefined)).toEqual([]);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: "postgres://h/db" })).toThrow(/needs DATABASE_URL/);
    expect(() => parseReplicaUrls("postgres://h/db,mysql://u:secret@h/db", "postgres://p/db")).toThrow(/item 2 is not a postgres:\/\/ URL/);
    expect(() => parseReplicaUrls("h2:5432", "postgres://p/db")).toThrow(/item 1/);
    try {
      parseReplicaUrls("http://u:hunter2@h/db", "postgres://p/db");
    } catch (e) {
      expect((e as Error).message).not.toContain("hunter2");
    }
  });

  it("orders WAL positions as PostgreSQL does, across the slash", () => {
    expect(parseLsn("0/3000148")).toBe(0x3000148n);
    expect(parseLsn("1/0")! > parseLsn("0/FFFFFFFF")!).toBe(true);
    expect(formatLsn(parseLsn("16/B374D848")!)).toBe("16/B374D848");
    for (const bad of ["", "16", "16/", "/1", "G/1", "1/2/3", "123456789/0", "1/0; select 1"]) expect(parseLsn(bad)).toBeNull();
  });
});

let primary: PgCluster | undefined;
let standby: PgCluster | undefined;
let database: Database | undefined;
let server: HttpServer | undefined;
let insurer: string, department: string;

const config = loadConfig({ HUB_RATE_LIMIT: "off" });

/** the statement count of each server, per the hub's pools */
const served = () => ({ primary: database!.stats.served!.primary, standby: database!.stats.served!.replicas[0] });

/** how many statement log entries of `cluster` mention `marker` (a parameter value or SQL text) */
const mentions = (cluster: PgCluster, marker: string) => cluster.log().split(marker).length - 1;

async function gql(token: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${server!.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: res.status, headers: res.headers, ...body };
}

async function onStandby<T>(q: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: standby!.url });
  await c.connect();
  try {
    return (await c.query(q)).rows as T[];
  } finally {
    await c.end();
  }
}

const FILE = `mutation File($input: PolicyInput!, $key: String!) {
  filePolicy(input: $input, idempotencyKey: $key) { accepted policy { policyNo insuredEnterprises { enterprise { uscc name } } versions { version } } }
}`;
const POLICY = `query ReadBack($no: String!, $insurer: String!) { policy(policyNo: $no, insurerId: $insurer) { policyNo insuredHeadcount } }`;

beforeAll(async () => {
  if (!TEST_DATABASE_URL) return;
  // every statement in each server's log: the servers' own word on what they ran
  const settings = { log_statement: "all", fsync: "off", synchronous_commit: "on" };
  primary = await startCluster({ settings });
  standby = await startStandby(primary, { settings });
  database = await openDatabase({ url: primary.url, replicaUrls: [standby.url], poolSize: 4 });
  await database.migrate();
  await loadFixture(database.db);
  // the standby has replayed the schema and the fixture before the hub serves anything
  const [{ lsn }] = ((await database.db.execute(sql`select pg_current_wal_lsn()::text as lsn`)) as unknown as { rows: { lsn: string }[] }).rows;
  for (const until = Date.now() + 20_000; ; ) {
    const [r] = await onStandby<{ done: boolean }>(`select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as done`);
    if (r.done) break;
    if (Date.now() > until) throw new Error("the standby did not catch up");
    await new Promise((r) => setTimeout(r, 50));
  }
  // no periodic sweep of the audit sealer: the primary's statement counts below are the requests' own
  // (an audited request's entry is still sealed, shortly after it, on the primary)
  server = await startHttpServer({ config, database, schema: await buildHubSchema(), port: 0, auditSealer: { sweepMs: 0 } });
  insurer = await signToken(config.jwtSecret, { sub: "replica-test", role: "INSURER", org: F.insurerA }, "1h");
  department = await signToken(config.jwtSecret, { sub: "replica-test", role: "SECTOR_DEPARTMENT", org: "500000-EMERGENCY" }, "1h");
}, 90_000);

afterAll(async () => {
  await server?.close().catch(() => undefined);
  await database?.close().catch(() => undefined);
  await standby?.destroy();
  await primary?.destroy();
});

describe.skipIf(!TEST_DATABASE_URL)(`reads on a hot standby — ${TEST_DATABASE_URL ? "private primary + standby" : SKIP_REASON}`, () => {
  it("serves a query from the standby and sends the primary nothing", async () => {
    const marker = F.chemicals;
    // warm up: the department's jurisdiction is looked up once on the primary and cached
    await gql(department, `{ viewer { org } }`);
    const before = served();
    const [p0, s0] = [mentions(primary!, marker), mentions(standby!, marker)];
    const r = await gql(department, `query One($uscc: String!) { enterprise(uscc: $uscc) { uscc name sector } }`, { uscc: marker });
    expect(r.errors).toBeUndefined();
    expect(r.data.enterprise).toEqual({ uscc: marker, name: `企业${marker.slice(-4)}`, sector: "HAZARDOUS_CHEMICALS" });
    const after = served();
    expect(after.standby).toBeGreaterThan(before.standby);
    expect(after.primary).toBe(before.primary);
    expect(mentions(standby!, marker)).toBeGreaterThan(s0);
    expect(mentions(primary!, marker)).toBe(p0);
    expect(await onStandby<{ r: boolean }>("select pg_is_in_recovery() as r")).toEqual([{ r: true }]);
    const metrics = await (await fetch(`${server!.url}/metrics`)).text();
    expect(metrics).toContain(`hub_db_statements_total{server="replica1"} ${after.standby}`);
    expect(metrics).toContain(`hub_db_statements_total{server="primary"} ${after.primary}`);
  });

  it("runs a report's read-only REPEATABLE READ snapshot on the standby", async () => {
    const before = served();
    const r = await gql(department, `{ quarterlyReport(agencyId: "500000-EMERGENCY", year: 2026, quarter: 1) { overall { insurance { mandatoryEnterprises } } } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data.quarterlyReport.overall.insurance.mandatoryEnterprises).toBeGreaterThan(0);
    expect(served().standby).toBeGreaterThan(before.standby);
    expect(served().primary).toBe(before.primary);
    expect(mentions(standby!, "isolation level repeatable read read only")).toBeGreaterThan(0);
  });

  it("appends the audit entry of a contact-details read on the primary while the read runs on the standby", async () => {
    const count = async () => Number(((await database!.db.execute(sql`select count(*)::int n from audit_log`)) as unknown as { rows: { n: number }[] }).rows[0].n);
    const entries = await count();
    const before = served();
    const r = await gql(department, `query Contacts($uscc: String!) { enterprise(uscc: $uscc) { name contactName contactPhone } }`, { uscc: F.chemicals });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data.enterprise.contactPhone).toBe("13800000000");
    expect(await count()).toBe(entries + 1);
    expect(served().standby).toBeGreaterThan(before.standby);
    expect(served().primary).toBeGreaterThan(before.primary);
  });

  it("runs a mutation and its answer on the primary, and a token read sees the write while the standby lags", async () => {
    const no = `RPL-${Date.now()}`;
    let token: string | null = null;
    await onStandby("select pg_wal_replay_pause()");
    try {
      const before = served();
      const w = await gql(insurer, FILE, { input: goodPolicy(no), key: `${no}-v1` });
      expect(w.errors).toBeUndefined();
      expect(w.data.filePolicy.accepted).toBe(true);
      // the answer's nested fields come from loaders: they read the write, so they ran on the primary
      expect(w.data.filePolicy.policy.insuredEnterprises[0].enterprise.uscc).toBe(F.chemicals);
      expect(served().standby).toBe(before.standby);
      expect(mentions(standby!, no)).toBe(0);
      token = w.headers.get(WRITE_LSN_HEADER);
      expect(token).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      // no token: the standby, whose replay is paused, serves it and has not seen the policy
      const p0 = mentions(primary!, no);
      const stale = await gql(insurer, POLICY, { no, insurer: F.insurerA });
      expect(stale.errors).toBeUndefined();
      expect(stale.data.policy).toBeNull();
      expect(mentions(standby!, no)).toBeGreaterThan(0);
      expect(mentions(primary!, no)).toBe(p0);

      // the token: the standby has not replayed that far, so the primary serves it
      const b = served();
      const fresh = await gql(insurer, POLICY, { no, insurer: F.insurerA }, { [READ_AFTER_HEADER]: token! });
      expect(fresh.errors).toBeUndefined();
      expect(fresh.data.policy).toEqual({ policyNo: no, insuredHeadcount: 100 });
      expect(mentions(primary!, no)).toBeGreaterThan(p0);
      expect(served().primary).toBeGreaterThan(b.primary);
    } finally {
      await onStandby("select pg_wal_replay_resume()");
    }

    // replay resumed: once the standby has caught up, the token read is the standby's again
    expect((await gql(insurer, POLICY, { no, insurer: F.insurerA })).headers.get(WRITE_LSN_HEADER)).toBeNull(); // a query gets no write position
    let servedBy = "";
    for (const until = Date.now() + 10_000; Date.now() < until && servedBy !== "standby"; ) {
      const b = served();
      const r = await gql(insurer, POLICY, { no, insurer: F.insurerA }, { [READ_AFTER_HEADER]: token! });
      expect(r.data.policy?.policyNo).toBe(no);
      servedBy = served().standby > b.standby && served().primary === b.primary ? "standby" : "primary";
      if (servedBy !== "standby") await new Promise((r) => setTimeout(r, 100));
    }
    expect(servedBy).toBe("standby");
  });

  it("refuses a token that is not a WAL position", async () => {
    const r = await gql(insurer, POLICY, { no: "x", insurer: F.insurerA }, { [READ_AFTER_HEADER]: "latest" });
    expect(r.status).toBe(400);
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("runs a read meant for a replica that never answered on a primary connection, statement and read-only transaction alike", async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    });
    const d = await openDatabase({ url: primary!.url, replicaUrls: [`postgres://postgres@127.0.0.1:${closed}/postgres`], poolSize: 2 });
    try {
      const db = await d.replicas!.reader();
      expect(db).not.toBe(d.db); // meant for the replica: it was not known to be down
      const recovery = async (x: typeof db) => ((await x.execute(sql`select pg_is_in_recovery() as r`)) as unknown as { rows: { r: boolean }[] }).rows[0].r;
      expect(await recovery(db)).toBe(false);
      expect(await db.transaction((tx) => recovery(tx as unknown as typeof db), { isolationLevel: "repeatable read", accessMode: "read only" })).toBe(false);
      expect(d.stats.served).toMatchObject({ replicas: [0] });
      expect(d.stats.served!.primary).toBeGreaterThanOrEqual(4); // the select, then begin, select, commit
      // now known to be down: the router hands out the primary itself until RETRY_MS has passed
      expect(await d.replicas!.reader()).toBe(d.db);
    } finally {
      await d.close();
    }
  });

  it("answers reads from the primary while the standby is stopped, and from the standby once it is back", async () => {
    const query = `query One($uscc: String!) { enterprise(uscc: $uscc) { uscc name } }`;
    await standby!.stop("fast");
    for (let i = 0; i < 3; i++) {
      const before = served();
      const t0 = Date.now();
      const r = await gql(department, query, { uscc: F.chemicals });
      expect(r.status).toBe(200);
      expect(r.errors).toBeUndefined();
      expect(r.data.enterprise.uscc).toBe(F.chemicals);
      expect(Date.now() - t0).toBeLessThan(2000);
      expect(served().primary).toBeGreaterThan(before.primary);
      expect(served().standby).toBe(before.standby);
    }
    await standby!.start();
    let back = false;
    for (const until = Date.now() + RETRY_MS + 10_000; Date.now() < until && !back; ) {
      const before = served();
      const r = await gql(department, query, { uscc: F.chemicals });
      expect(r.errors).toBeUndefined();
      back = served().standby > before.standby;
      if (!back) await new Promise((r) => setTimeout(r, 200));
    }
    expect(back).toBe(true);
  });
});

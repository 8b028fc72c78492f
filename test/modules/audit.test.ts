import { asc, sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signToken } from "../../src/auth/token.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database, type Db } from "../../src/db/client.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { startHttpServer, type HttpServer } from "../../src/http/server.js";
import { canonicalEntry, contentHash, entryHash, GENESIS_HASH } from "../../src/modules/audit/chain.js";
import { AuditSealer, sealAuditLog } from "../../src/modules/audit/sealer.js";
import { SENSITIVE, sensitiveFieldList } from "../../src/modules/audit/sensitive.js";
import { appendAuditEntry, AUDIT_LOCK_KEY, storable, type AuditDraft, type AuditRow } from "../../src/modules/audit/service.js";
import { verifyAuditChain } from "../../src/modules/audit/verify.js";
import * as schema from "../../schema/index.js";
import { auditLog } from "../../schema/index.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture } from "../support/fixture.js";
import { goodClaim, loadClaimPolicies } from "../support/fixture-claims.js";
import { asRole, ok } from "../support/graphql.js";

const config = loadConfig({ PORT: "0", HUB_RATE_LIMIT: "off" });
const COMMITTEE = "500000-COMMITTEE_OFFICE";
const EMERGENCY = "500000-EMERGENCY";

let database: Database;
let server: HttpServer;
let claimIds: Record<string, number> = {};

const REPORT = `mutation Report($input: ClaimReportInput!, $key: String!) {
  reportClaim(input: $input, idempotencyKey: $key) { replayed claim { id claimRef status } }
}`;
const REPORT_WITH_NAMES = `mutation ReportNamed($input: ClaimReportInput!, $key: String!) {
  reportClaim(input: $input, idempotencyKey: $key) { claim { claimRef claimants { name } } }
}`;
const AUDIT_LOG = `query Log($filter: AuditLogFilter, $first: Int, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id at sub role org purpose operation keys requestHash contentHash seq prevHash hash } }
  }
}`;

async function token(role: Role, org: string, sub = "tester", purpose: string | null = null) {
  return signToken(config.jwtSecret, { sub, role, org, purpose });
}

async function gql(tok: string | null, query: string, variables?: Record<string, unknown>, srv = server) {
  const r = await fetch(`${srv.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(tok ? { authorization: `Bearer ${tok}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: r.status, body: (await r.json()) as { data?: any; errors?: any[] } };
}

const entries = (db = database) => db.db.select().from(auditLog).orderBy(asc(auditLog.id));
/** the sealed entries in chain (seq) order */
const chain = async (db = database) => (await db.db.select().from(auditLog).orderBy(asc(auditLog.seq))).filter((e) => e.seq !== null);
/** seals everything committed now, waiting for any other sealer (the server's) instead of skipping */
const seal = (db = database) => sealAuditLog(db.db, { wait: true });
/** the database URL of `db` on PostgreSQL (a second pool or a single client on the same database) */
async function urlOf(db: Database): Promise<string> {
  const name = (((await db.db.execute(sql`select current_database() as n`)) as any).rows[0].n) as string;
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}
/** the promise, or a rejection naming `what` once `ms` have passed (a hang becomes a failure, not a stuck run) */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still waiting after ${ms} ms`)), ms))),
  ]);
}
const lastId = async () => (await entries()).at(-1)?.id ?? 0;
async function entriesAfter(id: number): Promise<AuditRow[]> {
  return (await entries()).filter((e) => e.id > id);
}

/** sha256(query + "\n" + JSON with sorted keys), computed here independently of chain.ts */
function expectedRequestHash(query: string, variables: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as any)[k])])) : v;
  return createHash("sha256").update(`${query}\n${JSON.stringify(sorted(variables ?? {}))}`).digest("hex");
}

/** Runs statements on audit_log with its append-only trigger off, as a console user with rights would. */
async function tamper(db: Database, statement: ReturnType<typeof sql>) {
  await db.db.execute(sql`alter table audit_log disable trigger audit_log_immutable`);
  try {
    await db.db.execute(statement);
  } finally {
    await db.db.execute(sql`alter table audit_log enable trigger audit_log_immutable`);
  }
}

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  // set-up runs in-process (no Apollo, so no audit plugin): the log starts empty
  const run = asRole(database);
  await loadClaimPolicies(run);
  for (const ref of ["AU-A1", "AU-A2"]) {
    const d = ok(await run("INSURER", F.insurerA, REPORT, { input: goodClaim(ref), key: `setup-${ref}` }));
    claimIds[ref] = Number(d.reportClaim.claim.id);
  }
  server = await startHttpServer({ config, database, schema: await buildHubSchema(), port: 0 });
});

afterAll(async () => {
  await server?.close();
  await database?.close();
});

describe("what is audited", () => {
  it("the sensitive-field list is the documented one", () => {
    expect(sensitiveFieldList().sort()).toEqual(
      [
        "Claimant.name", "Claimant.idNumber",
        "Enterprise.legalRepresentative", "Enterprise.contactName", "Enterprise.contactPhone",
        "Policy.premium", "Policy.baseRate", "Policy.rateFloat", "Policy.commissionRatio", "Policy.preventionFundRatio",
        "PolicyVersion.snapshot", "FundEntry.amount", "PreventionService.cost",
      ].sort(),
    );
    expect(SENSITIVE.Claimant.fields.name).toBe("PERSONAL");
    expect(SENSITIVE.Policy.fields.premium).toBe("TRADE_SECRET");
  });

  it("the log starts empty: set-up outside Apollo wrote nothing", async () => {
    expect(await entries()).toEqual([]);
  });

  it("a mutation appends exactly one entry with who, purpose, operation, keys, request hash and time", async () => {
    const before = await lastId();
    const variables = { input: goodClaim("AU-M1"), key: "au-m1" };
    const t0 = Date.now();
    const r = await gql(await token("INSURER", F.insurerA, "li.lei", "理赔受理 / claim intake"), REPORT, variables);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.reportClaim.claim.claimRef).toBe("AU-M1");
    const added = await entriesAfter(before);
    expect(added).toHaveLength(1);
    const e = added[0];
    expect(e).toMatchObject({
      sub: "li.lei",
      role: "INSURER",
      org: F.insurerA,
      purpose: "理赔受理 / claim intake",
      operation: "mutation Report { reportClaim }",
    });
    expect(e.keys).toEqual(expect.arrayContaining(["claimRef:AU-M1", "policyNo:CL-A", `enterpriseUscc:${F.chemicals}`, "idempotencyKey:au-m1"]));
    // no sensitive field was selected: no read keys, and no personal data in the keys
    expect((e.keys as string[]).filter((k) => k.startsWith("read:"))).toEqual([]);
    expect(JSON.stringify(e.keys)).not.toContain("张三");
    expect(e.requestHash).toBe(expectedRequestHash(REPORT, variables));
    // committed with its content hash before the answer left; chained by the sealer (now or shortly)
    const canonical = canonicalEntry({ ...e, keys: e.keys as string[] });
    expect(e.contentHash).toBe(createHash("sha256").update(canonical, "utf8").digest("hex"));
    expect(e.at.getTime()).toBeGreaterThanOrEqual(t0 - 5);
    expect(e.at.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("a mutation refused by the permission rules is audited too (an attempt is a fact)", async () => {
    const before = await lastId();
    const r = await gql(await token("SECTOR_DEPARTMENT", EMERGENCY, "probe"), REPORT, { input: goodClaim("AU-X"), key: "au-x" });
    expect(r.body.errors?.[0].extensions.code).toBe("FORBIDDEN");
    const added = await entriesAfter(before);
    expect(added.map((e) => [e.sub, e.role, e.org, e.operation])).toEqual([["probe", "SECTOR_DEPARTMENT", EMERGENCY, "mutation Report { reportClaim }"]]);
  });

  it("a mutation that reads claimant names back records the read in its one entry", async () => {
    const before = await lastId();
    const r = await gql(await token("INSURER", F.insurerA), REPORT_WITH_NAMES, { input: goodClaim("AU-M2"), key: "au-m2" });
    expect(r.body.data.reportClaim.claim.claimants.map((c: any) => c.name)).toEqual(["张三", "李四"]);
    const added = await entriesAfter(before);
    expect(added).toHaveLength(1);
    const id = ((await database.db.execute(sql`select id from claims where claim_ref = 'AU-M2'`)) as any).rows[0].id;
    expect(added[0].keys).toEqual(expect.arrayContaining(["claimRef:AU-M2", "read:Claimant.name", `Claim:#${id}`]));
  });

  it("a read of claimant names appends one entry naming the claims and fields read", async () => {
    const before = await lastId();
    const q = `query Names($ins: String) { claims(filter: { insurerUscc: $ins }) { edges { node { claimRef claimants { kind name idNumber } } } } }`;
    const r = await gql(await token("INSURER", F.insurerA, "wang", "核赔 / assessment"), q, { ins: F.insurerA });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.claims.edges.length).toBeGreaterThanOrEqual(2);
    const added = await entriesAfter(before);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ sub: "wang", role: "INSURER", org: F.insurerA, purpose: "核赔 / assessment", operation: "query Names { claims }" });
    expect(added[0].keys).toEqual(
      expect.arrayContaining([
        `insurerUscc:${F.insurerA}`, "read:Claimant.name", "read:Claimant.idNumber",
        `Claim:#${claimIds["AU-A1"]}`, `Claim:#${claimIds["AU-A2"]}`,
      ]),
    );
  });

  it("a masked read is still a read: the committee office reading claimant names (masked) is audited", async () => {
    const before = await lastId();
    const r = await gql(await token("COMMITTEE_OFFICE", COMMITTEE, "zhao"), `{ claims(first: 5) { edges { node { claimants { name } } } } }`);
    expect(r.body.data.claims.edges[0].node.claimants[0].name).toMatch(/\*/);
    const added = await entriesAfter(before);
    expect(added.map((e) => [e.sub, e.operation])).toEqual([["zhao", "query anonymous { claims }"]]);
  });

  it("trade secrets and contact details: a policy's premium and an enterprise's phone are audited with their row keys", async () => {
    const before = await lastId();
    const r = await gql(
      await token("COMMITTEE_OFFICE", COMMITTEE, "zhao"),
      `query Look($no: String!, $ins: String!, $u: String!) { policy(insurerId: $ins, policyNo: $no) { premium } enterprise(uscc: $u) { name contactPhone } }`,
      { no: "CL-A", ins: F.insurerA, u: F.construction },
    );
    expect(r.body.errors).toBeUndefined();
    const added = await entriesAfter(before);
    expect(added).toHaveLength(1);
    expect(added[0].operation).toBe("query Look { policy enterprise }");
    expect(added[0].keys).toEqual(
      expect.arrayContaining([
        "read:Policy.premium", `Policy:${F.insurerA}/CL-A`, "read:Enterprise.contactPhone", `Enterprise:${F.construction}`,
        `insurerId:${F.insurerA}`, "policyNo:CL-A", `uscc:${F.construction}`,
      ]),
    );
  });

  it("a plain read of non-sensitive fields appends nothing", async () => {
    const before = await lastId();
    const tok = await token("INSURER", F.insurerA);
    // Enterprise.name shares its field name with Claimant.name: the type decides, not the name
    const q = `{ claims { edges { node { claimRef status enterprise { name uscc } claimants { kind injury } } } } policies { totalCount edges { node { policyNo insuredHeadcount } } } viewer { sub role } }`;
    const r = await gql(tok, q);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.claims.edges.length).toBeGreaterThan(0);
    expect(await entriesAfter(before)).toEqual([]);
  });

  it("a query that names a sensitive field but resolves none (no rows in scope) appends nothing", async () => {
    const before = await lastId();
    const r = await gql(await token("INSURER", F.insurerB), `{ claims(filter: { insurerUscc: "${F.insurerA}" }) { edges { node { claimants { name } } } } }`);
    expect(r.body.data.claims.edges).toEqual([]);
    expect(await entriesAfter(before)).toEqual([]);
  });

  it("a request refused before execution (unknown field) appends nothing", async () => {
    const before = await lastId();
    const r = await gql(await token("INSURER", F.insurerA), `mutation { noSuchMutation }`);
    expect(r.status).toBe(400);
    expect(await entriesAfter(before)).toEqual([]);
  });

  it("the chain the hub wrote verifies once sealed: one linear chain, seq 1, 2, 3 …", async () => {
    await seal();
    const rows = await chain();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows).toHaveLength((await entries()).length);
    const result = await verifyAuditChain(database.db, { pageSize: 2 });
    expect(result).toEqual({ ok: true, count: rows.length, head: rows.at(-1)!.hash, unsealed: 0 });
    expect(rows.map((e) => e.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
  });
});

describe("auditLog(…)", () => {
  beforeAll(async () => {
    // insurer B's own entry (a sensitive read of its policy's premium)
    const r = await gql(await token("INSURER", F.insurerB, "b.user"), `{ policies { edges { node { policyNo premium } } } }`);
    expect(r.body.errors).toBeUndefined();
  });

  it("an insurer sees only its own organisation's entries", async () => {
    const all = await entries();
    const own = all.filter((e) => e.org === F.insurerB);
    expect(own.length).toBeGreaterThan(0);
    expect(all.length).toBeGreaterThan(own.length);
    const r = await gql(await token("INSURER", F.insurerB, "someone"), AUDIT_LOG, { first: 500 });
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data.auditLog.edges.map((e: any) => e.node);
    expect(r.body.data.auditLog.totalCount).toBe(own.length);
    expect(nodes.map((n: any) => Number(n.id))).toEqual(own.map((e) => e.id));
    expect(new Set(nodes.map((n: any) => n.org))).toEqual(new Set([F.insurerB]));
  });

  it("insurer A does not see insurer B's entries, even when filtering for them", async () => {
    const r = await gql(await token("INSURER", F.insurerA), AUDIT_LOG, { filter: { org: F.insurerB, sub: "b.user" } });
    expect(r.body.data.auditLog).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("the committee office sees all entries, in order of writing, page by page", async () => {
    await seal();
    const all = await entries();
    const tok = await token("COMMITTEE_OFFICE", COMMITTEE);
    const seen: any[] = [];
    let after: string | null = null;
    for (;;) {
      const r: { body: any } = await gql(tok, AUDIT_LOG, { first: 3, after });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.auditLog.totalCount).toBe(all.length);
      seen.push(...r.body.data.auditLog.edges.map((e: any) => e.node));
      if (!r.body.data.auditLog.pageInfo.hasNextPage) break;
      after = r.body.data.auditLog.pageInfo.endCursor;
    }
    expect(seen.map((n) => Number(n.id))).toEqual(all.map((e) => e.id));
    expect(seen[0]).toMatchObject({ sub: all[0].sub, role: all[0].role, org: all[0].org, hash: all[0].hash, prevHash: GENESIS_HASH, seq: "1", contentHash: all[0].contentHash });
    expect(new Set(seen.map((n) => n.org)).size).toBeGreaterThan(2);
  });

  it("filters by operation name, root field, sub, key and time", async () => {
    const tok = await token("COMMITTEE_OFFICE", COMMITTEE);
    const all = await entries();
    const count = async (filter: Record<string, unknown>) => (await gql(tok, AUDIT_LOG, { filter })).body.data.auditLog.totalCount;
    expect(await count({ operation: "Report" })).toBe(all.filter((e) => e.operation.startsWith("mutation Report ")).length);
    expect(await count({ operation: "Report" })).toBe(2);
    expect(await count({ operation: "anonymous" })).toBe(all.filter((e) => e.operation.split(" ")[1] === "anonymous").length);
    expect(await count({ field: "reportClaim" })).toBe(3);
    expect(await count({ field: "enterprise" })).toBe(1);
    expect(await count({ sub: "wang" })).toBe(1);
    expect(await count({ key: "read:Claimant.name" })).toBe(all.filter((e) => (e.keys as string[]).includes("read:Claimant.name")).length);
    const middle = all[Math.floor(all.length / 2)].at;
    expect(await count({ from: middle.toISOString() })).toBe(all.filter((e) => e.at >= middle).length);
    expect(await count({ to: middle.toISOString() })).toBe(all.filter((e) => e.at < middle).length);
  });

  it("PUBLIC is refused", async () => {
    const r = await gql(null, AUDIT_LOG);
    expect(r.body.errors?.[0].extensions.code).toBe("FORBIDDEN");
    expect(r.body.data?.auditLog ?? null).toBeNull();
  });
});

const draft = (sub: string): AuditDraft => ({ sub, role: "INSURER", org: F.insurerA, purpose: null, operation: "mutation anonymous { x }", keys: [], requestHash: "0".repeat(64) });

describe("concurrency", () => {
  it(`20 concurrent mutations (two hub servers on PostgreSQL, each with its sealer) make one linear chain that verifies`, async () => {
    // a second hub on the same database: on PostgreSQL its own pool, as a second process would have
    let second: { database: Database; server: HttpServer } | undefined;
    if (database.kind === "postgres") {
      const db2 = await openDatabase({ url: await urlOf(database), poolSize: 4 });
      second = { database: db2, server: await startHttpServer({ config, database: db2, schema: await buildHubSchema(), port: 0 }) };
    }
    try {
      const before = await entries();
      const tok = await token("INSURER", F.insurerA, "burst");
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          gql(tok, REPORT, { input: goodClaim(`AU-C${i}`), key: `au-c${i}` }, second && i % 2 ? second.server : server),
        ),
      );
      for (const r of results) expect(r.body.errors).toBeUndefined();
      const added = (await entries()).slice(before.length);
      expect(added).toHaveLength(20);
      expect(added.every((e) => e.sub === "burst" && e.contentHash !== null)).toBe(true);
      // the servers' sealers (nudged by each append) race each other and this one: one wins each round
      await seal();
      const after = await chain();
      expect(after).toHaveLength(before.length + 20);
      // linear: every entry links to the one before it, no two share a predecessor (no fork)
      expect(new Set(after.map((e) => e.prevHash)).size).toBe(after.length);
      for (let i = 1; i < after.length; i++) expect(after[i].prevHash).toBe(after[i - 1].hash);
      expect(await verifyAuditChain(database.db, { pageSize: 7 })).toEqual({ ok: true, count: after.length, head: after.at(-1)!.hash, unsealed: 0 });
    } finally {
      await second?.server.close();
      await second?.database.close();
    }
  });

  it("concurrent direct appends (no HTTP) commit unsealed with their content hash; the sealer links them all", async () => {
    const n0 = (await entries()).length;
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEntry(database.db, draft(`direct-${i}`))));
    for (const e of appended) {
      expect(e).toMatchObject({ seq: null, prevHash: null, hash: null });
      expect(e.contentHash).toBe(contentHash({ ...e, keys: e.keys as string[] }));
    }
    await seal();
    const rows = await chain();
    expect(rows.length).toBe(n0 + 20);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, count: n0 + 20, unsealed: 0 });
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)("appends do not wait on each other: they complete while another connection's append is uncommitted and while it holds the sealer's lock", async () => {
    // another connection, inside an open transaction, as a slow request would be: it has appended and not committed
    const client = new pg.Client({ connectionString: await urlOf(database) });
    await client.connect();
    try {
      await client.query("begin");
      const late = await appendAuditEntry(drizzlePg(client, { schema }) as unknown as Db, draft("late"));

      // 1. 20 concurrent appends from the pool complete (under the old single lock they would wait for
      //    that transaction), and the sealer seals them without waiting for the uncommitted entry
      const first = await within(30_000, "appends beside an uncommitted append", Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEntry(database.db, draft(`beside-${i}`)))));
      await within(30_000, "sealing beside an uncommitted append", seal());
      const sealed = await chain();
      expect(first.every((e) => e.id > late.id)).toBe(true);
      expect(sealed.filter((e) => first.some((f) => f.id === e.id))).toHaveLength(20);
      expect(sealed.some((e) => e.id === late.id)).toBe(false);

      // 2. the same connection takes the sealer's lock: appends still complete; a sealer skips (one at a time)
      await client.query(`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`);
      const second = await within(30_000, "appends while the sealer's lock is held", Promise.all(Array.from({ length: 20 }, (_, i) => appendAuditEntry(database.db, draft(`locked-${i}`)))));
      expect(await within(30_000, "a sealer that cannot take the lock", sealAuditLog(database.db))).toBeNull();
      expect((await chain()).some((e) => second.some((s) => s.id === e.id))).toBe(false);

      // 3. it commits: the late entry (an id lower than all of these) is sealed after them, in commit order
      await client.query("commit");
      await seal();
      const all = await chain();
      const pos = (id: number) => all.findIndex((e) => e.id === id);
      expect(pos(late.id)).toBeGreaterThan(Math.max(...first.map((e) => pos(e.id))));
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
      expect(await verifyAuditChain(database.db, { pageSize: 5 })).toEqual({ ok: true, count: all.length, head: all.at(-1)!.hash, unsealed: 0 });
    } finally {
      await client.query("rollback").catch(() => undefined);
      await client.end();
    }
  });

  it("the background sealer of a hub process seals what is appended, and stop() seals the rest", async () => {
    const sealer = new AuditSealer(database.db, { delayMs: 10, sweepMs: 0 });
    try {
      const e = await appendAuditEntry(database.db, draft("nudged"));
      sealer.nudge();
      // poll, with a generous bound: a busy machine only makes this slower
      for (const until = Date.now() + 30_000; (await chain()).every((r) => r.id !== e.id); ) {
        if (Date.now() > until) throw new Error("the nudged sealer did not seal within 30 s");
        await new Promise((r) => setTimeout(r, 20));
      }
      const last = await appendAuditEntry(database.db, draft("at-stop"));
      await sealer.stop();
      expect((await chain()).some((r) => r.id === last.id)).toBe(true);
    } finally {
      await sealer.stop();
    }
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, unsealed: 0 });
  });
});

describe("tampering (a database of its own, no sealer running)", () => {
  let db: Database;
  let ids: number[] = [];
  const row = async (id: number) => (await entries(db)).find((e) => e.id === id)!;
  const verify = (opts: Parameters<typeof verifyAuditChain>[1] = {}) => verifyAuditChain(db.db, opts);

  beforeAll(async () => {
    db = await freshDatabase();
    expect(await verifyAuditChain(db.db)).toEqual({ ok: true, count: 0, head: GENESIS_HASH, unsealed: 0 });
    for (let i = 0; i < 7; i++) {
      const e = await appendAuditEntry(db.db, {
        sub: `user-${i}`, role: "INSURER", org: F.insurerA, purpose: i % 2 ? "核保 / underwriting" : null,
        operation: "query Q { policies }", keys: [`Policy:${F.insurerA}/P-${i}`, "read:Policy.premium"], requestHash: "a".repeat(64),
      });
      ids.push(e.id);
    }
    expect(await verify()).toEqual({ ok: true, count: 0, head: GENESIS_HASH, unsealed: 7 });
    expect(await seal(db)).toBe(7);
    expect(await seal(db)).toBe(0);
  });
  afterAll(() => db?.close());

  it("the database refuses UPDATE and DELETE while the trigger is on, and allows only one seal per entry, changing nothing else", async () => {
    await expect(db.db.execute(sql`update audit_log set sub = 'x' where id = ${ids[1]}`)).rejects.toThrow();
    await expect(db.db.execute(sql`delete from audit_log where id = ${ids[1]}`)).rejects.toThrow();
    // a sealed entry cannot be sealed again (re-chained)
    await expect(db.db.execute(sql`update audit_log set seq = 100, prev_hash = hash where id = ${ids[6]}`)).rejects.toThrow();
    await expect(db.db.execute(sql`update audit_log set hash = prev_hash where id = ${ids[6]}`)).rejects.toThrow();
    // sealing an unsealed entry may not change its content, nor leave it half sealed
    const e = await appendAuditEntry(db.db, draft("unsealed"));
    await expect(db.db.execute(sql`update audit_log set seq = 100, prev_hash = 'p', hash = 'h', sub = 'x' where id = ${e.id}`)).rejects.toThrow();
    await expect(db.db.execute(sql`update audit_log set content_hash = 'x' where id = ${e.id}`)).rejects.toThrow();
    await expect(db.db.execute(sql`update audit_log set seq = 100 where id = ${e.id}`)).rejects.toThrow();
    await expect(db.db.execute(sql`update audit_log set prev_hash = 'p' where id = ${e.id}`)).rejects.toThrow();
    // and an unsealed entry always carries its content hash
    await expect(
      db.db.execute(sql`insert into audit_log (sub, role, operation, keys, request_hash) values ('x', 'INSURER', 'query Q { a }', '[]'::jsonb, ${"a".repeat(64)})`),
    ).rejects.toThrow();
    expect(await seal(db)).toBe(1);
    ids.push(e.id);
    expect(await verify({ pageSize: 3 })).toMatchObject({ ok: true, count: 8, unsealed: 0 });
  });

  it("a hand-edited field of a sealed entry is caught and the entry named; restoring it makes the chain verify again", async () => {
    const target = ids[3];
    const original = await row(target);
    await tamper(db, sql`update audit_log set sub = 'someone-else' where id = ${target}`);
    const broken = await verify({ pageSize: 2 });
    expect(broken).toMatchObject({ ok: false, brokenId: target, count: 3 });
    expect((broken as any).reason).toMatch(/altered/);
    await tamper(db, sql`update audit_log set sub = ${original.sub} where id = ${target}`);
    expect(await verify()).toMatchObject({ ok: true, count: 8 });
  });

  it("an edit to keys, purpose or time is caught as well", async () => {
    const target = ids[2];
    const original = await row(target);
    const edits = [
      [sql`update audit_log set keys = '["Policy:x/P-2"]'::jsonb where id = ${target}`, sql`update audit_log set keys = ${JSON.stringify(original.keys)}::jsonb where id = ${target}`],
      [sql`update audit_log set purpose = 'other' where id = ${target}`, sql`update audit_log set purpose = ${original.purpose} where id = ${target}`],
      [sql`update audit_log set created_at = created_at + interval '1 second' where id = ${target}`, sql`update audit_log set created_at = ${original.at} where id = ${target}`],
      [sql`update audit_log set created_at = created_at + interval '1 microsecond' where id = ${target}`, sql`update audit_log set created_at = ${original.at} where id = ${target}`],
    ];
    for (const [edit, undo] of edits) {
      await tamper(db, edit);
      expect(await verify()).toMatchObject({ ok: false, brokenId: target });
      await tamper(db, undo);
      expect(await verify()).toMatchObject({ ok: true, count: 8 });
    }
  });

  it("an edit that also recomputes the content hash is caught by the chain hash; one that recomputes both, at the next entry", async () => {
    const target = ids[4];
    const original = await row(target);
    const forged = { ...original, keys: original.keys as string[], sub: "forger" };
    await tamper(db, sql`update audit_log set sub = 'forger', content_hash = ${contentHash(forged)} where id = ${target}`);
    expect(await verify({ pageSize: 2 })).toMatchObject({ ok: false, brokenId: target, count: 4 });
    await tamper(db, sql`update audit_log set hash = ${entryHash(original.prevHash!, forged)} where id = ${target}`);
    const result = await verify({ pageSize: 2 });
    expect(result).toMatchObject({ ok: false, brokenId: ids[5], count: 5 });
    expect((result as any).reason).toMatch(new RegExp(`entry ${target}'s hash`));
    await tamper(db, sql`update audit_log set sub = ${original.sub}, content_hash = ${original.contentHash}, hash = ${original.hash} where id = ${target}`);
    expect(await verify()).toMatchObject({ ok: true, count: 8 });
  });

  it("two sealed entries swapped in the chain (reordered) are caught at the first of them", async () => {
    const [a, b] = [await row(ids[2]), await row(ids[3])];
    const swap = async (x: number, y: number) => {
      await tamper(db, sql`update audit_log set seq = -seq where id in (${a.id}, ${b.id})`);
      await tamper(db, sql`update audit_log set seq = case when id = ${a.id} then ${x}::bigint else ${y}::bigint end where id in (${a.id}, ${b.id})`);
    };
    await swap(b.seq!, a.seq!);
    const result = await verify({ pageSize: 2 });
    expect(result).toMatchObject({ ok: false, brokenId: b.id, count: 2 });
    expect((result as any).reason).toMatch(/reordered/);
    await swap(a.seq!, b.seq!);
    expect(await verify()).toMatchObject({ ok: true, count: 8 });
  });

  it("an entry left unsealed for longer than the grace period is reported: the sealer has stopped", async () => {
    const e = await appendAuditEntry(db.db, draft("stuck"));
    expect(await verify()).toMatchObject({ ok: true, count: 8, unsealed: 1 });
    const result = await verify({ now: new Date(e.at.getTime() + 3_600_000) });
    expect(result).toMatchObject({ ok: false, brokenId: e.id, count: 8 });
    expect((result as any).reason).toMatch(/sealer may have stopped/);
    expect(await verify({ now: new Date(e.at.getTime() + 3_600_000), unsealedGraceMs: 7_200_000 })).toMatchObject({ ok: true });
    expect(await seal(db)).toBe(1);
    expect(await verify({ now: new Date(e.at.getTime() + 3_600_000) })).toMatchObject({ ok: true, count: 9, unsealed: 0 });
    ids.push(e.id);
  });

  it("an unsealed entry proves its content: an edit is caught before it is sealed, and after", async () => {
    const e = await appendAuditEntry(db.db, draft("not-yet-sealed"));
    expect(await verify()).toMatchObject({ ok: true, count: 9, unsealed: 1 });
    await tamper(db, sql`update audit_log set operation = 'query Q { nothing }' where id = ${e.id}`);
    const broken = await verify();
    expect(broken).toMatchObject({ ok: false, brokenId: e.id, count: 9 });
    expect((broken as any).reason).toMatch(/content hash does not match/);
    // the sealer chains it as found: its content hash still tells
    expect(await seal(db)).toBe(1);
    expect(await verify()).toMatchObject({ ok: false, brokenId: e.id, count: 9, reason: expect.stringMatching(/content hash/) });
    // and putting the content back now breaks the chain hash instead: the edit stays on record
    await tamper(db, sql`update audit_log set operation = ${e.operation} where id = ${e.id}`);
    expect(await verify()).toMatchObject({ ok: false, brokenId: e.id, count: 9, reason: expect.stringMatching(/chain hash/) });
  });

  it("a deleted entry is caught at the entry after it; a deleted first entry too", async () => {
    await tamper(db, sql`delete from audit_log where id = ${ids[2]}`);
    const result = await verify({ pageSize: 2 });
    expect(result).toMatchObject({ ok: false, brokenId: ids[3], count: 2 });
    expect((result as any).reason).toMatch(/removed/);
    await tamper(db, sql`delete from audit_log where id = ${ids[0]}`);
    expect(await verify()).toMatchObject({ ok: false, brokenId: ids[1], count: 0 });
  });
});

describe("entries from before the sealer (migration 0004)", () => {
  let db: Database | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("still verify after the migration, and new entries continue their chain", async () => {
    // the migrations up to 0003, as a database that ran the previous release has them
    const root = new URL("../../migrations", import.meta.url).pathname;
    dir = mkdtempSync(join(tmpdir(), "anze-pre-0004-"));
    cpSync(root, dir, { recursive: true });
    const journal = JSON.parse(readFileSync(join(dir, "meta/_journal.json"), "utf8"));
    journal.entries = journal.entries.filter((e: { tag: string }) => e.tag < "0004");
    writeFileSync(join(dir, "meta/_journal.json"), JSON.stringify(journal));
    db = await freshDatabase({ migrate: false });
    const { migrate } = db.kind === "postgres" ? await import("drizzle-orm/node-postgres/migrator") : await import("drizzle-orm/pglite/migrator");
    await migrate(db.db as any, { migrationsFolder: dir });
    // three entries appended as the previous release did: chained at insert, in id order
    let prev = GENESIS_HASH;
    const legacy: string[] = [];
    for (let i = 0; i < 3; i++) {
      const f = { at: new Date(Date.UTC(2026, 0, 1, 8, 0, i)), sub: `old-${i}`, role: "INSURER", org: F.insurerA, purpose: null, operation: "query Q { policies }", keys: [`k-${i}`], requestHash: "c".repeat(64) };
      const hash = entryHash(prev, f);
      await db.db.execute(sql`insert into audit_log (created_at, sub, role, org, purpose, operation, keys, request_hash, prev_hash, hash)
        values (${f.at}, ${f.sub}, ${f.role}, ${f.org}, ${f.purpose}, ${f.operation}, ${JSON.stringify(f.keys)}::jsonb, ${f.requestHash}, ${prev}, ${hash})`);
      legacy.push(hash);
      prev = hash;
    }
    await db.migrate();
    expect(await verifyAuditChain(db.db)).toEqual({ ok: true, count: 3, head: legacy[2], unsealed: 0 });
    const old = await chain(db);
    expect(old.map((e) => [e.seq, e.contentHash])).toEqual(old.map((e) => [e.id, null]));
    const e = await appendAuditEntry(db.db, draft("new"));
    expect(await sealAuditLog(db.db)).toBe(1);
    const all = await chain(db);
    expect(all.at(-1)).toMatchObject({ id: e.id, seq: old[2].seq! + 1, prevHash: legacy[2] });
    expect(await verifyAuditChain(db.db)).toEqual({ ok: true, count: 4, head: all.at(-1)!.hash, unsealed: 0 });
    // the old entries are as immutable as before
    await expect(db.db.execute(sql`update audit_log set sub = 'x' where id = ${old[0].id}`)).rejects.toThrow();
    // and still tamper-evident
    await tamper(db, sql`update audit_log set sub = 'x' where id = ${old[1].id}`);
    expect(await verifyAuditChain(db.db)).toMatchObject({ ok: false, brokenId: old[1].id, count: 1 });
  });
});

describe("when the log cannot be written", () => {
  it("the answer waits for the append and is withheld if it fails: 503 SERVICE_UNAVAILABLE, no data", async () => {
    await database.db.execute(sql`create function refuse_audit_insert() returns trigger language plpgsql as $$ begin raise exception 'audit insert refused for the test'; end; $$`);
    await database.db.execute(sql`create trigger audit_log_refuse_insert before insert on audit_log for each row execute function refuse_audit_insert()`);
    const before = await lastId();
    try {
      const tok = await token("INSURER", F.insurerA);
      const read = await gql(tok, `{ claims { edges { node { claimants { name idNumber } } } } }`);
      expect(read.status).toBe(503);
      expect(read.body.data).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain("张三");
      expect(read.body.errors?.[0].extensions).toMatchObject({ code: "SERVICE_UNAVAILABLE", reason: "AUDIT_UNAVAILABLE" });
      const write = await gql(tok, REPORT, { input: goodClaim("AU-F1"), key: "au-f1" });
      expect(write.status).toBe(503);
      expect(write.body.errors?.[0].extensions.reason).toBe("AUDIT_UNAVAILABLE");
      // an answer without data reveals nothing: it keeps its own error
      const refused = await gql(await token("SECTOR_DEPARTMENT", EMERGENCY), REPORT, { input: goodClaim("AU-F2"), key: "au-f2" });
      expect(refused.body.errors?.[0].extensions.code).toBe("FORBIDDEN");
      // a non-sensitive read needs no entry and is answered as usual
      const plain = await gql(tok, `{ claims { totalCount } }`);
      expect(plain.status).toBe(200);
      expect(plain.body.data.claims.totalCount).toBeGreaterThan(0);
    } finally {
      await database.db.execute(sql`drop trigger audit_log_refuse_insert on audit_log`);
      await database.db.execute(sql`drop function refuse_audit_insert()`);
    }
    expect(await lastId()).toBe(before);
    // the client's retry with the same key replays the committed claim, and is audited this time
    const before2 = await lastId();
    const retry = await gql(await token("INSURER", F.insurerA), REPORT, { input: goodClaim("AU-F1"), key: "au-f1" });
    expect(retry.body.data.reportClaim).toMatchObject({ replayed: true, claim: { claimRef: "AU-F1" } });
    expect((await entriesAfter(before2)).map((e) => e.operation)).toEqual(["mutation Report { reportClaim }"]);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });
});

describe("storable text", () => {
  it("NUL and lone surrogates (from a token or an argument) are replaced, so the stored entry still hashes", async () => {
    expect(storable("a\u0000b\ud800c\udc00d😀")).toBe("a\uFFFDb\uFFFDc\uFFFDd😀");
    const n = (await entries()).length;
    const e = await appendAuditEntry(database.db, { sub: "x\u0000", role: "INSURER", org: "o\ud800", purpose: null, operation: "query Q { a }", keys: ["uscc:\u0000\udfff"], requestHash: "b".repeat(64) });
    expect([e.sub, e.org, e.keys]).toEqual(["x\uFFFD", "o\uFFFD", ["uscc:\uFFFD\uFFFD"]]);
    await seal();
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, count: n + 1 });
  });
});

/**
 * Issue 5, item 5 (faults): an exhausted connection pool. The hub runs with poolSize 2 on a fresh
 * database of TEST_DATABASE_URL; two transactions hold both connections in `pg_sleep`.
 *
 * Decision: a write that cannot get a connection within the pool's connection timeout
 * (connectionTimeoutMillis, 5 s, src/db/client.ts) is answered with `extensions.code`
 * SERVICE_UNAVAILABLE, `extensions.reason` POOL_EXHAUSTED and HTTP 503 (DatabaseUnavailableError;
 * a database that is down gives the same code with reason DATABASE_UNREACHABLE): it is not the
 * caller's fault, nothing was written, and a retry with the same idempotency key is safe. The insurer
 * client (src/client/push-filings.ts) already retries any 5xx. Every write runs in db.transaction,
 * which src/db/client.ts maps; a plain read fails inside drizzle's DrizzleQueryError, which
 * formatError (src/http/limits.ts) maps with isDatabaseUnavailable to the same code.
 *
 * Proves: writes and a read made while both connections are held are answered with an error within
 * the timeout plus slack (never a hang), nothing of theirs is written, /readyz says 503 and /healthz
 * stays 200; once the holders end, the same hub serves again and the refused pushes, resent with
 * their keys, are filed once.
 */
import { sql } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { F, goodPolicy } from "../support/fixture.js";
import { ENTERPRISES, insurerToken, integrity, loadRegistry, pushPolicy, scratchDatabase, SKIP_REASON, startHub, TEST_DATABASE_URL, type Hub } from "./hub.js";

/** connectionTimeoutMillis (5 s) plus slack: a slower answer is a hang */
const ANSWER_BOUND_MS = 7_500;

let scratch: { url: string; drop: () => Promise<void> } | undefined;
let hub: Hub | undefined;
let token: string;

beforeAll(async () => {
  if (!TEST_DATABASE_URL) return;
  scratch = await scratchDatabase(TEST_DATABASE_URL);
  hub = await startHub(scratch.url, 2);
  await hub.database.migrate();
  await loadRegistry(hub.database.db);
  token = await insurerToken();
}, 120_000);

afterAll(async () => {
  await hub?.close().catch(() => undefined);
  await scratch?.drop();
});

describe("an exhausted connection pool", () => {
  it.skipIf(!TEST_DATABASE_URL)(`answers quickly with SERVICE_UNAVAILABLE / 503, never hangs, and recovers — ${TEST_DATABASE_URL ? "poolSize 2" : SKIP_REASON}`, async () => {
    const url = hub!.server.url;
    const db = hub!.database.db;
    const dbName = new URL(scratch!.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      // two long transactions take both pooled connections
      const holders = [1, 2].map(() => db.transaction(async (tx) => tx.execute(sql`select pg_sleep(30)`)).then(() => "finished", (e: Error) => e));
      for (let i = 0; ; i++) {
        const { rows } = await admin.query(`select count(*)::int n from pg_stat_activity where datname = $1 and query like '%pg_sleep(30)%' and state = 'active' and pid <> pg_backend_pid()`, [dbName]);
        if (rows[0].n === 2) break;
        if (i > 100) throw new Error("the holding transactions did not start");
        await new Promise((r) => setTimeout(r, 50));
      }

      const read = async () => {
        const t0 = Date.now();
        const res = await fetch(`${url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: `query($i: String!) { policy(insurerId: $i, policyNo: "NONE") { id } }`, variables: { i: F.insurerA } }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await res.json()) as { errors?: { message: string; extensions?: { code?: string } }[] };
        return { status: res.status, code: body.errors?.[0]?.extensions?.code, ms: Date.now() - t0 };
      };
      const ready = async () => {
        const t0 = Date.now();
        const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(30_000) });
        return { status: res.status, ms: Date.now() - t0 };
      };
      const health = async () => {
        const t0 = Date.now();
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(30_000) });
        return { status: res.status, ms: Date.now() - t0 };
      };
      const inputs = [0, 1, 2].map((i) => goodPolicy(`POOL-${i}`, ENTERPRISES[i], 50));
      const [writes, r, rz, hz] = await Promise.all([
        Promise.all(inputs.map((input, i) => pushPolicy(url, token, `pool-key-${i}`, input, 30_000))),
        read(),
        ready(),
        health(),
      ]);

      for (const w of writes) {
        expect({ status: w.status, code: w.code, reason: w.reason, accepted: w.accepted }).toEqual({ status: 503, code: "SERVICE_UNAVAILABLE", reason: "POOL_EXHAUSTED", accepted: false });
        expect(w.message).toBe("数据库连接繁忙，请稍后重试 / database busy (no free connection), retry later");
        expect(w.t1 - w.t0).toBeLessThan(ANSWER_BOUND_MS);
      }
      expect(r.code).toBe("SERVICE_UNAVAILABLE");
      expect(r.ms).toBeLessThan(ANSWER_BOUND_MS);
      expect(rz.status).toBe(503);
      expect(rz.ms).toBeLessThan(ANSWER_BOUND_MS);
      // liveness does not depend on the database: an orchestrator must not kill a hub that waits for it
      expect(hz).toMatchObject({ status: 200 });
      expect(hz.ms).toBeLessThan(1_000);
      console.log(`pool test: writes answered in ${writes.map((w) => w.t1 - w.t0).join(", ")} ms, read in ${r.ms} ms (${r.status} ${r.code}), /readyz in ${rz.ms} ms`);

      // the holders end (cancelled); the pool has its connections back and the same hub serves again
      await admin.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname = $1 and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`, [dbName]);
      const ended = await Promise.all(holders);
      expect(ended.every((e) => e instanceof Error)).toBe(true);

      expect((await integrity(db, "POOL-")).policies).toBe(0);
      const retried = await Promise.all(inputs.map((input, i) => pushPolicy(url, token, `pool-key-${i}`, input)));
      expect(retried.map((w) => [w.accepted, w.replayed, w.code])).toEqual(inputs.map(() => [true, false, null]));
      expect(await read()).toMatchObject({ status: 200, code: undefined });
      expect(await ready()).toMatchObject({ status: 200 });
      expect(await integrity(db, "POOL-")).toEqual({ policies: 3, distinctPolicyNos: 3, filingKeys: 3, incomplete: [], orphans: 0, keysWithoutPolicy: [] });
    } finally {
      await admin.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname = $1 and query like '%pg_sleep%' and pid <> pg_backend_pid()`, [dbName]).catch(() => undefined);
      await admin.end();
    }
  }, 60_000);
});

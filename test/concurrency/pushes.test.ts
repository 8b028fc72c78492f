/**
 * Issue 5, item 6 (concurrency): two hub processes on one PostgreSQL database take 1,000 concurrent
 * filePolicy pushes (at most 50 in flight), spread over both:
 * - 760 distinct filings, each under its own idempotency key;
 * - 200 duplicates (20 %) with the same key and payload: 100 sent right next to their original, to
 *   the other hub, so both are in flight at once (a client retrying before its first answer came),
 *   100 at random later positions;
 * - 40 pushes of an existing filing's content and policy number under a new key, next to the
 *   original on the other hub: two transactions race to insert the same (insurer, policy number).
 *
 * The second process is the real entry point (src/main.ts) bundled with esbuild into a temp
 * directory and run with `node`, so no build of dist/ is needed; the first runs in this process.
 * Each has its own connection pool, so every race below crosses connections and processes.
 *
 * Proves: every push is accepted (no INTERNAL_SERVER_ERROR from a unique-violation race, no
 * deadlock, no serialization failure; the only error allowed on the way is a 503 SERVICE_UNAVAILABLE
 * when no pooled connection frees up in time, retried with the same key as the insurer client does); each key and each policy number yields exactly one policy,
 * and every answer for a key or a number names that same policy; at most one answer per key is the
 * first filing and the others replay it; the database holds exactly 760 complete policies and 800 keys,
 * and the premium and headcount totals match; PostgreSQL counted no deadlock on the database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { build } from "esbuild";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goodPolicy } from "../support/fixture.js";
import { config, ENTERPRISES, insurerToken, integrity, limited, loadRegistry, pushPolicy, scratchDatabase, SKIP_REASON, sleep, startHub, TEST_DATABASE_URL, type Hub, type PushOutcome } from "../faults/hub.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ORIGINALS = 760;
const IN_FLIGHT_RETRIES = 100;
const LATER_DUPLICATES = 100;
const SAME_CONTENT_NEW_KEY = 40;
const CONCURRENCY = 50;
const PREFIX = "CC-";

let scratch: { url: string; drop: () => Promise<void> } | undefined;
let inProcess: Hub | undefined;
let child: { process: ChildProcess; url: string; output: () => string; stop: () => Promise<void> } | undefined;
let bundleDir: string | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * src/main.ts as one ESM file in a temp directory laid out like the repository (node_modules and
 * migrations linked, the GraphiQL init script beside the bundle), started with `node` on a free port.
 * Every decorator of the schema names its type explicitly, so esbuild's lack of emitDecoratorMetadata does not matter.
 */
async function startChildHub(databaseUrl: string) {
  bundleDir = mkdtempSync(join(tmpdir(), "anze-hub-"));
  const out = join(bundleDir, "src", "bundle");
  mkdirSync(out, { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(bundleDir, "node_modules"), "dir");
  symlinkSync(join(ROOT, "migrations"), join(bundleDir, "migrations"), "dir");
  cpSync(join(ROOT, "src/http/graphiql-init.js"), join(out, "graphiql-init.js"));
  await build({
    entryPoints: [join(ROOT, "src/main.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: join(ROOT, "tsconfig.json"),
    outfile: join(out, "main.mjs"),
    logLevel: "error",
  });
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HUB_JWT_SECRET: config.jwtSecret, HUB_RATE_LIMIT: "off", NODE_ENV: "test" };
  delete env.HUB_JWKS;
  delete env.DATABASE_REPLICA_URLS;
  const proc = spawn(process.execPath, [join(out, "main.mjs")], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout!.on("data", (d) => (output += d));
  proc.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`the second hub process exited (${proc.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`the second hub process did not become ready:\n${output}`);
    await sleep(100);
  }
  const stop = async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
    if (proc.exitCode === null) proc.kill("SIGKILL");
  };
  return { process: proc, url, output: () => output, stop };
}

beforeAll(async () => {
  if (!TEST_DATABASE_URL) return;
  scratch = await scratchDatabase(TEST_DATABASE_URL);
  inProcess = await startHub(scratch.url, 10);
  await inProcess.database.migrate();
  await loadRegistry(inProcess.database.db);
  child = await startChildHub(scratch.url);
}, 120_000);

afterAll(async () => {
  await child?.stop();
  await inProcess?.close().catch(() => undefined);
  await scratch?.drop();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

/** A small deterministic PRNG (mulberry32): the same order on every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Push {
  key: string;
  filing: number;
  hub: 0 | 1;
  kind: "original" | "in-flight retry" | "later duplicate" | "same content, new key";
}

/** The 1,000 pushes in sending order. */
function plan(): Push[] {
  const random = rng(20240605);
  const pushes: Push[] = [];
  // twins sent right behind their original (on the other hub, while the first is in flight): every
  // 7th original gets a same-key retry; every 15th (offset 4) a same-content push under a new key
  const retried = new Set(Array.from({ length: ORIGINALS }, (_, i) => i).filter((i) => i % 7 === 0).slice(0, IN_FLIGHT_RETRIES));
  const rekeyed = new Set(Array.from({ length: ORIGINALS }, (_, i) => i).filter((i) => i % 15 === 4 && !retried.has(i)).slice(0, SAME_CONTENT_NEW_KEY));
  for (let i = 0; i < ORIGINALS; i++) {
    const hub = (i % 2) as 0 | 1;
    const other = (1 - hub) as 0 | 1;
    pushes.push({ key: `cc-key-${i}`, filing: i, hub, kind: "original" });
    if (retried.has(i)) pushes.push({ key: `cc-key-${i}`, filing: i, hub: other, kind: "in-flight retry" });
    if (rekeyed.has(i)) pushes.push({ key: `cc-alt-${i}`, filing: i, hub: other, kind: "same content, new key" });
  }
  for (let n = 0; n < LATER_DUPLICATES; n++) {
    const i = Math.floor(random() * ORIGINALS);
    const at = pushes.findIndex((p) => p.filing === i) + 1 + Math.floor(random() * 200);
    pushes.splice(Math.min(at, pushes.length), 0, { key: `cc-key-${i}`, filing: i, hub: random() < 0.5 ? 0 : 1, kind: "later duplicate" });
  }
  return pushes;
}

const filing = (i: number) => goodPolicy(`${PREFIX}${i}`, ENTERPRISES[i % ENTERPRISES.length], 50);

describe("two hub processes, one PostgreSQL", () => {
  it.skipIf(!TEST_DATABASE_URL)(`1,000 concurrent pushes with duplicates and retries: one policy per key and number, totals match, no deadlock — ${TEST_DATABASE_URL ? "in-process hub + child process" : SKIP_REASON}`, async () => {
    const pushes = plan();
    const count = (kind: Push["kind"]) => pushes.filter((p) => p.kind === kind).length;
    expect(pushes.length).toBe(1000);
    expect([count("original"), count("in-flight retry"), count("later duplicate"), count("same content, new key")]).toEqual([ORIGINALS, IN_FLIGHT_RETRIES, LATER_DUPLICATES, SAME_CONTENT_NEW_KEY]);

    const token = await insurerToken();
    const urls = [inProcess!.server.url, child!.url];
    const t0 = Date.now();
    // like the insurer client: a 503 SERVICE_UNAVAILABLE (here: no pooled connection free within the
    // pool's timeout on a loaded machine) is retried with the same key after a back-off; nothing else is
    const transient: PushOutcome[] = [];
    const send = async (p: Push): Promise<PushOutcome & Push> => {
      for (let attempt = 0; ; attempt++) {
        const o = await pushPolicy(urls[p.hub], token, p.key, filing(p.filing), 60_000);
        if (o.code !== "SERVICE_UNAVAILABLE" || attempt === 8) return { ...o, ...p };
        transient.push(o);
        await sleep(100 * 2 ** Math.min(attempt, 4));
      }
    };
    const outcomes = await limited(pushes.map((p) => () => send(p)), CONCURRENCY);
    const elapsed = Date.now() - t0;
    console.log(`concurrency test: 1,000 pushes over 2 hub processes in ${elapsed} ms (${Math.round(1000 / (elapsed / 1000))}/s), ${transient.length} retried after SERVICE_UNAVAILABLE`);

    // every push accepted: no 23505 race surfacing as INTERNAL_SERVER_ERROR, no 40P01 deadlock, no hang
    const refused = outcomes.filter((o) => !o.accepted).map((o) => ({ key: o.key, kind: o.kind, status: o.status, code: o.code, message: o.message?.slice(0, 200) }));
    expect(refused).toEqual([]);
    expect(transient.filter((o) => o.status !== 503)).toEqual([]);
    expect([...outcomes, ...transient].filter((o) => /deadlock|40P01|23505|duplicate key/i.test(o.message ?? ""))).toEqual([]);
    expect(new Set(outcomes.map((o) => o.hub)).size).toBe(2);

    // one policy per key and per policy number, and every answer names it
    const byKey = new Map<string, Set<number | null>>();
    const byNo = new Map<string, Set<number | null>>();
    for (const o of outcomes) {
      byKey.set(o.key, (byKey.get(o.key) ?? new Set()).add(o.policyId));
      byNo.set(o.policyNo, (byNo.get(o.policyNo) ?? new Set()).add(o.policyId));
    }
    expect([...byKey].filter(([, ids]) => ids.size !== 1 || ids.has(null))).toEqual([]);
    expect([...byNo].filter(([, ids]) => ids.size !== 1 || ids.has(null))).toEqual([]);
    expect(byKey.size).toBe(ORIGINALS + SAME_CONTENT_NEW_KEY);
    expect(byNo.size).toBe(ORIGINALS);
    // per key one first filing, every other answer a replay (a first filing whose answer was lost to a
    // 503 after its commit comes back as a replay on retry, so with retries a key may show none)
    const firsts = new Map<string, number>();
    for (const o of outcomes) if (!o.replayed) firsts.set(o.key, (firsts.get(o.key) ?? 0) + 1);
    expect([...firsts].filter(([, n]) => n > 1)).toEqual([]);
    const retriedKeys = new Set(transient.map((o) => o.key));
    expect([...byKey.keys()].filter((k) => !firsts.has(k) && !retriedKeys.has(k))).toEqual([]);

    const db = inProcess!.database.db;
    expect(await integrity(db, PREFIX)).toEqual({
      policies: ORIGINALS,
      distinctPolicyNos: ORIGINALS,
      filingKeys: ORIGINALS + SAME_CONTENT_NEW_KEY,
      incomplete: [],
      orphans: 0,
      keysWithoutPolicy: [],
    });
    const [totals] = ((await db.execute(sql`select sum(premium)::text premium, sum(insured_headcount)::int headcount from policies where policy_no like ${PREFIX + "%"}`)) as unknown as {
      rows: { premium: string; headcount: number }[];
    }).rows;
    expect(totals).toEqual({ premium: (ORIGINALS * 12000).toFixed(2), headcount: ORIGINALS * 50 });

    // PostgreSQL's own count of deadlocks on this database (stats are flushed when the pools' backends end)
    await child!.stop();
    await inProcess!.close();
    inProcess = undefined;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const name = new URL(scratch!.url).pathname.slice(1);
      await sleep(500);
      const { rows } = await admin.query(`select deadlocks::int from pg_stat_database where datname = $1`, [name]);
      expect(rows[0].deadlocks).toBe(0);
    } finally {
      await admin.end();
    }
  }, 120_000);
});

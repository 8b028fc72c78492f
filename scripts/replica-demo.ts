/**
 * `npm run replica:demo`: the hub scaled out on PostgreSQL's own streaming replication, on this
 * machine. Starts a private primary and a hot standby of it (scripts/lib/pg-cluster.ts, in a temp
 * directory, removed at the end), applies the migrations and the demo data on the primary, starts two
 * hub processes (both with DATABASE_URL = primary and DATABASE_REPLICA_URLS = standby), pushes one
 * policy through hub A and reads it back through hub B: with the standby's replay paused (a lagging
 * replica), once without and once with the write's LSN token, then again after replay resumes.
 * Which server ran each step is read from hub B's /metrics (hub_db_statements_total per server).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { signToken } from "../src/auth/token.js";
import { DEMO_JWT_SECRET } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { seedDemo } from "../src/demo/generate.js";
import { DEMO } from "../src/demo/ids.js";
import { freePort, startCluster, startStandby, type PgCluster } from "./lib/pg-cluster.js";
import { sampleFiling, YEAR_2027 } from "../src/demo/filing.js";

const MAIN = fileURLToPath(new URL("../src/main.js", import.meta.url));
const READY_TIMEOUT_MS = 60_000;

interface Hub {
  name: string;
  url: string;
  proc: ChildProcess;
  output: string[];
}

const clusters: PgCluster[] = [];
const hubs: Hub[] = [];

const step = (text: string) => console.log(`\n▶ ${text}`);
const line = (text: string) => console.log(`  ${text}`);

async function startHub(name: string, primary: PgCluster, standby: PgCluster): Promise<Hub> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: primary.url, DATABASE_REPLICA_URLS: standby.url, HUB_RATE_LIMIT: "off" };
  for (const k of ["NODE_ENV", "HUB_JWT_SECRET", "HUB_JWKS"]) delete env[k];
  const proc = spawn(process.execPath, [MAIN], { env, stdio: ["ignore", "pipe", "pipe"] });
  const hub: Hub = { name, url: `http://127.0.0.1:${port}`, proc, output: [] };
  hubs.push(hub);
  proc.stdout!.on("data", (d) => hub.output.push(String(d)));
  proc.stderr!.on("data", (d) => hub.output.push(String(d)));
  for (const until = Date.now() + READY_TIMEOUT_MS; ; ) {
    if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}):\n${hub.output.join("")}`);
    try {
      if ((await fetch(`${hub.url}/readyz`)).status === 200) return hub;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${name} did not become ready:\n${hub.output.join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function gql(hub: Hub, token: string, query: string, variables: object, headers: Record<string, string> = {}) {
  const res = await fetch(`${hub.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: any; errors?: { message: string }[] };
  if (body.errors) throw new Error(`${hub.name}: ${JSON.stringify(body.errors)}`);
  return { data: body.data, headers: res.headers };
}

/** statements per server, from a hub's /metrics */
async function statements(hub: Hub): Promise<{ primary: number; replica1: number }> {
  const text = await (await fetch(`${hub.url}/metrics`)).text();
  const n = (server: string) => Number(new RegExp(`^hub_db_statements_total\\{server="${server}"\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
  return { primary: n("primary"), replica1: n("replica1") };
}

/** runs `work` on `hub` and says which server(s) ran its statements */
async function measured<T>(hub: Hub, work: () => Promise<T>): Promise<{ result: T; by: string }> {
  const before = await statements(hub);
  const result = await work();
  const after = await statements(hub);
  const p = after.primary - before.primary;
  const r = after.replica1 - before.replica1;
  const n = (k: number) => `${k} statement${k === 1 ? "" : "s"}`;
  const by = [p ? `primary (${n(p)})` : "", r ? `standby (${n(r)})` : ""].filter(Boolean).join(" + ") || "no database";
  return { result, by };
}

async function onStandby(standby: PgCluster, q: string): Promise<any[]> {
  const c = new pg.Client({ connectionString: standby.url });
  await c.connect();
  try {
    return (await c.query(q)).rows;
  } finally {
    await c.end();
  }
}

const FILE = `mutation FileOne($input: PolicyInput!, $key: String!) {
  filePolicy(input: $input, idempotencyKey: $key) { accepted policy { policyNo status insuredEnterprises { enterprise { name } } } findings { ruleCode } }
}`;
const READ = `query ReadBack($no: String!, $insurer: String!) { policy(policyNo: $no, insurerId: $insurer) { policyNo status insuredHeadcount } }`;

async function demo() {
  step("starting a PostgreSQL primary (wal_level=replica) and a hot standby (pg_basebackup -R) in a temp directory");
  const primary = await startCluster();
  clusters.push(primary);
  const standby = await startStandby(primary);
  clusters.push(standby);
  line(`primary  ${primary.url}`);
  line(`standby  ${standby.url}   pg_is_in_recovery() = ${(await onStandby(standby, "select pg_is_in_recovery() as r"))[0].r}`);

  step("migrations and the demo data, on the primary only (the standby receives them by streaming replication)");
  const database = await openDatabase({ url: primary.url, poolSize: 2 });
  let t = Date.now();
  await database.migrate();
  line(`migrations: ${Date.now() - t} ms`);
  t = Date.now();
  const summary = await seedDemo(database.db);
  line(`demo data: ${Object.values(summary).reduce((a, b) => a + b, 0)} rows in ${Date.now() - t} ms`);
  await database.close();

  step("two hub processes, each with DATABASE_URL = primary and DATABASE_REPLICA_URLS = standby");
  const [a, b] = await Promise.all([startHub("hub A", primary, standby), startHub("hub B", primary, standby)]);
  line(`hub A  ${a.url}`);
  line(`hub B  ${b.url}`);

  const token = await signToken(DEMO_JWT_SECRET, { sub: "replica-demo", role: "INSURER", org: DEMO.insurer, purpose: "演示 / demo" }, "1h");
  const policyNo = `PZAF-REPLICA-${Date.now()}`;
  const input = sampleFiling(policyNo, DEMO.enterprise, 20, YEAR_2027);
  const variables = { no: policyNo, insurer: DEMO.insurer };

  step("a lagging standby: replay paused with pg_wal_replay_pause()");
  await onStandby(standby, "select pg_wal_replay_pause()");
  try {
    step(`hub A: filePolicy ${policyNo}`);
    const push = await measured(a, () => gql(a, token, FILE, { input, key: `${policyNo}-v1` }));
    const filed = push.result.data.filePolicy;
    const lsn = push.result.headers.get("x-hub-write-lsn")!;
    line(`accepted=${filed.accepted}, answer read back ${filed.policy.insuredEnterprises.map((e: any) => e.enterprise.name).join("、")}; served by ${push.by}`);
    line(`x-hub-write-lsn: ${lsn}`);
    const [{ replayed }] = await onStandby(standby, "select pg_last_wal_replay_lsn()::text as replayed");
    line(`standby has replayed up to ${replayed}`);

    step("hub B: read it back without the token");
    const stale = await measured(b, () => gql(b, token, READ, variables));
    line(`policy = ${JSON.stringify(stale.result.data.policy)}; served by ${stale.by}   ← a replica's read may be stale`);

    step(`hub B: read it back with x-hub-read-after-lsn: ${lsn}`);
    const fresh = await measured(b, () => gql(b, token, READ, variables, { "x-hub-read-after-lsn": lsn }));
    line(`policy = ${JSON.stringify(fresh.result.data.policy)}; served by ${fresh.by}   ← the standby's one statement is the replay-position probe: it is behind the token, so the primary answers`);

    step("replay resumed: pg_wal_replay_resume()");
    await onStandby(standby, "select pg_wal_replay_resume()");
    for (const until = Date.now() + 10_000; Date.now() < until; ) {
      const [{ done }] = await onStandby(standby, `select pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn as done`);
      if (done) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    step(`hub B: read it back with x-hub-read-after-lsn: ${lsn} again`);
    const caughtUp = await measured(b, () => gql(b, token, READ, variables, { "x-hub-read-after-lsn": lsn }));
    line(`policy = ${JSON.stringify(caughtUp.result.data.policy)}; served by ${caughtUp.by}   ← probe and query: the standby has replayed the write`);
  } finally {
    await onStandby(standby, "select pg_wal_replay_resume()").catch(() => undefined);
  }

  step("the standby stops (pg_ctl stop -m fast); hub B keeps answering");
  await standby.stop("fast");
  const down = await measured(b, () => gql(b, token, READ, variables));
  line(`policy = ${JSON.stringify(down.result.data.policy)}; served by ${down.by}   ← reads fall back to the primary`);
}

async function teardown() {
  for (const hub of hubs) {
    if (hub.proc.exitCode !== null) continue;
    const exited = new Promise((r) => hub.proc.once("exit", r));
    hub.proc.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (hub.proc.exitCode === null) hub.proc.kill("SIGKILL");
  }
  for (const c of clusters.reverse()) await c.destroy();
}

let failed = false;
process.once("SIGINT", () => {
  console.log("\ninterrupted: tearing down");
  teardown().finally(() => process.exit(130));
});
try {
  await demo();
} catch (e) {
  failed = true;
  console.error(`\n✗ ${(e as Error).stack ?? e}`);
}
step("teardown: both hub processes stopped, both PostgreSQL servers stopped and their directories removed");
await teardown();
process.exit(failed ? 1 : 0);

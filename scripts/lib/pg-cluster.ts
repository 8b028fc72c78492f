import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A private, throw-away PostgreSQL cluster for tests and demos: its own data directory, port and
 * socket, so stopping and starting it never touches the shared server that TEST_DATABASE_URL points
 * at. startStandby() adds a hot standby that streams from it (test/db/replicas.test.ts,
 * scripts/replica-demo.ts).
 *
 * PostgreSQL refuses to run as root: when the tests run as root the binaries run as the `postgres`
 * OS user through `runuser` (the temp directory is handed to that user first); otherwise they run
 * as the current user (a CI runner).
 */
export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  dataDir: string;
  running: boolean;
  start(): Promise<void>;
  /** `fast` rolls back open transactions and closes connections; `immediate` is a crash (recovery from WAL on start) */
  stop(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  /** stops the cluster if it runs and removes its directory */
  destroy(): Promise<void>;
  /** the server log, for failure messages */
  log(): string;
}

/** Where initdb / pg_ctl live: PG_BIN, then the newest /usr/lib/postgresql/<n>/bin, then pg_config --bindir, then PATH. */
export function pgBinDir(): string | null {
  const has = (dir: string) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"));
  if (process.env.PG_BIN) return has(process.env.PG_BIN) ? process.env.PG_BIN : null;
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (has(join(debian, v, "bin"))) return join(debian, v, "bin");
  }
  for (const probe of [() => execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim(), () => execFileSync("sh", ["-c", "dirname $(command -v initdb)"], { encoding: "utf8" }).trim()]) {
    try {
      const dir = probe();
      if (dir && has(dir)) return dir;
    } catch {
      // not installed that way
    }
  }
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return { uid, gid };
}

type Settings = Record<string, string | number>;

/** a PostgreSQL tool, as the `postgres` OS user when we are root (PostgreSQL refuses to run as root) */
function tool(bin: string) {
  return {
    run: (name: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, name), ...args]) : run(join(bin, name), args)),
    runSync: (name: string, args: string[]) => (asRoot ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, name), ...args]) : execFileSync(join(bin, name), args)),
  };
}

/** a new temp directory the server's user owns */
function makeRoot(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(root, uid, gid);
  }
  return root;
}

function binDir(): string {
  const bin = pgBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found: install them or set PG_BIN");
  return bin;
}

/** starts the server in root/data on a free port and returns its handle (root is removed if it will not start) */
async function launch(bin: string, root: string, settings: Settings): Promise<PgCluster> {
  const { run: cmd, runSync: cmdSync } = tool(bin);
  const dataDir = join(root, "data");
  const logFile = join(root, "server.log");
  const port = await freePort();
  const all = { listen_addresses: "127.0.0.1", max_connections: 50, ...settings };
  const serverOpts = [`-p ${port}`, `-k ${root}`, ...Object.entries(all).map(([k, v]) => `-c ${k}=${v}`)].join(" ");

  // a test that dies must not leave a postmaster behind
  const killOnExit = () => {
    try {
      cmdSync("pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"]);
    } catch {
      // already stopped
    }
  };

  const cluster: PgCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    running: false,
    async start() {
      await cmd("pg_ctl", ["-D", dataDir, "-l", logFile, "-o", serverOpts, "-w", "-t", "60", "start"]);
      cluster.running = true;
      process.once("exit", killOnExit);
    },
    async stop(mode = "fast") {
      await cmd("pg_ctl", ["-D", dataDir, "-m", mode, "-w", "-t", "60", "stop"]);
      cluster.running = false;
      process.off("exit", killOnExit);
    },
    async destroy() {
      if (cluster.running) await cluster.stop("immediate").catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : ""),
  };
  try {
    await cluster.start();
  } catch (e) {
    const log = cluster.log();
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(e as Error).message}\n${log}`);
  }
  return cluster;
}

/**
 * initdb + start on a free port; `settings` become `-c name=value` server options. wal_level is
 * `replica` (PostgreSQL's default, said explicitly) so that startStandby can stream from it.
 */
export async function startCluster(opts: { settings?: Settings } = {}): Promise<PgCluster> {
  const bin = binDir();
  const root = makeRoot("anze-pg-");
  try {
    // initdb's pg_hba.conf trusts replication connections from 127.0.0.1 with -A trust
    await tool(bin).run("initdb", ["-D", join(root, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  return launch(bin, root, { wal_level: "replica", ...opts.settings });
}

/**
 * A hot standby of `primary` (which must be running) on its own free port: pg_basebackup -R copies
 * the primary and writes its primary_conninfo and standby.signal, so it starts streaming the WAL and
 * answers read-only queries. Stopping it does not disturb the primary.
 */
export async function startStandby(primary: PgCluster, opts: { settings?: Settings } = {}): Promise<PgCluster> {
  const bin = binDir();
  const root = makeRoot("anze-pg-standby-");
  try {
    await tool(bin).run("pg_basebackup", ["-D", join(root, "data"), "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres", "-R", "-X", "stream", "-c", "fast", "--no-sync"]);
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`pg_basebackup failed: ${(e as Error).message}`);
  }
  return launch(bin, root, { hot_standby: "on", ...opts.settings });
}

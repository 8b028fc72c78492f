import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A private, throw-away PostgreSQL cluster for fault tests: its own data directory, port and socket,
 * so stopping and starting it never touches the shared server that TEST_DATABASE_URL points at.
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

async function freePort(): Promise<number> {
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

/** initdb + start on a free port; `settings` become `-c name=value` server options. */
export async function startCluster(opts: { settings?: Record<string, string | number> } = {}): Promise<PgCluster> {
  const bin = pgBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found: install them or set PG_BIN");
  const root = mkdtempSync(join(tmpdir(), "anze-pg-"));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(root, uid, gid);
  }
  const dataDir = join(root, "data");
  const logFile = join(root, "server.log");
  const cmd = (tool: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]) : run(join(bin, tool), args));
  const cmdSync = (tool: string, args: string[]) => (asRoot ? execFileSync("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]) : execFileSync(join(bin, tool), args));

  await cmd("initdb", ["-D", dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  const settings = { listen_addresses: "127.0.0.1", max_connections: 50, ...opts.settings };
  const serverOpts = [`-p ${port}`, `-k ${root}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(" ");

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

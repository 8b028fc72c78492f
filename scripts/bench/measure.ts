/**
 * Running the servers (a child process each, or in-process for the smoke test), driving them
 * with autocannon, and reading their memory from /proc.
 */
import autocannon from "autocannon";
import { fork, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { startBenchServer, type Counters, type ServerOptions } from "./servers.js";

export interface ServerHandle {
  kind: string;
  url: string;
  pid: number;
  counters(): Promise<Counters>;
  stop(): Promise<void>;
}

export interface Memory {
  /** peak resident set size (VmHWM), MB */
  peakMb: number;
  /** resident set size now (VmRSS), MB */
  rssMb: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
}

/** User + system CPU time of a process so far, ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[11] = utime, fields[12] = stime (fields 14 and 15 of proc(5), counted from the state)
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export async function launch(opts: ServerOptions, how: { inProcess: boolean; cpuProfDir?: string; entry?: string }): Promise<ServerHandle> {
  if (how.inProcess && how.entry) throw new Error("a server from another build runs in its own process only");
  if (how.inProcess) {
    const s = await startBenchServer(opts);
    return { kind: opts.kind, url: s.url, pid: process.pid, counters: async () => s.counters(), stop: () => s.close() };
  }
  const entry = how.entry ?? fileURLToPath(new URL("./server-main.js", import.meta.url));
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run the compiled suite (npm run bench), or use inProcess`);
  const child: ChildProcess = fork(entry, [], {
    env: { ...process.env, BENCH_SERVER_OPTIONS: JSON.stringify(opts), NODE_ENV: "production" },
    execArgv: how.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${how.cpuProfDir}`] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${opts.kind} did not start within 180 s`)), 180_000);
    child.once("exit", (code) => reject(new Error(`${opts.kind} exited with ${code} before it was ready`)));
    child.on("message", (m: { type: string; url?: string; message?: string }) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        resolve(m.url!);
      } else if (m.type === "failed") {
        clearTimeout(timer);
        reject(new Error(`${opts.kind} failed to start: ${m.message}`));
      }
    });
  });
  child.removeAllListeners("exit");
  let next = 0;
  return {
    kind: opts.kind,
    url,
    pid: child.pid!,
    counters: () =>
      new Promise<Counters>((resolve) => {
        const id = ++next;
        const on = (m: { type: string; id?: number; counters?: Counters }) => {
          if (m.type === "counters" && m.id === id) {
            child.off("message", on);
            resolve(m.counters!);
          }
        };
        child.on("message", on);
        child.send({ type: "counters", id });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // requests autocannon abandoned at the end of a run may still be executing: give them a moment
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        setTimeout(() => child.send({ type: "stop" }), 2000);
      }),
  };
}

export interface Request {
  path: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** the server process's CPU time per answered request, ms (null in-process: autocannon shares the process) */
  cpuMsPerRequest: number | null;
  /** the machine's 1-minute load average at the end of the run */
  loadAvg1?: number;
}

/**
 * autocannon for `seconds` at `connections` (or, with `perConnection`, that many requests per
 * connection: the smoke mode). CPU of the server process `pid` per answered request.
 */
export async function load(url: string, req: Request, connections: number, seconds: number, pid?: number, perConnection?: number): Promise<LoadResult> {
  const cpu0 = pid !== undefined && pid !== process.pid ? cpuMsOf(pid) : null;
  const base = { url: url + req.path, method: req.method, headers: req.headers, body: req.body, connections, timeout: 120 };
  let r = await autocannon(perConnection ? { ...base, amount: perConnection * connections } : { ...base, duration: seconds });
  // a run shorter than one answer (the smoke mode's 1 s on a busy machine) completes nothing:
  // then one request per connection, so that every measurement has at least a sample
  if (!r["2xx"] && !r.errors && !r.non2xx) r = await autocannon({ ...base, amount: connections });
  const ok = r["2xx"] ?? r.requests.total;
  return {
    connections,
    seconds: r.duration,
    requests: ok,
    rps: ok / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    cpuMsPerRequest: cpu0 === null ? null : (cpuMsOf(pid!) - cpu0) / Math.max(1, ok),
    loadAvg1: os.loadavg()[0],
  };
}

/**
 * Requests one after another for `seconds` (at least `minCount`): for slow requests (the
 * quarterly report at full scale takes seconds), where a fixed-duration autocannon run would end
 * with nothing answered. Latency percentiles from the individual timings.
 */
export async function sequential(url: string, req: Request, seconds: number, minCount: number, pid?: number): Promise<LoadResult> {
  const cpu0 = pid !== undefined && pid !== process.pid ? cpuMsOf(pid) : null;
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minCount || performance.now() - started < seconds * 1000) {
    const t = performance.now();
    await call(url, req);
    times.push(performance.now() - t);
  }
  const elapsed = (performance.now() - started) / 1000;
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  return {
    connections: 1,
    seconds: elapsed,
    requests: times.length,
    rps: times.length / elapsed,
    p50: Math.round(pct(50)),
    p99: Math.round(pct(99)),
    errors: 0,
    non2xx: 0,
    cpuMsPerRequest: cpu0 === null ? null : (cpuMsOf(pid!) - cpu0) / times.length,
  };
}

/** One request with fetch: the parsed body, GraphQL errors included (the hub's FORBIDDEN for a refused field); fails on HTTP errors. */
export async function callAnswer(url: string, req: Request): Promise<any> {
  const res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${req.method} ${req.path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** One request with fetch: the parsed body, failing loudly on HTTP or GraphQL errors. */
export async function call(url: string, req: Request): Promise<any> {
  const res = await fetch(url + req.path, { method: req.method, headers: req.headers, body: req.body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${req.method} ${req.path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text);
  if (body?.errors?.length) throw new Error(`${req.method} ${req.path}: ${JSON.stringify(body.errors).slice(0, 800)}`);
  return body;
}

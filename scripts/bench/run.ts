/**
 * npm run bench [-- options]: the benchmark suite. See BENCHMARKS.md for what it measures.
 *
 * Every shape (a)–(h) of shapes.ts as every role (a sector department, an insurer, the committee
 * office), through each server (the hub, PostGraphile v5 with a scope function per relation, the SQL
 * floor), at 1 and 32 connections (and 8 for the audited shape b); then quarterlyReport and
 * filePolicies ingest. Default: about 20 minutes at full scale (5 s per measurement, 1 round).
 *
 *   --shapes a,c            only these shapes (default a,b,c,d,e,f,g,h)
 *   --roles department      only these roles: department, insurer, committee (default all three)
 *   --duration S            seconds per measurement (default 5; alias --seconds)
 *   --warmup S              seconds at 8 connections before each shape × role is measured (default 1; 0 = none)
 *   --rounds R              rounds, servers interleaved (default 1); figures are the median
 *   --connections 1,32      connection counts for every shape
 *   --audited-connections 8 extra connection counts for the audited shape (b) (its scaling goal)
 *   --smoke                 tiny data set (2,000 enterprises), every shape once per role through each server with answers
 *                           compared, 2 requests per connection instead of a duration, one ingest batch of 100,
 *                           nothing written unless --out
 *   --scale F               every data-set size × F (default 1: 200k / 300k / 50k / 1M)
 *   --enterprises N --policies N --claims N --services N
 *   --report-seconds S      seconds of quarterlyReport per agency (default 5; 0 = skip)
 *   --ingest-batches N      filePolicies batches (default 2; 0 = skip)
 *   --batch-size N          policies per filePolicies call (default 500; 100 with --smoke)
 *   --pool N                database pool size of every server (default 10)
 *   --servers floor,postgraphile,hub   (default); also hub-no-rules, hub-shield
 *   --port N                first port of the servers (default 4301; server i listens on N + i)
 *   --database NAME         default anze_bench (anze_bench_smoke with --smoke)
 *   --database-url URL      an admin URL on the server (default $BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres)
 *   --reload                load the data set again even if it is there
 *   --before DIR            also measure the hub of another build (DIR/dist/scripts/bench/server-main.js, e.g. an
 *                           unpacked `git archive HEAD` with scripts/bench copied in and compiled) as "hub-before"
 *   --before-label TEXT     what that build is, for BENCHMARKS.md
 *   --cpu-prof DIR          write a V8 CPU profile of the hub (field rules on, round 1) into DIR
 *   --render FILE [DIR]     only write BENCHMARKS.md (and the JSON) again from a saved bench-results.json
 *   --out DIR               where BENCHMARKS.md and bench-results.json go (default: the current directory; with --smoke: nowhere)
 */
import "reflect-metadata";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_PARAMS, type DataSetParams } from "./load.js";
import { goals, renderMarkdown } from "./report.js";
import type { ServerKind } from "./servers.js";
import { ROLE_KEYS, SHAPE_IDS, type RoleKey, type ShapeId } from "./shapes.js";
import { runBench, type BenchOptions, type BenchResults } from "./suite.js";

export const SMOKE_PARAMS: DataSetParams = { enterprises: 2000, policies: 3000, claims: 500, services: 10_000 };
const KINDS: ServerKind[] = ["floor", "postgraphile", "hub", "hub-no-rules", "hub-shield", "hub-before"];

export function benchOptions(argv: string[], log: (s: string) => void = console.log): BenchOptions & { out: string | null } {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      smoke: { type: "boolean", default: false },
      scale: { type: "string" },
      enterprises: { type: "string" },
      policies: { type: "string" },
      claims: { type: "string" },
      services: { type: "string" },
      seconds: { type: "string" },
      duration: { type: "string" },
      shapes: { type: "string" },
      roles: { type: "string" },
      "audited-connections": { type: "string" },
      port: { type: "string" },
      warmup: { type: "string" },
      "report-seconds": { type: "string" },
      rounds: { type: "string" },
      connections: { type: "string" },
      "ingest-batches": { type: "string" },
      "batch-size": { type: "string" },
      pool: { type: "string" },
      servers: { type: "string" },
      database: { type: "string" },
      "database-url": { type: "string" },
      reload: { type: "boolean", default: false },
      "cpu-prof": { type: "string" },
      before: { type: "string" },
      "before-label": { type: "string" },
      out: { type: "string" },
      "in-process": { type: "boolean", default: false },
    },
  });
  const num = (s: string | undefined, d: number, name: string) => {
    if (s === undefined) return d;
    const n = Number(s);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got ${s}`);
    return n;
  };
  const smoke = v.smoke!;
  const counts = (s: string) => s.split(",").filter(Boolean).map((c) => Math.max(1, Math.round(Number(c))));
  const list = (s: string | undefined, all: readonly string[], what: string) => {
    if (s === undefined) return [...all];
    const xs = s.split(",").map((x) => x.trim()).filter(Boolean);
    for (const x of xs) if (!all.includes(x)) throw new Error(`unknown ${what} ${x}; one of ${all.join(", ")}`);
    return all.filter((x) => xs.includes(x));
  };
  const base = smoke ? SMOKE_PARAMS : DEFAULT_PARAMS;
  const scale = num(v.scale, 1, "scale");
  const size = (k: keyof DataSetParams) => Math.max(1, Math.round(num(v[k], base[k] * scale, k)));
  const params: DataSetParams = { enterprises: size("enterprises"), policies: size("policies"), claims: size("claims"), services: size("services") };
  // the hub against its peers; the former designs and the rules-off hub on request (--servers)
  const defaults: ServerKind[] = ["floor", "postgraphile", "hub"];
  const servers = (v.servers ?? defaults.join(",")).split(",").map((s) => s.trim()) as ServerKind[];
  for (const s of servers) if (!KINDS.includes(s)) throw new Error(`unknown server ${s}; one of ${KINDS.join(", ")}`);
  if (v.before && !servers.includes("hub-before")) servers.push("hub-before");
  if (!v.before && servers.includes("hub-before")) throw new Error("hub-before needs --before DIR");
  // the floor first: the others are compared with its answer
  servers.sort((a, b) => KINDS.indexOf(a) - KINDS.indexOf(b));
  const isDefault = Object.keys(params).every((k) => params[k as keyof DataSetParams] === DEFAULT_PARAMS[k as keyof DataSetParams]);
  return {
    baseUrl: v["database-url"] ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    database: v.database ?? (smoke ? "anze_bench_smoke" : isDefault ? "anze_bench" : `anze_bench_${params.enterprises}`),
    params,
    seconds: num(v.duration ?? v.seconds, smoke ? 1 : 5, "duration"),
    warmupSeconds: num(v.warmup, smoke ? 0 : 1, "warmup"),
    reportSeconds: num(v["report-seconds"], smoke ? 1 : 5, "report-seconds"),
    rounds: Math.max(1, Math.round(num(v.rounds, 1, "rounds"))),
    connections: counts(v.connections ?? "1,32"),
    auditedConnections: counts(v["audited-connections"] ?? "8"),
    shapes: list(v.shapes, SHAPE_IDS, "shape") as ShapeId[],
    roles: list(v.roles, ROLE_KEYS, "role") as RoleKey[],
    requestsPerConnection: smoke ? 2 : undefined,
    basePort: Math.round(num(v.port, 4301, "port")),
    ingestBatches: Math.round(num(v["ingest-batches"], smoke ? 1 : 2, "ingest-batches")),
    batchSize: Math.max(1, Math.round(num(v["batch-size"], smoke ? 100 : 500, "batch-size"))),
    poolSize: Math.max(1, Math.round(num(v.pool, 10, "pool"))),
    inProcess: v["in-process"]!,
    servers,
    cpuProfDir: v["cpu-prof"],
    beforeEntry: v.before ? join(v.before, "dist/scripts/bench/server-main.js") : undefined,
    beforeLabel: v["before-label"] ?? v.before,
    reload: v.reload,
    smoke,
    log,
    out: v.out ?? (smoke ? null : process.cwd()),
  };
}

/** scripts/bench/ANALYSIS.md, found from src (vitest) or dist (node). */
export function analysisText(): string {
  for (const rel of ["./ANALYSIS.md", "../../../scripts/bench/ANALYSIS.md"]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return readFileSync(p, "utf8");
  }
  return "";
}

export function writeResults(res: BenchResults, out: string, command: string): void {
  writeFileSync(join(out, "bench-results.json"), JSON.stringify({ ...res, command, goals: goals(res) }, null, 2) + "\n");
  writeFileSync(join(out, "BENCHMARKS.md"), renderMarkdown(res, analysisText(), command));
}

async function main() {
  const argv = process.argv.slice(2);
  // --render FILE: BENCHMARKS.md again from a saved bench-results.json (after editing ANALYSIS.md)
  if (argv[0] === "--render") {
    const saved = JSON.parse(readFileSync(argv[1], "utf8")) as BenchResults & { command?: string };
    const out = argv[2] ?? process.cwd();
    writeResults(saved, out, saved.command ?? "npm run bench");
    console.log(`wrote ${join(out, "BENCHMARKS.md")} and bench-results.json`);
    return;
  }
  const opts = benchOptions(argv);
  const res = await runBench(opts);
  console.log("");
  for (const g of goals(res)) console.log(`${g.met == null ? "n/a   " : g.met ? "met   " : "MISSED"}  ${g.goal}: ${g.measured}`);
  if (opts.out) {
    writeResults(res, opts.out, `npm run bench${argv.length ? " -- " + argv.join(" ") : ""}`);
    console.log(`\nwrote ${join(opts.out, "BENCHMARKS.md")} and bench-results.json`);
  }
}

// run as a script (node dist/scripts/bench/run.js), not when imported by the smoke test
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

/**
 * BENCHMARKS.md from the measured results: machine, versions, data set, commands, the results
 * tables with ratios, the goals of issue 6 met or missed, and the hand-written analysis
 * (scripts/bench/ANALYSIS.md: causes found by profiling, before/after of each change).
 */
import type { LoadResult } from "./measure.js";
import type { ServerKind } from "./servers.js";
import { SERVER_LABEL, type BenchResults } from "./suite.js";

const median = (xs: number[]) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "–");
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "–");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : "–");

export interface Summary {
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  /** server CPU ms per request (child processes only) */
  cpu: number;
  runs: number;
}

export function summarize(runs: LoadResult[]): Summary {
  return {
    rps: median(runs.map((r) => r.rps)),
    rpsMin: Math.min(...runs.map((r) => r.rps)),
    rpsMax: Math.max(...runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpu: median(runs.flatMap((r) => (r.cpuMsPerRequest == null ? [] : [r.cpuMsPerRequest]))),
    runs: runs.length,
  };
}

export function nestedSummary(res: BenchResults, kind: ServerKind, c: number): Summary | null {
  const runs = res.nested[kind]?.runs.filter((r) => r.connections === c) ?? [];
  return runs.length ? summarize(runs) : null;
}

export interface Goal {
  id: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

export function goals(res: BenchResults): Goal[] {
  const out: Goal[] = [];
  const conns = res.options.connections;
  for (const c of conns) {
    const hub = nestedSummary(res, "hub", c);
    const pgl = nestedSummary(res, "postgraphile", c);
    const floor = nestedSummary(res, "floor", c);
    if (hub && pgl)
      out.push({
        id: `a-rps-c${c}`,
        goal: `(a) rules on: req/s ≥ PostGraphile's at ${c} connection${c > 1 ? "s" : ""}`,
        measured: `${f1(hub.rps)} vs ${f1(pgl.rps)} req/s (${ratio(hub.rps, pgl.rps)})${Number.isFinite(hub.cpu) ? `; server CPU ${f1(hub.cpu)} vs ${f1(pgl.cpu)} ms/request` : ""}`,
        met: hub.rps >= pgl.rps,
      });
    if (hub && floor) out.push({ id: `a-p50-c${c}`, goal: `(a) rules on: p50 ≤ 2× the SQL floor's at ${c} connection${c > 1 ? "s" : ""}`, measured: `${f1(hub.p50)} ms vs ${f1(floor.p50)} ms (${ratio(hub.p50, floor.p50)})`, met: hub.p50 <= 2 * floor.p50 });
  }
  const st = res.nested.hub?.statementsPerRequest;
  if (st != null) out.push({ id: "a-statements", goal: "(a) ≤ 5 SQL statements per request", measured: f1(st), met: st <= 5 });
  for (const rep of res.reports) {
    if (!rep.hub.length) continue;
    const hub = summarize(rep.hub);
    out.push({ id: `c-abs-${rep.agencyId}`, goal: `(c) quarterlyReport ${rep.agencyId}: p50 ≤ 300 ms`, measured: `${f0(hub.p50)} ms`, met: hub.p50 <= 300 });
    if (rep.floor.length) {
      const floor = summarize(rep.floor);
      out.push({ id: `c-rel-${rep.agencyId}`, goal: `(c) quarterlyReport ${rep.agencyId}: p50 ≤ 1.5× the SQL`, measured: `${f0(hub.p50)} vs ${f0(floor.p50)} ms (${ratio(hub.p50, floor.p50)})`, met: hub.p50 <= 1.5 * floor.p50 });
    }
  }
  if (res.ingest.length) {
    const ps = median(res.ingest.map((r) => r.perSecond));
    out.push({ id: "d", goal: "(d) filePolicies ≥ 5,000 policies/s", measured: `${f0(ps)} policies/s`, met: ps >= 5000 });
  }
  for (const c of conns) {
    const on = nestedSummary(res, "hub", c);
    const off = nestedSummary(res, "hub-no-rules", c);
    if (on && off) {
      // the server's CPU per request is the cost itself; req/s on 2 shared cores moves with the neighbours
      const byCpu = Number.isFinite(on.cpu) && Number.isFinite(off.cpu);
      const overhead = byCpu ? on.cpu / off.cpu - 1 : off.rps / on.rps - 1;
      out.push({
        id: `e-c${c}`,
        goal: `(e) field rules cost ≤ 15% at ${c} connection${c > 1 ? "s" : ""} (${byCpu ? "server CPU per request" : "req/s"}, rules on vs off)`,
        measured: `${(overhead * 100).toFixed(1)}% (${byCpu ? `${f1(on.cpu)} vs ${f1(off.cpu)} ms CPU; ` : ""}${f1(on.rps)} vs ${f1(off.rps)} req/s)`,
        met: overhead <= 0.15,
      });
    }
  }
  const peak = res.nested.hub?.peakMb;
  if (peak?.length) {
    const m = Math.max(...peak);
    out.push({ id: "f", goal: `(f) hub peak RSS ≤ 200 MB under ${Math.max(...conns)} connections`, measured: res.options.inProcess ? `${f0(m)} MB (in-process: not the hub alone)` : `${f0(m)} MB`, met: res.options.inProcess ? null : m <= 200 });
  }
  return out;
}

export function renderMarkdown(res: BenchResults, analysis: string, command: string): string {
  const m = res.machine;
  const L: string[] = [];
  L.push("# BENCHMARKS", "");
  L.push(
    `Generated by \`${command}\` (scripts/bench/) on ${res.finishedAt.slice(0, 16).replace("T", " ")} UTC; the tables below are this run's numbers, the analysis at the end is hand-written. Raw numbers: bench-results.json.`,
    "",
  );
  L.push(
    "> **Noise.** The machine has 2 cores, shared during this run with other engineers' test runs (load average " +
      `${m.loadAvgAtStart.map((x) => x.toFixed(1)).join(" / ")} at the start, ${m.loadAvgAtEnd.map((x) => x.toFixed(1)).join(" / ")} at the end), ` +
      "and autocannon, PostgreSQL and the server under test share those cores too. Every figure is the median of " +
      `${res.options.rounds} round${res.options.rounds > 1 ? "s" : ""} (servers interleaved, one at a time; the req/s range is shown); compare servers within a run, not across runs.`,
    "",
  );
  L.push("## Machine and versions", "");
  L.push(`- ${m.nproc} cores (\`nproc\`), ${m.cpu}, ${m.ramGb.toFixed(1)} GB RAM`);
  L.push(`- Node ${m.node}; ${m.postgres.split(" on ")[0]}`);
  L.push(`- ${Object.entries(res.versions).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  L.push(
    "- PostGraphile 5.1 declares Node ≥ 22; on this Node 20 the bench server adds the one missing built-in it hits (`Promise.withResolvers`). Its numbers on Node 22 may differ.",
    "",
  );

  L.push("## Data set", "");
  const p = res.dataSet.params;
  L.push(
    `${p.enterprises.toLocaleString("en")} enterprises, ${p.policies.toLocaleString("en")} policies, ${p.claims.toLocaleString("en")} claims, ${p.services.toLocaleString("en")} prevention services over two policy years (2025, 2026), all in Chongqing's six demo districts; the registry (regions, agencies, 12 insurers, service orgs) is the demo's. ` +
      "Generated inside PostgreSQL (generate_series + INSERT … SELECT, hash-based distribution, valid USCC check characters computed in SQL), so the same parameters give the same rows. Database `" +
      res.dataSet.database +
      "`.",
    "",
  );
  L.push("| table | rows |", "|---|---:|");
  for (const [t, n] of Object.entries(res.dataSet.rows)) L.push(`| ${t} | ${n.toLocaleString("en")} |`);
  L.push("");
  L.push(res.dataSet.reused ? "Load: reused an earlier load with the same parameters (`--reload` forces a new one)." : `Load time: **${(res.dataSet.loadMs / 1000).toFixed(1)} s** (${res.dataSet.steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join(", ")}).`);
  L.push("");

  L.push("## Commands", "");
  L.push("```sh", "npm run bench                                   # full scale, 2 rounds, 10 s per measurement; writes BENCHMARKS.md + bench-results.json", "npm run bench -- --smoke                        # tiny data set, 1 s runs (what CI's smoke test runs)", "npm run bench -- --scale 0.1 --rounds 3         # 20,000 enterprises …; or --enterprises N --policies N --claims N --services N", "npm run bench -- --cpu-prof /tmp/prof           # also write a V8 CPU profile of the hub (rules on)", "```", "");
  L.push(
    `Options of this run: ${res.options.seconds} s per measurement after a ${res.options.warmupSeconds} s warm-up at 8 connections, connections ${res.options.connections.join(" and ")}, ${res.options.reportSeconds} s of reports, ingest ${res.options.ingestBatches} × ${res.options.batchSize}, pool size ${res.options.poolSize} for every server, ${res.options.inProcess ? "servers in-process" : "each server in its own child process"}.`,
    "",
  );

  L.push("## (a, b, e) The nested read", "");
  L.push(
    `As ${"`500000-EMERGENCY`"} (a sector department: Chongqing, 4 sectors): 50 enterprises → policies → claims → payments, and → prevention services → hazards. ` +
      "The floor is one hand-written, prepared SQL statement that returns the same JSON (with the same row scoping on every level) behind a bare node:http server; the hub answers this query through its read planner (src/graphql/plan: one prepared statement compiled from the query, field rules checked per request); PostGraphile gets an equivalent query against the schema it derives from the tables (its row scope: a STABLE SQL function).",
    "",
  );
  const counts = res.nested.floor?.counts ?? res.nested.hub?.counts;
  if (counts) L.push(`One response: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(", ")}.`, "");
  L.push("| server | conns | req/s (median; range) | p50 ms | p99 ms | server CPU ms / request | statements / request | round trips / request | req/s vs PostGraphile | req/s vs floor | p50 vs floor | same rows as floor |");
  L.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  const kinds: ServerKind[] = ["floor", "postgraphile", "hub", "hub-no-rules", "hub-shield", "hub-before"];
  for (const c of res.options.connections) {
    const pgl = nestedSummary(res, "postgraphile", c);
    const floor = nestedSummary(res, "floor", c);
    for (const k of kinds) {
      const s = nestedSummary(res, k, c);
      const n = res.nested[k];
      if (!s || !n) continue;
      L.push(
        `| ${SERVER_LABEL[k]} | ${c} | ${f1(s.rps)} (${f1(s.rpsMin)}–${f1(s.rpsMax)}) | ${f1(s.p50)} | ${f1(s.p99)} | ${f1(s.cpu)} | ${n.statementsPerRequest == null ? "–" : f1(n.statementsPerRequest)} | ${f1(n.roundTripsPerRequest)} | ${pgl ? ratio(s.rps, pgl.rps) : "–"} | ${floor ? ratio(s.rps, floor.rps) : "–"} | ${floor ? ratio(s.p50, floor.p50) : "–"} | ${n.sameAsFloor == null ? "–" : n.sameAsFloor ? "yes" : "**no**"} |`,
      );
    }
  }
  L.push(
    "",
    "The hub rows: *field rules on* is what `npm start` serves (buildHubSchema); *field rules off* is the same hub, planner included, without any field rule (buildUnruledSchemaForBench, a bench-only server), for (e); " +
      "*shield on every field (before)* is today's resolvers with the former permission layer (graphql-shield middleware on every field, buildShieldSchema) and no read planner" +
      (res.nested["hub-before"] ? `; *before issue-6 changes* is the hub as committed at ${res.options.beforeLabel ?? "the given build"} (shield on every field, one bind parameter per DataLoader key, 6 statements), run from its own build in the same rounds.` : "."),
  );
  L.push(
    "",
    "Server CPU = user + system time of the server's own process (/proc/<pid>/stat) during the run ÷ answered requests: less sensitive to the shared cores than req/s (PostgreSQL's own CPU is not in it). " +
      "Statements = what the hub's drizzle sends (database.stats); round trips = every pg `Client.query`, BEGIN/COMMIT included (the floor sends 1).",
    "",
  );

  L.push("## (c) quarterlyReport", "");
  L.push(
    `Year 2025, quarter 3, requests one after another for ${res.options.reportSeconds} s (at least 3): the hub over HTTP/GraphQL (every figure selected) against the same figures computed by src/modules/reporting/figures.ts's SQL in one REPEATABLE READ transaction behind the bare node:http server (the SQL column: no GraphQL, no HTTP framework, and never cached). The hub keeps the figures it computed and reuses them until a write can have changed that quarter (src/modules/reporting/cache.ts, migration 0003), so its column is the steady state of repeated reads and the SQL column is what the first read after a write costs.`,
    "",
  );
  L.push("| report | hub p50 ms | hub p99 ms | SQL p50 ms | hub ÷ SQL | hub statements | same figures | withheld by the small-cell rule |", "|---|---:|---:|---:|---:|---:|---|---:|");
  for (const rep of res.reports) {
    if (!rep.hub.length) continue;
    const h = summarize(rep.hub);
    const s = rep.floor.length ? summarize(rep.floor) : null;
    L.push(`| ${rep.agencyId} | ${f0(h.p50)} | ${f0(h.p99)} | ${s ? f0(s.p50) : "–"} | ${s ? ratio(h.p50, s.p50) : "–"} | ${rep.hubStatementsPerRequest == null ? "–" : f0(rep.hubStatementsPerRequest)} | ${rep.sameFigures == null ? "–" : rep.sameFigures ? "yes" : "**no**"} | ${rep.withheld ?? "–"} |`);
  }
  L.push("", "Same figures: every figure the hub returns equals the SQL's; the ones the small-cell rule withholds from a reader without trade-secret rights (null in the hub's answer) are left out of the comparison.", "");

  L.push("## (d) Ingest: filePolicies", "");
  L.push("| run | policies | batches of | seconds | policies/s | statements / policy | findings |", "|---:|---:|---:|---:|---:|---:|---:|");
  res.ingest.forEach((r, i) => L.push(`| ${i + 1} | ${r.policies} | ${res.options.batchSize} | ${f2(r.ms / 1000)} | ${f0(r.perSecond)} | ${f1(r.statementsPerPolicy)} | ${r.findings} |`));
  L.push("", "New 2027 policies (with a service plan) for existing enterprises, full validation, idempotency keys and compliance findings; removed again after each run.", "");

  L.push("## (f) Peak memory", "");
  L.push("| server | RSS after start-up MB | peak RSS (VmHWM) MB, per round |", "|---|---|---|");
  for (const k of kinds) if (res.nested[k]?.peakMb.length) L.push(`| ${SERVER_LABEL[k]} | ${res.nested[k]!.startMb.map(f0).join(", ")} | ${res.nested[k]!.peakMb.map(f0).join(", ")} |`);
  L.push("", res.options.inProcess ? "In-process run: these are the test process, not a server alone." : "VmHWM of the server's own process after its load runs (32 connections included).", "");

  L.push("## Goals of issue 6", "");
  L.push("| goal | measured | |", "|---|---|---|");
  for (const g of goals(res)) L.push(`| ${g.goal} | ${g.measured} | ${g.met == null ? "n/a" : g.met ? "met" : "**missed**"} |`);
  L.push("");
  if (analysis.trim()) L.push(analysis.trim(), "");
  return L.join("\n");
}

/**
 * BENCHMARKS.md from the measured results: machine, versions, data set, commands, one table per
 * shape (CPU ms per request first, then req/s, p50, p99, statements per request and the load
 * average of each run), answers compared, the goals met or missed, and the hand-written analysis
 * (scripts/bench/ANALYSIS.md).
 */
import type { LoadResult } from "./measure.js";
import type { ServerKind } from "./servers.js";
import { ROLES, shapeById, type RoleKey, type ShapeId } from "./shapes.js";
import { SERVER_LABEL, type BenchResults, type ShapeResult } from "./suite.js";

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

export function shapeResult(res: BenchResults, shape: ShapeId, role: RoleKey, server: ServerKind): ShapeResult | undefined {
  return res.shapes.find((r) => r.shape === shape && r.role === role && r.server === server);
}

export function shapeSummary(res: BenchResults, shape: ShapeId, role: RoleKey, server: ServerKind, c: number): Summary | null {
  const runs = shapeResult(res, shape, role, server)?.runs.filter((r) => r.connections === c) ?? [];
  return runs.length ? summarize(runs) : null;
}

export interface Goal {
  id: string;
  goal: string;
  measured: string;
  met: boolean | null;
}

/** shape × role pairs measured, in order */
function pairs(res: BenchResults): { shape: ShapeId; role: RoleKey }[] {
  const out: { shape: ShapeId; role: RoleKey }[] = [];
  for (const r of res.shapes) if (!out.some((p) => p.shape === r.shape && p.role === r.role)) out.push({ shape: r.shape, role: r.role });
  return out;
}

export function goals(res: BenchResults): Goal[] {
  const out: Goal[] = [];
  const conns = res.options.connections;
  const timed = !res.options.requestsPerConnection;
  for (const { shape, role } of pairs(res)) {
    const tag = `(${shape}) ${role}`;
    const hub = shapeResult(res, shape, role, "hub");
    if (hub?.statementsPerRequest != null)
      out.push({ id: `stmts-${shape}-${role}`, goal: `${tag}: ≤ 2 statements per request`, measured: f1(hub.statementsPerRequest), met: hub.statementsPerRequest <= 2 });
    for (const c of conns) {
      const h = shapeSummary(res, shape, role, "hub", c);
      const p = shapeSummary(res, shape, role, "postgraphile", c);
      const f = shapeSummary(res, shape, role, "floor", c);
      if (h && p && Number.isFinite(h.cpu) && Number.isFinite(p.cpu))
        out.push({ id: `cpu-${shape}-${role}-c${c}`, goal: `${tag}, ${c} conn: hub CPU/request ≤ 0.6× PostGraphile's`, measured: `${f2(h.cpu)} vs ${f2(p.cpu)} ms (${ratio(h.cpu, p.cpu)})`, met: timed ? h.cpu <= 0.6 * p.cpu : null });
      if (h && p)
        out.push({ id: `rps-${shape}-${role}-c${c}`, goal: `${tag}, ${c} conn: hub req/s ≥ 1.5× PostGraphile's`, measured: `${f1(h.rps)} vs ${f1(p.rps)} (${ratio(h.rps, p.rps)})`, met: timed ? h.rps >= 1.5 * p.rps : null });
      if (h && f)
        out.push({ id: `p50-${shape}-${role}-c${c}`, goal: `${tag}, ${c} conn: hub p50 ≤ 1.5× the floor's`, measured: `${f1(h.p50)} vs ${f1(f.p50)} ms (${ratio(h.p50, f.p50)})`, met: timed ? h.p50 <= 1.5 * f.p50 : null });
    }
    if (shapeById(shape).audited && shape === "b") {
      const one = shapeSummary(res, shape, role, "hub", 1);
      for (const c of res.options.auditedConnections) {
        const many = shapeSummary(res, shape, role, "hub", c);
        if (one && many)
          out.push({ id: `scale-${shape}-${role}-c${c}`, goal: `${tag}: hub at ${c} conn ≥ 3× its 1-conn req/s`, measured: `${f1(many.rps)} vs ${f1(one.rps)} (${ratio(many.rps, one.rps)})`, met: timed ? many.rps >= 3 * one.rps : null });
      }
    }
  }
  const peak = res.memory.hub?.peakMb;
  if (peak?.length) {
    const m = Math.max(...peak);
    out.push({ id: "rss", goal: "hub peak RSS ≤ 200 MB through the suite", measured: res.options.inProcess ? `${f0(m)} MB (in-process: not the hub alone)` : `${f0(m)} MB`, met: res.options.inProcess ? null : m <= 200 });
  }
  for (const rep of res.reports) {
    if (!rep.hub.length) continue;
    const hub = summarize(rep.hub);
    out.push({ id: `report-${rep.agencyId}`, goal: `quarterlyReport ${rep.agencyId}: p50 ≤ 300 ms (cached)`, measured: `${f0(hub.p50)} ms`, met: timed ? hub.p50 <= 300 : null });
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

  L.push("## How to run", "");
  L.push(
    "```sh",
    "npm run bench                                          # every shape × role × server, full scale, 5 s per measurement, 1 round (~20 min); writes BENCHMARKS.md + bench-results.json",
    "npm run bench -- --shapes a,c --roles department       # narrow it: shapes a–h; roles department, insurer, committee",
    "npm run bench -- --duration 10 --rounds 2              # longer measurements, median of 2 rounds (servers interleaved)",
    "npm run bench -- --connections 1,32 --audited-connections 8",
    "npm run bench -- --smoke                               # tiny data set, every shape once per role through each server, answers compared (CI)",
    "npm run bench -- --scale 0.1                           # 20,000 enterprises …; or --enterprises N --policies N --claims N --services N",
    "npm run bench -- --servers floor,postgraphile,hub,hub-no-rules   # add the hub without field rules (or hub-shield)",
    "npm run bench -- --report-seconds 0 --ingest-batches 0 # shapes only",
    "npm run bench -- --cpu-prof /tmp/prof                  # also write a V8 CPU profile of the hub",
    "```",
    "",
    "All options: the header of scripts/bench/run.ts. Servers listen on ports 4301 and up (`--port`).",
    "",
  );
  L.push(
    `Options of this run: ${res.options.requestsPerConnection ? `${res.options.requestsPerConnection} requests per connection (smoke: no timing)` : `${res.options.seconds} s per measurement`}` +
      `${res.options.warmupSeconds ? ` after a ${res.options.warmupSeconds} s warm-up at 8 connections` : ""}, connections ${res.options.connections.join(" and ")} (and ${res.options.auditedConnections.join(", ")} for the audited shape b), ` +
      `${res.options.rounds} round${res.options.rounds > 1 ? "s" : ""}, ${res.options.reportSeconds} s of reports, ingest ${res.options.ingestBatches} × ${res.options.batchSize}, pool size ${res.options.poolSize} for every server, ${res.options.inProcess ? "servers in-process" : "each server in its own child process"}.`,
    "",
  );

  L.push("## The suite: shapes × roles × servers", "");
  L.push(
    "Each shape is written three times (scripts/bench/shapes.ts): the hub's GraphQL document; PostGraphile v5's equivalent document against the schema it derives from the tables, " +
      "with the row scope as a STABLE SQL function per relation (every level, the role's scope passed as arguments; scripts/bench/pgl-scope.ts) and aliases that give its answer the hub's shape; " +
      "and the floor, one hand-written prepared SQL statement per shape and role that returns the hub's JSON (row scope inlined as src/auth/scope.ts writes it) behind a bare node:http server. " +
      `Roles: ${Object.values(ROLES).map((r) => r.label).join("; ")}. (g) reads enterprise ${"`"}${res.context?.uscc ?? "?"}${"`"}; OVERDUE is judged on ${res.context?.today ?? "?"}.`,
    "",
  );
  L.push(
    "Columns: **CPU ms/req** = user + system time of the server's own process (/proc/<pid>/stat) ÷ answered requests (PostgreSQL's CPU is not in it; the least noisy figure on shared cores); " +
      "**stmts/req** = the hub's drizzle statements (database.stats), or for PostGraphile and the floor their pg round trips (each is one statement; BEGIN/COMMIT would count); " +
      "**load** = the machine's 1-minute load average at the end of that measurement; **same as floor** = the answer's data equals the floor's after normalisation (arrays as sets, instants in UTC, decimals as numbers).",
    "",
  );
  const kinds = [...new Set(res.shapes.map((r) => r.server))];
  const shapeIds = [...new Set(res.shapes.map((r) => r.shape))];
  for (const sid of shapeIds) {
    const shape = shapeById(sid);
    L.push(`### ${shape.title}`, "");
    L.push(`Where the work differs: ${shape.differences}`, "");
    L.push("| role | server | conns | CPU ms/req | req/s (median; range) | p50 ms | p99 ms | stmts/req | load | rows | same as floor |");
    L.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    const roles = [...new Set(res.shapes.filter((r) => r.shape === sid).map((r) => r.role))];
    for (const role of roles) {
      const cs = [...new Set(res.shapes.filter((r) => r.shape === sid && r.role === role).flatMap((r) => r.runs.map((x) => x.connections)))].sort((a, b) => a - b);
      for (const c of cs)
        for (const k of kinds) {
          const r = shapeResult(res, sid, role, k);
          const sm = shapeSummary(res, sid, role, k, c);
          if (!r || !sm) continue;
          const stmts = r.statementsPerRequest ?? r.roundTripsPerRequest;
          const loads = r.runs.filter((x) => x.connections === c).map((x) => x.loadAvg1 ?? NaN);
          const rows = r.counts ? Object.entries(r.counts).map(([p, n]) => `${p.split(".").pop()} ${n}`).join(", ") : "–";
          L.push(
            `| ${role} | ${SERVER_LABEL[k]} | ${c} | **${f2(sm.cpu)}** | ${f1(sm.rps)}${sm.runs > 1 ? ` (${f1(sm.rpsMin)}–${f1(sm.rpsMax)})` : ""} | ${f1(sm.p50)} | ${f1(sm.p99)} | ${f1(stmts)} | ${f1(median(loads))} | ${c === cs[0] ? rows : ""} | ${c !== cs[0] ? "" : r.sameAsFloor == null ? "–" : r.sameAsFloor ? "yes" : "**no**"}${c === cs[0] && r.errorCodes.length ? ` (errors: ${r.errorCodes.join(", ")})` : ""} |`,
          );
        }
    }
    const diffs = res.shapes.filter((r) => r.shape === sid && r.sameAsFloor === false);
    if (diffs.length) {
      L.push("", "Answers that differ from the floor's:", "");
      for (const d of diffs) L.push(`- ${d.role}, ${SERVER_LABEL[d.server]}: \`${(d.difference ?? "").replace(/`/g, "'")}\``);
    }
    L.push("");
  }

  L.push("## quarterlyReport (hub and its SQL)", "");
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

  L.push("## Ingest: filePolicies", "");
  L.push("| run | policies | batches of | seconds | policies/s | statements / policy | findings |", "|---:|---:|---:|---:|---:|---:|---:|");
  res.ingest.forEach((r, i) => L.push(`| ${i + 1} | ${r.policies} | ${res.options.batchSize} | ${f2(r.ms / 1000)} | ${f0(r.perSecond)} | ${f1(r.statementsPerPolicy)} | ${r.findings} |`));
  L.push("", "New 2027 policies (with a service plan) for existing enterprises, full validation, idempotency keys and compliance findings; removed again after each run.", "");

  L.push("## Peak memory", "");
  L.push("| server | RSS after start-up MB | peak RSS (VmHWM) MB through the suite, per round |", "|---|---|---|");
  for (const k of Object.keys(res.memory) as ServerKind[]) if (res.memory[k]?.peakMb.length) L.push(`| ${SERVER_LABEL[k]} | ${res.memory[k]!.startMb.map(f0).join(", ")} | ${res.memory[k]!.peakMb.map(f0).join(", ")} |`);
  L.push("", res.options.inProcess ? "In-process run: these are the test process, not a server alone." : "VmHWM of the server's own process after every shape and role it served (32 connections included).", "");

  L.push("## Goals", "");
  L.push(
    "Every shape ≤ 2 statements per request; hub CPU per request ≤ 0.6× PostGraphile's and req/s ≥ 1.5× PostGraphile's at 1 and at 32 connections; p50 ≤ 1.5× the floor's; the audited shape (b) at 8 connections ≥ 3× its 1-connection rate; peak RSS ≤ 200 MB through the suite. " +
      "Judged on this run's medians" + (res.options.requestsPerConnection ? " (smoke run: no timing goal is judged)." : "; one short run on shared cores: a ratio near its threshold can go either way in the next run."),
    "",
  );
  const gs = goals(res);
  L.push(`${gs.filter((g) => g.met === true).length} met, ${gs.filter((g) => g.met === false).length} missed, ${gs.filter((g) => g.met == null).length} not judged.`, "");
  L.push("| goal | measured | |", "|---|---|---|");
  for (const g of gs) L.push(`| ${g.goal} | ${g.measured} | ${g.met == null ? "n/a" : g.met ? "met" : "**missed**"} |`);
  L.push("");
  if (analysis.trim()) L.push(analysis.trim(), "");
  return L.join("\n");
}

/**
 * The benchmark suite: load (or reuse) the data set, then measure, one server at a time, round
 * after round: every shape (a)–(h) of shapes.ts as every role, through the hub, PostGraphile and
 * the SQL floor (answers compared with the floor's first), each at 1 and 32 connections (and 8 for
 * the audited shape (b)); then the quarterly report against its SQL and filePolicies ingest (hub
 * and floor); and each server's peak RSS through all of it. Returns everything measured; run.ts
 * writes it out.
 */
import "reflect-metadata";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";
import { signToken } from "../../src/auth/token.js";
import { sampleFiling, YEAR_2027 } from "../../src/demo/filing.js";
import { DEMO } from "../../src/demo/ids.js";
import { buildBaseSchema } from "../../src/graphql/schema.js";
import { prepareDatabase, type DataSetParams, type LoadReport } from "./load.js";
import { formatCst } from "../../src/graphql/scalars.js";
import { call, callAnswer, launch, load, memoryOf, sequential, type LoadResult, type Request, type ServerHandle } from "./measure.js";
import { canonical, COMMITTEE_OFFICE, DEPARTMENT, hubReportQuery, INGEST_MUTATION, REPORT_PERIOD } from "./queries.js";
import type { ServerKind } from "./servers.js";
import { normalised, PICK_ENTERPRISE_SQL, ROLES, rowCounts, shapeById, type RoleKey, type ShapeContext, type ShapeId } from "./shapes.js";

export interface BenchOptions {
  /** an admin connection URL; the suite creates its database next to it */
  baseUrl: string;
  database: string;
  params: DataSetParams;
  /** seconds per load measurement */
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  connections: number[];
  /** extra connection counts for the audited shape (b): its scaling goal */
  auditedConnections: number[];
  shapes: ShapeId[];
  roles: RoleKey[];
  /** smoke: a fixed number of requests per connection instead of a duration */
  requestsPerConnection?: number;
  /** first port of the servers' range (each server kind its own port) */
  basePort: number;
  /** seconds of quarterly-report requests per measurement */
  reportSeconds: number;
  ingestBatches: number;
  batchSize: number;
  poolSize: number;
  /** servers in this process instead of a child each (the smoke test) */
  inProcess: boolean;
  servers: ServerKind[];
  /** another build of the hub (its dist/scripts/bench/server-main.js), measured as "hub-before" */
  beforeEntry?: string;
  /** what that build is, for the report (e.g. "HEAD 391785a") */
  beforeLabel?: string;
  /** write a V8 CPU profile of the hub (rules on) here */
  cpuProfDir?: string;
  reload?: boolean;
  /** drop the database at the end (the smoke test: each run its own database) */
  dropAfter?: boolean;
  smoke: boolean;
  log: (line: string) => void;
}

export const SERVER_LABEL: Record<ServerKind, string> = {
  floor: "SQL floor (node:http + 1 statement)",
  postgraphile: "PostGraphile v5",
  hub: "hub (field rules on)",
  "hub-no-rules": "hub (field rules off)",
  "hub-shield": "hub, shield on every field (before)",
  "hub-before": "hub before issue-6 changes",
};

/** One shape as one role through one server. */
export interface ShapeResult {
  shape: ShapeId;
  role: RoleKey;
  server: ServerKind;
  runs: LoadResult[];
  /** drizzle statements per request (the hub); null for servers without drizzle */
  statementsPerRequest: number | null;
  /** pg Client.query calls per request, BEGIN/COMMIT included: PostGraphile's and the floor's statements */
  roundTripsPerRequest: number;
  /** rows per list in the answer */
  counts: Record<string, number> | null;
  /** the same data as the floor's answer, normalised (shapes.ts normalised) */
  sameAsFloor: boolean | null;
  /** error codes in the answer (the hub's FORBIDDEN for a refused field) */
  errorCodes: string[];
  /** where the answer differs from the floor's: the first differing normalised text, for the report */
  difference?: string;
}

export interface ServerMemory {
  /** VmHWM after all its loads, MB, per round */
  peakMb: number[];
  /** VmRSS right after start-up, before any request, MB, per round */
  startMb: number[];
}

export interface ReportResult {
  agencyId: string;
  hub: LoadResult[];
  floor: LoadResult[];
  sameFigures: boolean | null;
  /** figures the small-cell rule withheld from this reader (null in the hub's answer) */
  withheld?: number;
  hubStatementsPerRequest: number | null;
}

export interface IngestRun {
  policies: number;
  accepted: number;
  findings: number;
  ms: number;
  perSecond: number;
  statementsPerPolicy: number;
  batchMs: number[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  mode: "full" | "smoke";
  machine: { nproc: number; cpu: string; ramGb: number; loadAvgAtStart: number[]; loadAvgAtEnd: number[]; node: string; postgres: string };
  versions: Record<string, string>;
  dataSet: { params: DataSetParams; database: string; reused: boolean; loadMs: number; steps: LoadReport["steps"]; rows: Record<string, number> };
  options: Omit<BenchOptions, "log" | "baseUrl">;
  /** the enterprise of shape (g) and the date OVERDUE is judged on */
  context: ShapeContext;
  shapes: ShapeResult[];
  memory: Partial<Record<ServerKind, ServerMemory>>;
  reports: ReportResult[];
  ingest: IngestRun[];
}

const VERSIONED = [
  "@apollo/server", "graphql", "type-graphql", "graphql-shield", "graphql-middleware", "drizzle-orm", "pg", "dataloader",
  "postgraphile", "grafast", "grafserv", "@dataplan/pg", "autocannon",
];

function versions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of VERSIONED) {
    try {
      out[p] = JSON.parse(readFileSync(join(process.cwd(), "node_modules", p, "package.json"), "utf8")).version;
    } catch {
      out[p] = "?";
    }
  }
  return out;
}

const JWT_SECRET = "anze-bench-secret-not-the-demo-one-0123456789";

export async function runBench(o: BenchOptions): Promise<BenchResults> {
  const log = o.log;
  const startedAt = new Date().toISOString();
  const loadAvgAtStart = os.loadavg();
  log(`data set: ${JSON.stringify(o.params)} → database ${o.database}`);
  const loaded = await prepareDatabase({ baseUrl: o.baseUrl, name: o.database, params: o.params, force: o.reload, log });
  log(loaded.reused ? "data set reused" : `data set loaded in ${(loaded.loadMs / 1000).toFixed(1)} s`);
  const url = loaded.url;

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const postgres = (await admin.query("select version() as v")).rows[0].v as string;

  const token = (role: Parameters<typeof signToken>[1]["role"], org: string) => signToken(JWT_SECRET, { sub: "bench", role, org, purpose: "benchmark" }, "12h");
  const deptToken = await token("SECTOR_DEPARTMENT", DEPARTMENT.id);
  const committeeToken = await token("COMMITTEE_OFFICE", COMMITTEE_OFFICE);
  const insurerToken = await token("INSURER", DEMO.insurer);
  const reportQuery = hubReportQuery(await buildBaseSchema());
  const json = { "content-type": "application/json" };
  const roleToken: Record<RoleKey, string> = {
    department: deptToken,
    insurer: insurerToken,
    committee: committeeToken,
  };

  // the per-run context every server gets alike
  const pick = await admin.query<{ uscc: string }>(PICK_ENTERPRISE_SQL, [ROLES.insurer.ins, ROLES.department.prefix, ROLES.department.sectors]);
  const context: ShapeContext = { today: formatCst(new Date()).slice(0, 10), uscc: pick.rows[0]?.uscc ?? "" };
  log(`shape (g) enterprise ${context.uscc}; OVERDUE judged on ${context.today}`);

  const shapeRequest = (kind: ServerKind, id: ShapeId, role: RoleKey): Request => {
    const shape = shapeById(id);
    const r = ROLES[role];
    if (kind === "floor") return { path: `/shape/${id}/${role}?today=${context.today}&uscc=${context.uscc}`, method: "GET" };
    if (kind === "postgraphile") return { path: "/graphql", method: "POST", headers: json, body: JSON.stringify(shape.pgl(r, context)) };
    return { path: "/graphql", method: "POST", headers: { ...json, authorization: `Bearer ${roleToken[role]}` }, body: JSON.stringify(shape.hub(r, context)) };
  };

  const reportAgencies = [COMMITTEE_OFFICE, DEPARTMENT.id];
  const reportRequest = (server: "hub" | "floor", agencyId: string): Request =>
    server === "floor"
      ? { path: `/report?agency=${agencyId}&year=${REPORT_PERIOD.year}&quarter=${REPORT_PERIOD.quarter}`, method: "GET" }
      : {
          path: "/graphql",
          method: "POST",
          headers: { ...json, authorization: `Bearer ${agencyId === COMMITTEE_OFFICE ? committeeToken : deptToken}` },
          body: JSON.stringify({ query: reportQuery, variables: { agencyId, ...REPORT_PERIOD } }),
        };

  const shapes: ShapeResult[] = [];
  const memory: Partial<Record<ServerKind, ServerMemory>> = {};
  const reports: ReportResult[] = reportAgencies.map((agencyId) => ({ agencyId, hub: [], floor: [], sameFigures: null, hubStatementsPerRequest: null }));
  const ingest: IngestRun[] = [];
  const floorAnswers = new Map<string, unknown>();
  const floorFigures = new Map<string, unknown>();

  const perRequest = async (h: ServerHandle, req: Request, n: number) => {
    const before = await h.counters();
    for (let i = 0; i < n; i++) await callAnswer(h.url, req);
    const after = await h.counters();
    return {
      statements: before.statements === null || after.statements === null ? null : (after.statements - before.statements) / n,
      roundTrips: (after.roundTrips - before.roundTrips) / n,
    };
  };
  const fmt = (res: LoadResult) =>
    `${res.cpuMsPerRequest === null ? "" : `${res.cpuMsPerRequest.toFixed(2).padStart(6)} ms CPU/req  `}${res.rps.toFixed(1).padStart(7)} req/s  p50 ${res.p50} ms  p99 ${res.p99} ms  load ${res.loadAvg1?.toFixed(1) ?? "?"}${res.errors || res.non2xx ? `  ERRORS ${res.errors}/${res.non2xx}` : ""}`;

  try {
    for (let round = 1; round <= o.rounds; round++) {
      for (const [serverIndex, kind] of o.servers.entries()) {
        log(`round ${round}/${o.rounds}: ${SERVER_LABEL[kind]}`);
        const before = kind === "hub-before";
        const h = await launch(
          { kind: before ? "hub" : kind, databaseUrl: url, jwtSecret: JWT_SECRET, poolSize: o.poolSize, port: o.inProcess ? 0 : o.basePort + serverIndex },
          { inProcess: o.inProcess, cpuProfDir: kind === "hub" && round === 1 ? o.cpuProfDir : undefined, entry: before ? o.beforeEntry : undefined },
        );
        try {
          const mem = (memory[kind] ??= { peakMb: [], startMb: [] });
          mem.startMb.push(memoryOf(h.pid).rssMb);
          for (const id of o.shapes) {
            const shape = shapeById(id);
            for (const role of o.roles) {
              const req = shapeRequest(kind, id, role);
              let r = shapes.find((x) => x.shape === id && x.role === role && x.server === kind);
              if (!r) {
                r = { shape: id, role, server: kind, runs: [], statementsPerRequest: null, roundTripsPerRequest: 0, counts: null, sameAsFloor: null, errorCodes: [] };
                shapes.push(r);
              }
              // correctness first (once): what came back, compared with the floor
              if (round === 1) {
                const answer = await callAnswer(h.url, req);
                r.counts = rowCounts(answer);
                r.errorCodes = [...new Set(((answer.errors ?? []) as { extensions?: { code?: string } }[]).map((e) => e.extensions?.code ?? "?"))];
                const unexpected = r.errorCodes.filter((c) => c !== "FORBIDDEN");
                if (unexpected.length) throw new Error(`${kind} ${id}/${role}: errors ${JSON.stringify(answer.errors).slice(0, 800)}`);
                const key = `${id}/${role}`;
                if (kind === "floor") floorAnswers.set(key, answer);
                else if (floorAnswers.has(key)) {
                  const a = canonical(normalised(answer));
                  const b = canonical(normalised(floorAnswers.get(key)));
                  r.sameAsFloor = a === b;
                  if (!r.sameAsFloor) {
                    let i = 0;
                    while (i < a.length && a[i] === b[i]) i++;
                    r.difference = `…${a.slice(Math.max(0, i - 80), i + 80)}… vs floor …${b.slice(Math.max(0, i - 80), i + 80)}…`;
                  }
                }
                log(`  ${id} ${role.padEnd(10)} rows ${JSON.stringify(r.counts)}${r.errorCodes.length ? ` errors ${r.errorCodes.join(",")}` : ""}${r.sameAsFloor === null ? "" : r.sameAsFloor ? ", same as the floor" : `, DIFFERENT from the floor: ${r.difference}`}`);
                const per = await perRequest(h, req, o.smoke ? 2 : 5);
                r.statementsPerRequest = per.statements;
                r.roundTripsPerRequest = per.roundTrips;
              }
              if (o.warmupSeconds > 0) await load(h.url, req, 8, o.warmupSeconds);
              const conns = [...new Set([...o.connections, ...(shape.audited && id === "b" ? o.auditedConnections : [])])].sort((a, b) => a - b);
              for (const c of conns) {
                const res = await load(h.url, req, c, o.seconds, h.pid, o.requestsPerConnection);
                r.runs.push(res);
                log(`  ${id} ${role.padEnd(10)} c=${String(c).padEnd(3)} ${fmt(res)}`);
              }
            }
          }
          mem.peakMb.push(memoryOf(h.pid).peakMb);
          log(`  peak RSS ${mem.peakMb.at(-1)!.toFixed(0)} MB (${mem.startMb.at(-1)!.toFixed(0)} MB after start-up)${o.inProcess ? " (in-process: the whole test process)" : ""}`);

          if ((kind === "hub" || kind === "floor") && o.reportSeconds > 0) {
            for (const rep of reports) {
              const req = reportRequest(kind, rep.agencyId);
              const body = await call(h.url, req);
              if (round === 1) {
                if (kind === "floor") floorFigures.set(rep.agencyId, body);
                else {
                  const q = body.data.quarterlyReport;
                  const floor = floorFigures.get(rep.agencyId) as Record<string, unknown> | undefined;
                  rep.withheld = Array.isArray(q.withheld) ? q.withheld.length : 0;
                  // the small-cell rule (src/modules/reporting/disclosure.ts) nulls some money figures for a
                  // reader without trade-secret rights: compare the rest, with those paths nulled in the SQL copy too
                  rep.sameFigures = floor
                    ? canonical({ overall: q.overall, bySector: q.bySector, byRegion: q.byRegion }) ===
                      canonical(withheldNulled({ overall: floor.overall, bySector: floor.bySector, byRegion: floor.byRegion }, q.withheld ?? []))
                    : null;
                }
              }
              if (kind === "hub") rep.hubStatementsPerRequest = (await perRequest(h, req, 1)).statements;
              const res = await sequential(h.url, req, o.reportSeconds, 3, h.pid);
              (kind === "hub" ? rep.hub : rep.floor).push(res);
              log(`  quarterlyReport ${rep.agencyId.padEnd(24)} ${res.requests} requests, p50 ${res.p50} ms  p99 ${res.p99} ms${rep.sameFigures === false ? "  FIGURES DIFFER" : ""}`);
            }
          }

          if (kind === "hub" && o.ingestBatches > 0) {
            const run = await runIngest(h, admin, insurerToken, o);
            ingest.push(run);
            log(`  filePolicies ${run.accepted}/${run.policies} accepted in ${(run.ms / 1000).toFixed(2)} s: ${run.perSecond.toFixed(0)} policies/s, ${run.statementsPerPolicy.toFixed(1)} statements per policy`);
          }
        } finally {
          await h.stop();
        }
      }
    }
  } finally {
    await admin.end();
    if (o.dropAfter) await dropDatabase(o.baseUrl, o.database);
  }

  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    mode: o.smoke ? "smoke" : "full",
    machine: {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? "?",
      ramGb: os.totalmem() / 2 ** 30,
      loadAvgAtStart,
      loadAvgAtEnd: os.loadavg(),
      node: process.version,
      postgres,
    },
    versions: versions(),
    dataSet: { params: o.params, database: o.database, reused: loaded.reused, loadMs: loaded.loadMs, steps: loaded.steps, rows: loaded.rows },
    options: { ...o, log: undefined, baseUrl: undefined, dropAfter: undefined } as unknown as BenchResults["options"],
    context,
    shapes,
    memory,
    reports,
    ingest,
  };
}

/** A copy of `x` with each path ("bySector[0].insurance.premiumTotal") set to null. */
function withheldNulled<T>(x: T, paths: string[]): T {
  const copy = structuredClone(x) as Record<string, unknown>;
  for (const path of paths) {
    const keys = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let o: any = copy;
    for (const k of keys.slice(0, -1)) o = o?.[k];
    if (o && typeof o === "object") o[keys[keys.length - 1]] = null;
  }
  return copy as T;
}

async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(`drop database if exists ${name} with (force)`);
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// ingest

const INGEST_PREFIX = "BENCH-INGEST-";

/** Removes what an ingest run filed, so the data set stays as loaded (and reusable). */
async function removeIngested(c: pg.Client): Promise<void> {
  await c.query("begin");
  await c.query(`create temp table bench_ingested on commit drop as select id from policies where policy_no like '${INGEST_PREFIX}%'`);
  for (const t of ["compliance_findings", "policy_versions", "policy_service_plans", "policy_service_orgs", "policy_coinsurers", "policy_enterprises"]) {
    await c.query(`delete from ${t} where policy_id in (select id from bench_ingested)`);
  }
  await c.query(`delete from policies where id in (select id from bench_ingested)`);
  await c.query(`delete from idempotency_keys where key like 'bench-ingest-%'`);
  await c.query("commit");
  // autovacuum may be off (this machine's CI config): without this every run's deleted rows stay
  // behind and each ingest run is slower than the last
  await c.query("vacuum analyze policies, policy_enterprises, policy_coinsurers, policy_service_plans, policy_service_orgs, policy_versions, compliance_findings, idempotency_keys");
}

/**
 * filePolicies in batches of `batchSize`, one after another, for enterprises at the end of the
 * serial range (never the ones the nested read returns): new 2027 policies with a service plan,
 * validated, written and judged (findings) by the hub exactly as an insurer's push would be.
 */
async function runIngest(h: ServerHandle, c: pg.Client, token: string, o: BenchOptions): Promise<IngestRun> {
  await removeIngested(c);
  const n = o.ingestBatches * o.batchSize;
  const { rows } = await c.query<{ uscc: string; employee_count: number }>(
    `select uscc, employee_count from enterprises where substr(uscc, 9, 9)::int > $1 order by substr(uscc, 9, 9)::int`,
    [o.params.enterprises - n],
  );
  const filings = rows.map((e) => ({
    idempotencyKey: `bench-ingest-${e.uscc}`,
    // the sample terms, with a premium in proportion to the headcount
    input: { ...sampleFiling(`${INGEST_PREFIX}${e.uscc}`, e.uscc, e.employee_count, YEAR_2027), premium: (e.employee_count * 150).toFixed(2), baseRate: "0.002500" },
  }));
  const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const before = await h.counters();
  let accepted = 0;
  let findings = 0;
  const batchMs: number[] = [];
  const started = performance.now();
  let ms = 0;
  let after = before;
  try {
    for (let i = 0; i < filings.length; i += o.batchSize) {
      const t = performance.now();
      const body = await call(h.url, { path: "/graphql", method: "POST", headers, body: JSON.stringify({ query: INGEST_MUTATION, variables: { inputs: filings.slice(i, i + o.batchSize) } }) });
      batchMs.push(performance.now() - t);
      for (const r of body.data.filePolicies as { accepted: boolean; findings: unknown[]; errors: unknown[] }[]) {
        if (r.accepted) accepted++;
        else throw new Error(`ingest: a filing was rejected: ${JSON.stringify(r.errors)}`);
        findings += r.findings.length;
      }
    }
  } finally {
    ms = performance.now() - started;
    after = await h.counters();
    await removeIngested(c);
  }
  return {
    policies: filings.length,
    accepted,
    findings,
    ms,
    perSecond: accepted / (ms / 1000),
    statementsPerPolicy: ((after.statements ?? 0) - (before.statements ?? 0)) / Math.max(1, filings.length),
    batchMs,
  };
}

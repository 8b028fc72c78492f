/**
 * The benchmark data set: a province-scale, deterministic load into its own PostgreSQL database.
 *
 * Everything above the registry is generated inside PostgreSQL with generate_series and
 * INSERT … SELECT; the distribution is hash-based (bench_h(i, salt), integer arithmetic only), so
 * the same parameters give the same rows on every machine, and no row crosses the wire. The
 * registry (regions, agencies, insurers, service orgs, broker, qualifications) is the demo's
 * (src/demo/registry.ts). All enterprises sit in Chongqing's six demo districts: one province.
 *
 * The database is reused when it already holds a complete load with the same parameters
 * (bench.meta); otherwise it is dropped and loaded again.
 */
import pg from "pg";
import { openDatabase } from "../../src/db/client.js";
import { AGENCIES, BROKER, INSURERS, QUALIFICATIONS, REGIONS, SERVICE_ORGS } from "../../src/demo/registry.js";
import { USCC_ALPHABET } from "../../src/rules/identifiers.js";

export interface DataSetParams {
  enterprises: number;
  policies: number;
  claims: number;
  services: number;
}

export const DEFAULT_PARAMS: DataSetParams = { enterprises: 200_000, policies: 300_000, claims: 50_000, services: 1_000_000 };

/** Bumped whenever the generated rows change, so an old load is never reused by mistake. */
export const LOADER_VERSION = 4;

/** The data set's "today": nothing is dated after it (claims, services, hazards). */
export const DATA_TODAY = "2026-11-20";

/** Chongqing districts of the demo registry and their weights (src/demo/enterprises.ts). */
const DISTRICTS: [string, number][] = [["500101", 8], ["500103", 4], ["500106", 7], ["500112", 10], ["500113", 8], ["500229", 4]];

/** Chongqing's sector weights from the demo generator (rounded), with one representative GB/T 4754 code each. */
const SECTORS: [sector: string, weight: number, industry: string][] = [
  ["COAL_MINE", 3, "B0610"], ["NON_COAL_MINE", 6, "B1019"], ["HAZARDOUS_CHEMICALS", 18, "C2614"], ["FIREWORKS", 3, "C2672"],
  ["CIVIL_EXPLOSIVES", 1, "C2671"], ["METAL_SMELTING", 6, "C3110"], ["CONSTRUCTION", 22, "E4710"], ["ROAD_TRANSPORT", 14, "G5430"],
  ["WATER_TRANSPORT", 5, "G5521"], ["RAIL_TRANSIT", 1, "G5412"], ["FISHERY", 1, "A0411"], ["BLASTING", 2, "B1019"],
  ["FUEL_RETAIL", 5, "F5265"], ["OTHER", 4, "C3360"],
];

const SERVICE_KINDS: [string, number][] = [["RISK_ASSESSMENT", 3], ["HAZARD_INVESTIGATION", 4], ["TRAINING", 3], ["EMERGENCY_DRILL", 2], ["TECH_PROMOTION", 1], ["OTHER", 1]];

/** A SQL text-array literal of the values repeated by weight: arr[1 + h % len] draws by weight. */
function weighted(values: [string, number][]): string {
  const out: string[] = [];
  for (const [v, w] of values) for (let i = 0; i < w; i++) out.push(v);
  return `array[${out.map(lit).join(",")}]::text[]`;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function databaseUrl(base: string, name: string): string {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(base: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** The parameters of a complete earlier load, or null. */
async function loadedParams(url: string): Promise<(DataSetParams & { version: number }) | null> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
  } catch {
    return null;
  }
  try {
    const r = await c.query(`select params from bench.meta where complete`).catch(() => null);
    return (r?.rows[0]?.params as DataSetParams & { version: number }) ?? null;
  } finally {
    await c.end();
  }
}

export interface LoadReport {
  database: string;
  url: string;
  reused: boolean;
  /** wall time of the load (0 when reused) */
  loadMs: number;
  steps: { step: string; ms: number }[];
  rows: Record<string, number>;
}

export async function prepareDatabase(opts: { baseUrl: string; name: string; params: DataSetParams; force?: boolean; log?: (s: string) => void }): Promise<LoadReport> {
  const { baseUrl, name, params } = opts;
  const log = opts.log ?? (() => {});
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  if (params.policies > 2 * params.enterprises) throw new Error("at most two policies (2025 and 2026) per enterprise: --policies ≤ 2 × --enterprises");
  const url = databaseUrl(baseUrl, name);
  const prior = opts.force ? null : await loadedParams(url);
  if (prior && prior.version === LOADER_VERSION && prior.enterprises === params.enterprises && prior.policies === params.policies && prior.claims === params.claims && prior.services === params.services) {
    log(`reusing ${name}: already loaded with the same parameters`);
    // migrations added since the load apply to it as to any database (drizzle skips applied ones)
    const database = await openDatabase({ url, poolSize: 1 });
    try {
      await database.migrate();
    } finally {
      await database.close();
    }
    return { database: name, url, reused: true, loadMs: 0, steps: [], rows: await rowCounts(url) };
  }
  await admin(baseUrl, async (c) => {
    await c.query(`drop database if exists ${name} with (force)`);
    await c.query(`create database ${name}`);
  });
  const started = performance.now();
  const steps: { step: string; ms: number }[] = [];
  const database = await openDatabase({ url, poolSize: 1 });
  try {
    let t = performance.now();
    await database.migrate();
    steps.push({ step: "migrate", ms: performance.now() - t });
  } finally {
    await database.close();
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const step = async (label: string, sql: string) => {
      const t = performance.now();
      await c.query(sql);
      const ms = performance.now() - t;
      steps.push({ step: label, ms });
      log(`  ${label.padEnd(28)} ${(ms / 1000).toFixed(1)} s`);
    };
    // one transaction; FK triggers off (the generator keeps every reference valid, checked below);
    // CHECK constraints, unique and primary keys still apply
    await c.query(`set synchronous_commit = off; set maintenance_work_mem = '256MB'; set work_mem = '64MB'`);
    await c.query("begin");
    await c.query("set local session_replication_role = replica");
    await step("functions", functionsSql());
    await step("registry", registrySql());
    await step("enterprises", enterprisesSql(params));
    await step("policies", policiesSql(params));
    await step("accidents", accidentsSql(params));
    await step("claims + payments", claimsSql(params));
    await step("claimants", claimantsSql());
    await step("prevention services", servicesSql(params));
    await step("hazards", hazardsSql());
    await step("fund ledger", fundsSql());
    await step("compliance findings", findingsSql(params));
    await step("sequences", sequencesSql());
    await step("reference check", referenceCheckSql());
    await c.query(`create schema bench; create table bench.meta (params jsonb not null, complete boolean not null, loaded_at timestamptz not null default now(), load_ms integer)`);
    await c.query(`insert into bench.meta (params, complete, load_ms) values ($1, true, $2)`, [JSON.stringify({ ...params, version: LOADER_VERSION }), Math.round(performance.now() - started)]);
    await c.query("commit");
    await step("vacuum analyze", "vacuum (analyze)");
  } catch (e) {
    await c.query("rollback").catch(() => {});
    throw e;
  } finally {
    await c.end();
  }
  const loadMs = performance.now() - started;
  return { database: name, url, reused: false, loadMs, steps, rows: await rowCounts(url) };
}

const COUNTED = ["enterprises", "policies", "policy_enterprises", "claims", "claimants", "claim_payments", "compliance_findings", "accidents", "prevention_services", "hazards", "fund_entries"];

async function rowCounts(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, number> = {};
    for (const t of COUNTED) out[t] = Number((await c.query(`select count(*)::bigint as n from ${t}`)).rows[0].n);
    return out;
  } finally {
    await c.end();
  }
}

// ---------------------------------------------------------------------------------------------
// the SQL

/**
 * bench_h(i, salt): a deterministic 31-bit mix of an integer (multiply, xor-shift, multiply,
 * xor-shift, all below 2^62 so bigint never overflows). bench_uscc(first17): first17 plus its
 * GB 32100-2015 check character, the same rule as src/rules/identifiers.ts.
 */
function functionsSql(): string {
  // single expressions (no FROM), so PostgreSQL inlines them instead of calling a function per row
  const y = `((i * 1103515245 + salt * 2654435 + 12345) % 2147483648)`;
  const x = `(((${y} # (${y} >> 13)) * 1597334677) % 2147483648)`;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = weights.map((w, k) => `(strpos('${USCC_ALPHABET}', substr(first17, ${k + 1}, 1)) - 1) * ${w}`).join(" + ");
  return `
  create function pg_temp.bench_h(i bigint, salt int) returns bigint language sql immutable parallel safe as $f$
    select ${x} # (${x} >> 16)
  $f$;
  create function pg_temp.bench_uscc(first17 text) returns text language sql immutable parallel safe as $f$
    select first17 || substr('${USCC_ALPHABET}', (31 - (${sum}) % 31) % 31 + 1, 1)
  $f$;`;
}

function registrySql(): string {
  const rows = (xs: string[][]) => xs.map((r) => `(${r.join(", ")})`).join(",\n");
  const at = `'2024-11-01T09:00:00+08:00'`;
  return `
  insert into regions (code, name, parent_code, level) values ${rows(REGIONS.map((r) => [lit(r.code), lit(r.name), r.parent ? lit(r.parent) : "null", String(r.level)]))};
  insert into agencies (id, region_code, kind, name, created_at) values ${rows(AGENCIES.map((a) => [lit(`${a.region}-${a.kind}`), lit(a.region), lit(a.kind), lit(a.name), at]))};
  insert into agency_sectors (agency_id, sector) values ${rows(AGENCIES.flatMap((a) => a.sectors.map((s) => [lit(`${a.region}-${a.kind}`), lit(s)])))};
  insert into insurers (uscc, name, short_name, created_at) values ${rows(INSURERS.map((i) => [lit(i.uscc), lit(i.name), lit(i.shortName), at]))};
  insert into brokers (uscc, name, created_at) values (${lit(BROKER.uscc)}, ${lit(BROKER.name)}, ${at});
  insert into service_orgs (uscc, name, created_at) values ${rows(SERVICE_ORGS.map((o) => [lit(o.uscc), lit(o.name), at]))};
  insert into qualifications (org_uscc, org_kind, region_code, status, since) values ${rows(QUALIFICATIONS.map((q) => [lit(q.orgUscc), lit(q.orgKind), lit(q.region), lit(q.status), lit(q.since)]))};`;
}

function enterprisesSql(p: DataSetParams): string {
  const districts = weighted(DISTRICTS);
  const sectors = weighted(SECTORS.map(([s, w]) => [s, w]));
  const industry = `case s.sector ${SECTORS.map(([s, , code]) => `when ${lit(s)} then ${lit(code)}`).join(" ")} end`;
  return `
  insert into enterprises (uscc, name, region_code, address, industry_code, sector, risk_tags, employee_count, status, safety_license_no,
                           standardization_grade, blacklisted, legal_representative, contact_name, contact_phone, created_at, updated_at)
  select pg_temp.bench_uscc('91' || s.region || lpad(s.i::text, 9, '0')),
         '重庆' || s.i || '号' || case s.sector when 'CONSTRUCTION' then '建设工程' when 'ROAD_TRANSPORT' then '运输' else '实业' end || '有限公司',
         s.region, '重庆市' || s.region || '区' || (s.i % 997) || '号', ${industry}, s.sector,
         case when pg_temp.bench_h(s.i, 5) % 50 = 0 then array['涉爆粉尘']::text[] else '{}'::text[] end,
         3 + (pg_temp.bench_h(s.i, 3) % 1000) * (pg_temp.bench_h(s.i, 3) % 1000) / 4000,
         case when pg_temp.bench_h(s.i, 4) % 100 < 94 then 'OPERATING' when pg_temp.bench_h(s.i, 4) % 100 < 98 then 'SUSPENDED' else 'CLOSED' end,
         case when s.sector in ('HAZARDOUS_CHEMICALS', 'NON_COAL_MINE', 'FIREWORKS', 'COAL_MINE') then '(渝)安许证字〔2024〕' || lpad(s.i::text, 6, '0') end,
         case pg_temp.bench_h(s.i, 6) % 4 when 0 then '一级' when 1 then '二级' when 2 then '三级' end,
         pg_temp.bench_h(s.i, 7) % 500 = 0,
         '法人' || (s.i % 9973), '联系人' || (s.i % 9967), '138' || lpad(s.i::text, 8, '0'),
         timestamptz '2024-12-01T09:00:00+08:00', timestamptz '2024-12-01T09:00:00+08:00'
  from (select i, (${districts})[1 + pg_temp.bench_h(i, 1) % ${DISTRICTS.reduce((n, [, w]) => n + w, 0)}] as region,
               (${sectors})[1 + pg_temp.bench_h(i, 2) % ${SECTORS.reduce((n, [, w]) => n + w, 0)}] as sector
        from generate_series(1, ${p.enterprises}) i) s
  order by s.i;`;
}

/**
 * Policy j ≤ N insures enterprise j for a year starting in 2025; policy N + k renews enterprise
 * ((2(k-1)) mod N) + 1 + ⌊2(k-1)/N⌋ (odd serials first, then even) for a year starting in 2026
 * (by 31 Oct, so the year has data). A temp table maps serial → USCC.
 */
function policiesSql(p: DataSetParams): string {
  const N = p.enterprises;
  const insurers = weighted(INSURERS.map((i) => [i.uscc, i.weight]));
  const insurerTotal = INSURERS.reduce((n, i) => n + i.weight, 0);
  const prefix = `case ins ${INSURERS.map((i) => `when ${lit(i.uscc)} then ${lit(i.policyPrefix)}`).join(" ")} end`;
  return `
  create temp table bench_ent on commit drop as
    select substr(uscc, 9, 9)::int as i, uscc, employee_count from enterprises;
  create unique index on bench_ent (i);
  create temp table bench_pol on commit drop as
    select j, e.uscc, e.employee_count as headcount, x.year, x.ins,
           (make_date(x.year, 1, 1)::timestamp at time zone 'Asia/Shanghai')
             + make_interval(days => (pg_temp.bench_h(j, 11) % case x.year when 2025 then 365 else 304 end)::int) as start_at
    from (select j,
                 case when j <= ${N} then j else (2 * (j - ${N} - 1)) % ${N} + 1 + (2 * (j - ${N} - 1)) / ${N} end as i,
                 case when j <= ${N} then 2025 else 2026 end as year,
                 (${insurers})[1 + pg_temp.bench_h(j, 10) % ${insurerTotal}] as ins
          from generate_series(1, ${p.policies}) j) x
    join bench_ent e on e.i = x.i;
  create unique index on bench_pol (j);
  insert into policies (id, insurer_uscc, policy_no, broker_uscc, start_at, end_at, cancelled_at, cancel_reason, premium, base_rate, rate_float,
                        commission_ratio, prevention_fund_ratio, insured_headcount, death_limit_per_person, medical_limit_per_person,
                        third_party_limit, coverage_items, is_group_policy, version, created_at, updated_at)
  overriding system value
  select j, ins, ${prefix} || year || lpad(j::text, 12, '0'),
         case when pg_temp.bench_h(j, 12) % 10 = 0 then ${lit(BROKER.uscc)} end,
         start_at, start_at + interval '1 year',
         case when pg_temp.bench_h(j, 13) % 50 = 0 then start_at + interval '100 days' end,
         case when pg_temp.bench_h(j, 13) % 50 = 0 then '企业关闭 / enterprise closed' end,
         round(headcount * (60 + pg_temp.bench_h(j, 14) % 140)::numeric, 2),
         0.002500, ((pg_temp.bench_h(j, 15) % 50) - 20) / 100.0, 0.0400, 0.2000, headcount,
         case when pg_temp.bench_h(j, 16) % 3 = 0 then 800000.00 else 500000.00 end, 50000.00, 1000000.00,
         array['EMPLOYEE_INJURY_DEATH', 'THIRD_PARTY_INJURY', 'RESCUE']::text[], false, 1,
         start_at - interval '3 days', start_at - interval '3 days'
  from bench_pol order by j;
  insert into policy_enterprises (policy_id, enterprise_uscc, insured_headcount) select j, uscc, headcount from bench_pol order by j;
  insert into policy_coinsurers (policy_id, insurer_uscc, share, is_lead) select j, ins, 1.0000, true from bench_pol order by j;`;
}

/** A date offset from `start` that never passes the data set's today (or start itself when it does). */
const upToToday = (start: string, salt: string, maxDays: number) =>
  `${start} + make_interval(days => (${salt} % greatest(1, least(${maxDays}, (date '${DATA_TODAY}' - (${start} at time zone 'Asia/Shanghai')::date))))::int, hours => (${salt} % 9)::int)`;

function accidentsSql(p: DataSetParams): string {
  const n = Math.max(1, Math.round(p.claims / 5));
  return `
  insert into accidents (enterprise_uscc, occurred_at, deaths, serious_injuries, direct_loss, grade, description, created_at)
  select b.uscc, ${upToToday("b.start_at", "pg_temp.bench_h(a, 21)", 330)},
         case when pg_temp.bench_h(a, 22) % 100 < 3 then 3 when pg_temp.bench_h(a, 22) % 100 < 20 then 1 else 0 end,
         pg_temp.bench_h(a, 23) % 3, round((pg_temp.bench_h(a, 24) % 2000000)::numeric / 10, 2),
         case when pg_temp.bench_h(a, 22) % 100 < 3 then 'LARGER' else 'GENERAL' end,
         '生产安全事故 #' || a, timestamptz '2026-11-20T09:00:00+08:00'
  from generate_series(1, ${n}) a join bench_pol b on b.j = 1 + pg_temp.bench_h(a, 20) % ${p.policies}
  order by a;`;
}

function claimsSql(p: DataSetParams): string {
  return `
  create temp table bench_claim on commit drop as
    select k, b.j, b.uscc, b.ins, ${upToToday("b.start_at", "pg_temp.bench_h(k, 31)", 330)} as reported_at,
           pg_temp.bench_h(k, 32) % 100 as st, 10000 + pg_temp.bench_h(k, 33) % 190000 as reserve
    from generate_series(1, ${p.claims}) k join bench_pol b on b.j = 1 + pg_temp.bench_h(k, 30) % ${p.policies};
  insert into claims (id, insurer_uscc, claim_ref, policy_id, enterprise_uscc, status, reported_at, assessed_at, settled_at, rejected_at,
                      rejection_reason, reserve, settled_amount, created_at)
  overriding system value
  select k, ins, 'CLM' || lpad(k::text, 10, '0'), j, uscc,
         case when st < 60 then 'SETTLED' when st < 65 then 'REJECTED' when st < 75 then 'REPORTED' when st < 88 then 'ASSESSED' else 'ADVANCE_PAID' end,
         reported_at,
         case when st >= 75 or st < 60 then reported_at + interval '5 days' end,
         case when st < 60 then reported_at + make_interval(days => (10 + k % 50)::int) end,
         case when st >= 60 and st < 65 then reported_at + interval '20 days' end,
         case when st >= 60 and st < 65 then '不属于保险责任 / outside the cover' end,
         reserve, case when st < 60 then round(reserve * 0.8, 2) end, reported_at
  from bench_claim order by k;
  insert into claim_payments (claim_id, insurer_uscc, payment_ref, kind, amount, paid_at, created_at)
  select k, ins, 'PAY' || k || '-' || kind, kind, amount, paid_at, paid_at from (
    select k, ins, 'ADVANCE' as kind, round(reserve * 0.3, 2) as amount, reported_at + interval '7 days' as paid_at, 1 as n
    from bench_claim where st >= 88 or (st < 60 and k % 3 = 0)
    union all
    select k, ins, 'SETTLEMENT', round(reserve * 0.8, 2) - case when k % 3 = 0 then round(reserve * 0.3, 2) else 0 end,
           reported_at + make_interval(days => (10 + k % 50)::int), 2
    from bench_claim where st < 60) x
  order by k, n;`;
}

/**
 * One or two claimants per claim (an employee; a third party for every fourth claim): names of two
 * or three characters and 18-character ID numbers, so that masking (src/rules/identifiers.ts) has
 * something to do.
 */
function claimantsSql(): string {
  const surnames = `array['张','王','李','刘','陈','杨','赵','黄','周','吴']::text[]`;
  const given = `array['伟','芳','娜','秀英','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟']::text[]`;
  return `
  insert into claimants (claim_id, kind, name, id_number, injury)
  select c.id, case q.n when 1 then 'EMPLOYEE' else 'THIRD_PARTY' end,
         (${surnames})[1 + pg_temp.bench_h(c.id * 2 + q.n, 80) % 10] || (${given})[1 + pg_temp.bench_h(c.id * 2 + q.n, 81) % 15],
         '500101' || (1960 + pg_temp.bench_h(c.id * 2 + q.n, 82) % 40) || lpad((1 + pg_temp.bench_h(c.id * 2 + q.n, 83) % 12)::text, 2, '0')
           || lpad((1 + pg_temp.bench_h(c.id * 2 + q.n, 84) % 28)::text, 2, '0') || lpad((pg_temp.bench_h(c.id * 2 + q.n, 85) % 10000)::text, 4, '0'),
         case when pg_temp.bench_h(c.id, 86) % 3 = 0 then '骨折 / fracture' end
  from claims c cross join (values (1), (2)) q(n)
  where q.n = 1 or c.id % 4 = 0
  order by c.id, q.n;`;
}

/**
 * Compliance findings on about one policy in twenty (a fifth of them resolved since), so that
 * complianceFindings has rows to read in every scope: about the policy's enterprise and insurer.
 */
function findingsSql(p: DataSetParams): string {
  return `
  insert into compliance_findings (rule_code, severity, message, source, subject_kind, subject_key, enterprise_uscc, insurer_uscc, policy_id, status, created_at, resolved_at)
  select (array['HEADCOUNT_BELOW_EMPLOYEES','DEATH_LIMIT_BELOW_MIN','PREVENTION_RATIO_BELOW_FLOOR'])[1 + pg_temp.bench_h(b.j, 71) % 3],
         case when pg_temp.bench_h(b.j, 71) % 3 = 0 then 'VIOLATION' else 'WARNING' end,
         '投保人数少于从业人员 / insured headcount below the workers (' || b.j || ')', '应急〔2025〕27号 第十六条',
         'POLICY', p.policy_no, b.uscc, b.ins, b.j,
         case when pg_temp.bench_h(b.j, 72) % 5 = 0 then 'RESOLVED' else 'OPEN' end,
         b.start_at, case when pg_temp.bench_h(b.j, 72) % 5 = 0 then b.start_at + interval '60 days' end
  from bench_pol b join policies p on p.id = b.j
  where pg_temp.bench_h(b.j, 70) % 20 = 0 and b.j <= ${p.policies}
  order by b.j;`;
}

function servicesSql(p: DataSetParams): string {
  const orgs = `array[${SERVICE_ORGS.map((o) => lit(o.uscc)).join(",")}]::text[]`;
  return `
  insert into prevention_services (id, insurer_uscc, service_ref, policy_id, enterprise_uscc, service_org_uscc, kind, performed_at, place, staff,
                                   cost, confirmed_by_enterprise, created_at)
  overriding system value
  select s, b.ins, 'SVC' || lpad(s::text, 10, '0'), b.j, b.uscc,
         case when pg_temp.bench_h(s, 41) % 10 < 3 then (${orgs})[1 + pg_temp.bench_h(s, 42) % ${SERVICE_ORGS.length}] end,
         (${weighted(SERVICE_KINDS)})[1 + pg_temp.bench_h(s, 43) % ${SERVICE_KINDS.reduce((n, [, w]) => n + w, 0)}],
         x.performed_at, '企业现场 / on site', array['张工', '李工']::text[],
         500 + pg_temp.bench_h(s, 44) % 3000, pg_temp.bench_h(s, 45) % 10 < 8, x.performed_at
  from generate_series(1, ${p.services}) s
  join bench_pol b on b.j = (s - 1) % ${p.policies} + 1
  cross join lateral (select ${upToToday("b.start_at", "pg_temp.bench_h(s, 40)", 360)} as performed_at) x
  order by s;`;
}

/** About 0.4 hazards per service: seq 1 for 32 %, seq 2 as well for a quarter of those. */
function hazardsSql(): string {
  return `
  insert into hazards (service_id, policy_id, enterprise_uscc, seq, description, severity, notice_date, deadline, status, rectified_at, created_at)
  select id, policy_id, enterprise_uscc, seq, '隐患 ' || id || '-' || seq || '：安全设施缺陷 / safety equipment defect',
         case when pg_temp.bench_h(id * 2 + seq, 51) % 10 = 0 then 'MAJOR' else 'GENERAL' end,
         d, d + 30,
         case when pg_temp.bench_h(id * 2 + seq, 52) % 100 < 70 then 'RECTIFIED' when pg_temp.bench_h(id * 2 + seq, 52) % 100 < 98 then 'OPEN' else 'REFUSED' end,
         case when pg_temp.bench_h(id * 2 + seq, 52) % 100 < 70 then (d + 20)::timestamp at time zone 'Asia/Shanghai' end,
         performed_at
  from (select s.id, s.policy_id, s.enterprise_uscc, s.performed_at, (s.performed_at at time zone 'Asia/Shanghai')::date as d, q.seq
        from prevention_services s cross join (values (1), (2)) q(seq)
        where pg_temp.bench_h(s.id, 50) % 100 < case q.seq when 1 then 32 else 8 end) h
  order by id, seq;`;
}

function fundsSql(): string {
  return `
  insert into fund_entries (insurer_uscc, entry_ref, policy_id, kind, category, amount, booked_at, created_at)
  select ins, ref, id, kind, category, amount, booked_at, booked_at from (
    select p.insurer_uscc as ins, 'FX' || lpad(p.id::text, 10, '0') as ref, p.id, 'EXTRACTION' as kind, null as category,
           round(p.premium * 0.2, 2) as amount, p.start_at + interval '10 days' as booked_at, 1 as n
    from policies p where p.premium > 0
    union all
    select p.insurer_uscc, 'FU' || lpad(p.id::text, 10, '0'), p.id, 'USE',
           (array['TRAINING','RISK_ASSESSMENT','HAZARD_INVESTIGATION','EMERGENCY_DRILL','TECH_PROMOTION','SAFETY_REWARD','OTHER'])[1 + pg_temp.bench_h(p.id, 61) % 7],
           round(p.premium * 0.2 * (pg_temp.bench_h(p.id, 62) % 100) / 100, 2), p.start_at + interval '120 days', 2
    from policies p where pg_temp.bench_h(p.id, 60) % 10 < 6 and p.start_at + interval '120 days' < timestamptz '${DATA_TODAY}T00:00:00+08:00'
      and round(p.premium * 0.2 * (pg_temp.bench_h(p.id, 62) % 100) / 100, 2) > 0) x
  order by id, n;`;
}

function sequencesSql(): string {
  return ["policies", "claims", "prevention_services", "hazards", "claim_payments", "accidents", "fund_entries", "claimants", "compliance_findings"]
    .map((t) => `select setval(pg_get_serial_sequence('${t}', 'id'), greatest(1, (select coalesce(max(id), 0) from ${t})));`)
    .join("\n");
}

/** The foreign keys that were not checked during the load, checked at once; any orphan aborts. */
function referenceCheckSql(): string {
  return `do $$ begin
    if exists (select 1 from policy_enterprises pe left join enterprises e on e.uscc = pe.enterprise_uscc where e.uscc is null)
       or exists (select 1 from claims c left join policies p on p.id = c.policy_id where p.id is null)
       or exists (select 1 from prevention_services s left join policies p on p.id = s.policy_id where p.id is null)
       or exists (select 1 from hazards h left join prevention_services s on s.id = h.service_id where s.id is null)
       or exists (select 1 from claim_payments cp left join claims c on c.id = cp.claim_id where c.id is null)
    then raise exception 'bench load: orphan rows'; end if; end $$;`;
}

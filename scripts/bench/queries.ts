/**
 * The work the benchmark asks of each server, written three times: the hub's GraphQL, the
 * equivalent PostGraphile v5 GraphQL, and one hand-written SQL statement that returns the hub's
 * JSON byte for byte (the floor). Plus the comparison of their answers.
 */
import { getNamedType, isLeafType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from "graphql";

/** 500000-EMERGENCY (重庆市应急管理局): the sector department whose read is measured. */
export const DEPARTMENT = { id: "500000-EMERGENCY", regionPrefix: "50", sectors: ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"] };
export const COMMITTEE_OFFICE = "500000-COMMITTEE_OFFICE";
/** A finished quarter inside the data set's two years. */
export const REPORT_PERIOD = { year: 2025, quarter: 3 };

/**
 * 50 enterprises → policies → claims → payments, and → prevention services → hazards. No personal
 * data and no trade secrets: reading one of those fields appends a hash-chained audit entry per
 * request (src/modules/audit), a write the peers do not do; see BENCHMARKS.md for its cost.
 */
export const HUB_NESTED = `query BenchNested($first: Int!) {
  enterprises(first: $first) {
    edges { node {
      uscc name regionCode sector status employeeCount industryCode
      policies {
        policyNo startAt endAt insuredHeadcount deathLimitPerPerson
        claims { claimRef status reportedAt settledAt settledAmount payments { paymentRef kind amount paidAt } }
        preventionServices { serviceRef kind performedAt hazards { description severity noticeDate deadline rectifiedAt } }
      }
    } }
  }
}`;

/**
 * The same read against the schema PostGraphile derives from the tables. PostGraphile has no
 * jurisdictions, so the department's row scope is a STABLE SQL function in its own schema
 * (bench_api.department_enterprises, ordered by USCC like the hub's keyset page); everything below
 * follows the foreign keys. Policies come through policy_enterprises (primary key descending = the
 * newer policy first, as the hub orders by start date in this data set).
 */
export const PGL_NESTED = `query BenchNested($prefix: String!, $sectors: [String]!, $first: Int!) {
  benchApiDepartmentEnterprises(regionPrefix: $prefix, sectors: $sectors, first: $first) {
    nodes {
      uscc name regionCode sector status employeeCount industryCode
      policyEnterprisesByEnterpriseUscc(orderBy: PRIMARY_KEY_DESC) { nodes { policyByPolicyId {
        policyNo startAt endAt insuredHeadcount deathLimitPerPerson
        claimsByPolicyId(orderBy: REPORTED_AT_DESC) { nodes {
          claimRef status reportedAt settledAt settledAmount
          claimPaymentsByClaimId(orderBy: PAID_AT_ASC) { nodes { paymentRef kind amount paidAt } }
        } }
        preventionServicesByPolicyId(orderBy: PERFORMED_AT_DESC) { nodes {
          serviceRef kind performedAt
          hazardsByServiceId(orderBy: SEQ_ASC) { nodes { description severity noticeDate deadline rectifiedAt } }
        } }
      } } }
    }
  }
}`;

/** PostGraphile's scope function, created (idempotently) before its server starts. */
export const PGL_SCOPE_SQL = `
  create schema if not exists bench_api;
  create or replace function bench_api.department_enterprises(region_prefix text, sectors text[]) returns setof public.enterprises
    language sql stable as $$
      select * from public.enterprises where region_code like region_prefix || '%' and sector = any(sectors) order by uscc
    $$;`;

/**
 * The floor: the hub's nested read as ONE statement that returns the response body as text, with
 * the hub's row scoping (the department's region prefix and sectors on every level, as
 * src/auth/scope.ts does) and the hub's formats (DateTime in +08:00, money as decimal strings).
 * $1 region prefix, $2 sectors, $3 page size.
 */
export const FLOOR_NESTED_SQL = `
select json_build_object('data', json_build_object('enterprises', json_build_object('edges', coalesce((
  select json_agg(json_build_object('node', json_build_object(
    'uscc', e.uscc, 'name', e.name, 'regionCode', e.region_code, 'sector', e.sector, 'status', e.status,
    'employeeCount', e.employee_count, 'industryCode', e.industry_code,
    'policies', coalesce((
      select json_agg(json_build_object(
        'policyNo', p.policy_no, 'startAt', ${cst("p.start_at")}, 'endAt', ${cst("p.end_at")},
        'insuredHeadcount', p.insured_headcount, 'deathLimitPerPerson', p.death_limit_per_person::text,
        'claims', coalesce((
          select json_agg(json_build_object(
            'claimRef', c.claim_ref, 'status', c.status, 'reportedAt', ${cst("c.reported_at")}, 'settledAt', ${cst("c.settled_at")},
            'settledAmount', c.settled_amount::text,
            'payments', coalesce((
              select json_agg(json_build_object('paymentRef', cp.payment_ref, 'kind', cp.kind, 'amount', cp.amount::text, 'paidAt', ${cst("cp.paid_at")}) order by cp.paid_at)
              from claim_payments cp where cp.claim_id = c.id), '[]'::json)
          ) order by c.reported_at desc)
          from claims c where c.policy_id = p.id and ${visible("c.enterprise_uscc")}), '[]'::json),
        'preventionServices', coalesce((
          select json_agg(json_build_object(
            'serviceRef', s.service_ref, 'kind', s.kind, 'performedAt', ${cst("s.performed_at")},
            'hazards', coalesce((
              select json_agg(json_build_object('description', h.description, 'severity', h.severity, 'noticeDate', h.notice_date::text,
                                                'deadline', h.deadline::text, 'rectifiedAt', ${cst("h.rectified_at")}) order by h.seq)
              from hazards h where h.service_id = s.id and ${visible("h.enterprise_uscc")}), '[]'::json)
          ) order by s.performed_at desc)
          from prevention_services s where s.policy_id = p.id and ${visible("s.enterprise_uscc")}), '[]'::json)
      ) order by p.start_at desc)
      from policy_enterprises pe join policies p on p.id = pe.policy_id
      where pe.enterprise_uscc = e.uscc
        and exists (select 1 from policy_enterprises pv join enterprises v on v.uscc = pv.enterprise_uscc
                    where pv.policy_id = p.id and v.region_code like $1 || '%' and v.sector = any($2::text[]))), '[]'::json)
  )) order by e.uscc)
  from (select * from enterprises where region_code like $1 || '%' and sector = any($2::text[]) order by uscc limit $3) e
), '[]'::json))))::text as body`;

function cst(col: string): string {
  return `to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;
}

function visible(uscc: string): string {
  return `exists (select 1 from enterprises v where v.uscc = ${uscc} and v.region_code like $1 || '%' and v.sector = any($2::text[]))`;
}

/** Every leaf of a type as a selection set, so the report query asks for every figure there is. */
export function fullSelection(schema: GraphQLSchema, typeName: string): string {
  const walk = (t: GraphQLObjectType, depth: number): string => {
    if (depth > 6) throw new Error(`selection too deep at ${t.name}`);
    return Object.values(t.getFields())
      .filter((f) => !f.args.length)
      .map((f) => {
        const named = getNamedType(f.type);
        if (isLeafType(named)) return f.name;
        if (isObjectType(named)) return `${f.name} { ${walk(named, depth + 1)} }`;
        return "";
      })
      .filter(Boolean)
      .join(" ");
  };
  const t = schema.getType(typeName);
  if (!isObjectType(t)) throw new Error(`no object type ${typeName}`);
  return walk(t, 0);
}

export function hubReportQuery(schema: GraphQLSchema): string {
  const figures = fullSelection(schema, "QuarterlyFigures");
  return `query BenchReport($agencyId: String!, $year: Int!, $quarter: Int!) {
  quarterlyReport(agencyId: $agencyId, year: $year, quarter: $quarter) { agencyId withheld overall { ${figures} } bySector { ${figures} } byRegion { ${figures} } }
}`;
}

export const INGEST_MUTATION = `mutation BenchIngest($inputs: [PolicyFilingInput!]!) {
  filePolicies(inputs: $inputs) { idempotencyKey accepted replayed errorCode errors { field rule message } findings { ruleCode } }
}`;

// ---------------------------------------------------------------------------------------------
// comparing answers

/** Arrays sorted and keys ordered, so that ties in ORDER BY never make equal answers differ. */
export function canonical(x: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm).map((e) => [JSON.stringify(e), e] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, e]) => e);
    if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(norm(x));
}

/** The hub's (and the floor's) nested answer reduced to its keys: which rows came back, and under what. */
export interface KeyTree {
  enterprises: { uscc: string; policies: { policyNo: string; claims: { claimRef: string; payments: string[] }[]; services: { serviceRef: string; hazards: string[] }[] }[] }[];
}

export function hubKeys(body: any): KeyTree {
  return {
    enterprises: body.data.enterprises.edges.map(({ node: e }: any) => ({
      uscc: e.uscc,
      policies: e.policies.map((p: any) => ({
        policyNo: p.policyNo,
        claims: p.claims.map((c: any) => ({ claimRef: c.claimRef, payments: c.payments.map((x: any) => x.paymentRef) })),
        services: p.preventionServices.map((s: any) => ({ serviceRef: s.serviceRef, hazards: s.hazards.map((h: any) => h.description) })),
      })),
    })),
  };
}

export function pglKeys(body: any): KeyTree {
  return {
    enterprises: body.data.benchApiDepartmentEnterprises.nodes.map((e: any) => ({
      uscc: e.uscc,
      policies: e.policyEnterprisesByEnterpriseUscc.nodes.map(({ policyByPolicyId: p }: any) => ({
        policyNo: p.policyNo,
        claims: p.claimsByPolicyId.nodes.map((c: any) => ({ claimRef: c.claimRef, payments: c.claimPaymentsByClaimId.nodes.map((x: any) => x.paymentRef) })),
        services: p.preventionServicesByPolicyId.nodes.map((s: any) => ({ serviceRef: s.serviceRef, hazards: s.hazardsByServiceId.nodes.map((h: any) => h.description) })),
      })),
    })),
  };
}

export function keyCounts(t: KeyTree) {
  const policies = t.enterprises.flatMap((e) => e.policies);
  const claims = policies.flatMap((p) => p.claims);
  const services = policies.flatMap((p) => p.services);
  return {
    enterprises: t.enterprises.length,
    policies: policies.length,
    claims: claims.length,
    payments: claims.reduce((n, c) => n + c.payments.length, 0),
    services: services.length,
    hazards: services.reduce((n, s) => n + s.hazards.length, 0),
  };
}

/**
 * The suite of issue 7: shapes (a)–(h) × roles, each written three times: the hub's GraphQL
 * document, PostGraphile's equivalent document (its scope functions: pgl-scope.ts; aliases give its
 * answer the hub's shape), and one hand-written SQL statement that returns the hub's JSON (the
 * floor, with the role's row scope inlined as src/auth/scope.ts would write it).
 *
 * Answers are compared after normalisation (normalised()): `data` only, arrays as sorted sets,
 * instants as UTC ISO strings, decimals as numbers; a field the hub refuses (null + FORBIDDEN)
 * is null in the other two.
 */
import { DEMO } from "../../src/demo/ids.js";
import { SECRET_FINDING_MESSAGES, SECRET_NOTE } from "../../src/modules/compliance/masking.js";
import { canonical } from "./queries.js";

export type RoleKey = "department" | "insurer" | "committee";

export interface BenchRole {
  key: RoleKey;
  label: string;
  role: "SECTOR_DEPARTMENT" | "INSURER" | "COMMITTEE_OFFICE";
  org: string;
  /** insurer scope: its USCC */
  ins: string | null;
  /** agency scope: region prefix and sectors (null = all sectors) */
  prefix: string | null;
  sectors: string[] | null;
}

export const ROLES: Record<RoleKey, BenchRole> = {
  department: {
    key: "department",
    label: "department 500000-EMERGENCY",
    role: "SECTOR_DEPARTMENT",
    org: "500000-EMERGENCY",
    ins: null,
    prefix: "50",
    sectors: ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"],
  },
  // 人保财险: the largest market weight of the registry, so the most policies in the bench data
  insurer: { key: "insurer", label: `insurer ${DEMO.insurer} (人保财险)`, role: "INSURER", org: DEMO.insurer, ins: DEMO.insurer, prefix: null, sectors: null },
  committee: { key: "committee", label: "committee office 500000-COMMITTEE_OFFICE", role: "COMMITTEE_OFFICE", org: "500000-COMMITTEE_OFFICE", ins: null, prefix: "50", sectors: null },
};
export const ROLE_KEYS: RoleKey[] = ["department", "insurer", "committee"];

/** Per-run values every server gets alike. */
export interface ShapeContext {
  /** CST date for OVERDUE (the hub computes it from the clock: src/modules/prevention/service.ts) */
  today: string;
  /** shape (g): an enterprise every role sees, with policies, claims and hazards */
  uscc: string;
}

export type ShapeId = "a" | "b" | "c" | "d" | "e" | "f" | "g" | "h";

export interface Shape {
  id: ShapeId;
  title: string;
  /** reads personal data or trade secrets: the hub appends an audit entry per request */
  audited: boolean;
  hub(r: BenchRole, ctx: ShapeContext): { query: string; variables: Record<string, unknown> };
  pgl(r: BenchRole, ctx: ShapeContext): { query: string; variables: Record<string, unknown> };
  floor(r: BenchRole, ctx: ShapeContext): { text: string; values: unknown[] };
  /** where PostGraphile's or the floor's work still differs from the hub's */
  differences: string;
}

// ---------------------------------------------------------------------------------------------
// PostGraphile: scope arguments

const PV = "$ins: String, $pfx: String, $secs: [String]";
const SA = "ins: $ins, pfx: $pfx, secs: $secs";
const pglVars = (r: BenchRole) => ({ ins: r.ins, pfx: r.prefix, secs: r.sectors });

// ---------------------------------------------------------------------------------------------
// the floor: SQL text builders

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const arr = (xs: string[]) => `array[${xs.map(q).join(",")}]::text[]`;
const cst = (col: string) => `to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')`;
const agency = (r: BenchRole, region: string, sector: string) =>
  `${region} like ${q(r.prefix! + "%")}${r.sectors ? ` and ${sector} = any(${arr(r.sectors)})` : ""}`;

/** src/auth/scope.ts enterpriseVisible, written for one role */
function entOk(r: BenchRole, uscc: string): string {
  return r.ins
    ? `exists (select 1 from policy_enterprises pe_s join policy_coinsurers pc_s on pc_s.policy_id = pe_s.policy_id where pe_s.enterprise_uscc = ${uscc} and pc_s.insurer_uscc = ${q(r.ins)})`
    : `exists (select 1 from enterprises e_s where e_s.uscc = ${uscc} and ${agency(r, "e_s.region_code", "e_s.sector")})`;
}
/** policyVisible */
function polOk(r: BenchRole, pid: string): string {
  return r.ins
    ? `exists (select 1 from policy_coinsurers pc_p where pc_p.policy_id = ${pid} and pc_p.insurer_uscc = ${q(r.ins)})`
    : `exists (select 1 from policy_enterprises pe_p join enterprises e_p on e_p.uscc = pe_p.enterprise_uscc where pe_p.policy_id = ${pid} and ${agency(r, "e_p.region_code", "e_p.sector")})`;
}
/** recordVisible */
const recOk = (r: BenchRole, t: string) => (r.ins ? polOk(r, `${t}.policy_id`) : entOk(r, `${t}.enterprise_uscc`));
/** the root enterprises list's condition on the enterprises table itself */
const entRows = (r: BenchRole, e: string) => (r.ins ? entOk(r, `${e}.uscc`) : agency(r, `${e}.region_code`, `${e}.sector`));

/**
 * src/modules/compliance/masking.ts findingField.message in SQL: a finding whose message quotes a
 * trade secret reads as the rule's plain description to a caller without trade-secret rights.
 */
export function secretMessageSql(ruleCode: string, message: string): string {
  return `case ${ruleCode} ${Object.entries(SECRET_FINDING_MESSAGES).map(([k, v]) => `when ${q(k)} then ${q(v + SECRET_NOTE)}`).join(" ")} else ${message} end`;
}

/** src/rules/identifiers.ts maskName / maskIdNumber in SQL (code points; the bench's names have no spaces to trim) */
const maskName = (c: string) =>
  `case when char_length(btrim(${c})) = 0 then '' when char_length(btrim(${c})) = 1 then '*' else left(btrim(${c}), 1) || repeat('*', char_length(btrim(${c})) - 1) end`;
const maskId = (c: string) => `case when length(${c}) <= 7 then repeat('*', length(${c})) else left(${c}, 3) || repeat('*', length(${c}) - 7) || right(${c}, 4) end`;

const obj = (fields: Record<string, string>) => `json_build_object(${Object.entries(fields).map(([k, v]) => `'${k}', ${v}`).join(", ")})`;
const jlist = (o: string, from: string, order: string) => `coalesce((select json_agg(${o} order by ${order}) from ${from}), '[]'::json)`;
/** A keyset page: `from` selects from its table as t; the page is ordered by t.<key>, the rows are x. */
const connection = (o: string, from: string, key: string, limit: string) =>
  `json_build_object('edges', coalesce((select json_agg(json_build_object('node', ${o}) order by x.${key}) from (${from} order by t.${key} limit ${limit}) x), '[]'::json))`;
const body = (data: string) => `select json_build_object('data', ${data})::text as body`;

// field sets shared by the three writings

const ENT = "uscc name regionCode sector status employeeCount industryCode";
const entFields = (e: string) => ({
  uscc: `${e}.uscc`, name: `${e}.name`, regionCode: `${e}.region_code`, sector: `${e}.sector`, status: `${e}.status`,
  employeeCount: `${e}.employee_count`, industryCode: `${e}.industry_code`,
});
const POL = "policyNo startAt endAt insuredHeadcount deathLimitPerPerson";
const polFields = (p: string) => ({
  policyNo: `${p}.policy_no`, startAt: cst(`${p}.start_at`), endAt: cst(`${p}.end_at`), insuredHeadcount: `${p}.insured_headcount`,
  deathLimitPerPerson: `${p}.death_limit_per_person::text`,
});
const CLM = "claimRef status reportedAt settledAt settledAmount";
const clmFields = (c: string) => ({
  claimRef: `${c}.claim_ref`, status: `${c}.status`, reportedAt: cst(`${c}.reported_at`), settledAt: cst(`${c}.settled_at`), settledAmount: `${c}.settled_amount::text`,
});
const PAY = "paymentRef kind amount paidAt";
const payList = (c: string) =>
  jlist(obj({ paymentRef: "cp.payment_ref", kind: "cp.kind", amount: "cp.amount::text", paidAt: cst("cp.paid_at") }), `claim_payments cp where cp.claim_id = ${c}.id`, "cp.paid_at, cp.id");
const HAZ = "description severity noticeDate deadline rectifiedAt";
const hazFields = (h: string) => ({
  description: `${h}.description`, severity: `${h}.severity`, noticeDate: `${h}.notice_date::text`, deadline: `${h}.deadline::text`, rectifiedAt: cst(`${h}.rectified_at`),
});
const SVC = "serviceRef kind performedAt";

/** (a) and (b): enterprises → policies → claims → payments, → services → hazards */
function nested(audited: boolean): Pick<Shape, "hub" | "pgl" | "floor"> {
  const entExtra = audited ? " contactName" : "";
  const polExtra = audited ? " premium" : "";
  return {
    hub: () => ({
      query: `query BenchNested($first: Int!) {
  enterprises(first: $first) { edges { node {
    ${ENT}${entExtra}
    policies {
      ${POL}${polExtra}
      claims { ${CLM} payments { ${PAY} } }
      preventionServices { ${SVC} hazards { ${HAZ} } }
    }
  } } }
}`,
      variables: { first: 50 },
    }),
    pgl: (r) => ({
      query: `query BenchNested(${PV}, $first: Int!) {
  enterprises: benchApiScopedEnterprises(${SA}, first: $first) { edges { node {
    ${ENT}${audited ? " contactName: scopedContactName(ins: $ins)" : ""}
    policies: scopedPoliciesList(${SA}) {
      ${POL}${audited ? " premium: scopedPremium(ins: $ins, secs: $secs)" : ""}
      claims: scopedClaimsList(${SA}) { ${CLM} payments: scopedPaymentsList { ${PAY} } }
      preventionServices: scopedServicesList(${SA}) { ${SVC} hazards: scopedHazardsList(${SA}) { ${HAZ} } }
    }
  } } }
}`,
      variables: { ...pglVars(r), first: 50 },
    }),
    floor: (r) => {
      const contact: Record<string, string> = audited ? { contactName: r.ins ? "null" : "x.contact_name" } : {};
      const premium: Record<string, string> = audited ? { premium: r.ins || !r.sectors ? "p.premium::text" : "null" } : {};
      const hazards = jlist(obj(hazFields("h")), `hazards h where h.service_id = s.id and ${recOk(r, "h")}`, "h.seq, h.id");
      const services = jlist(
        obj({ serviceRef: "s.service_ref", kind: "s.kind", performedAt: cst("s.performed_at"), hazards }),
        `prevention_services s where s.policy_id = p.id and ${recOk(r, "s")}`,
        "s.performed_at desc, s.id desc",
      );
      const claims = jlist(obj({ ...clmFields("c"), payments: payList("c") }), `claims c where c.policy_id = p.id and ${recOk(r, "c")}`, "c.reported_at desc, c.id desc");
      const policies = jlist(
        obj({ ...polFields("p"), ...premium, claims, preventionServices: services }),
        `policy_enterprises pe join policies p on p.id = pe.policy_id where pe.enterprise_uscc = x.uscc and ${polOk(r, "p.id")}`,
        "p.start_at desc, p.id desc",
      );
      return {
        text: body(obj({ enterprises: connection(obj({ ...entFields("x"), ...contact, policies }), `select * from enterprises t where ${entRows(r, "t")}`, "uscc", "$1") })),
        values: [50],
      };
    },
  };
}

export const SHAPES: Shape[] = [
  {
    id: "a",
    title: "(a) nested read: 50 enterprises → policies → claims → payments, → services → hazards",
    audited: false,
    ...nested(false),
    differences: "The hub skips the scope check below an enterprise already shown where the scope follows the enterprise (agencies: scope.ts scopeFollowsEnterprise); PostGraphile and the floor check every level.",
  },
  {
    id: "b",
    title: "(b) the nested read plus a personal and a trade-secret field (Enterprise.contactName, Policy.premium)",
    audited: true,
    ...nested(true),
    differences:
      "The hub answers a refused field (contactName for an insurer, premium for a department) with null AND a FORBIDDEN error, and appends a hash-chained audit entry per request (a write); PostGraphile's scoped functions and the floor return null and write nothing.",
  },
  {
    id: "c",
    title: "(c) policies(first: 100) with insurer and insured enterprises",
    audited: false,
    hub: () => ({
      query: `query BenchPolicies($first: Int!) {
  policies(first: $first) { edges { node {
    ${POL} insurerUscc
    insurer { shortName name }
    insuredEnterprises { enterpriseUscc insuredHeadcount enterprise { uscc name sector regionCode } }
  } } }
}`,
      variables: { first: 100 },
    }),
    pgl: (r) => ({
      query: `query BenchPolicies(${PV}, $first: Int!) {
  policies: benchApiScopedPolicies(${SA}, first: $first) { edges { node {
    ${POL} insurerUscc
    insurer: insurerByInsurerUscc { shortName name }
    insuredEnterprises: scopedInsuredList(${SA}) { enterpriseUscc insuredHeadcount enterprise: scopedEnterprise(${SA}) { uscc name sector regionCode } }
  } } }
}`,
      variables: { ...pglVars(r), first: 100 },
    }),
    floor: (r) => {
      const insured = jlist(
        obj({
          enterpriseUscc: "pe.enterprise_uscc",
          insuredHeadcount: "pe.insured_headcount",
          enterprise: `(select ${obj({ uscc: "ee.uscc", name: "ee.name", sector: "ee.sector", regionCode: "ee.region_code" })} from enterprises ee where ee.uscc = pe.enterprise_uscc)`,
        }),
        `policy_enterprises pe where pe.policy_id = x.id and ${entOk(r, "pe.enterprise_uscc")}`,
        "pe.enterprise_uscc",
      );
      const node = obj({
        ...polFields("x"),
        insurerUscc: "x.insurer_uscc",
        insurer: `(select ${obj({ shortName: "i.short_name", name: "i.name" })} from insurers i where i.uscc = x.insurer_uscc)`,
        insuredEnterprises: insured,
      });
      return { text: body(obj({ policies: connection(node, `select * from policies t where ${polOk(r, "t.id")}`, "id", "$1") })), values: [100] };
    },
    differences: "InsuredEnterprise.enterprise: the hub loads it through its enterprise DataLoader (scoped); PostGraphile and the floor check ent_ok for it again (the floor inside the insured list's scope: one check).",
  },
  {
    id: "d",
    title: "(d) overdue hazards: hazards(first: 100, filter: { statuses: [OVERDUE] }) with their enterprise",
    audited: false,
    hub: () => ({
      query: `query BenchOverdue($first: Int!) {
  hazards(first: $first, filter: { statuses: [OVERDUE] }) { edges { node {
    ${HAZ} status enterpriseUscc
    enterprise { uscc name sector regionCode }
  } } }
}`,
      variables: { first: 100 },
    }),
    pgl: (r, ctx) => ({
      query: `query BenchOverdue(${PV}, $today: Date!, $first: Int!) {
  hazards: benchApiScopedOverdueHazards(${SA}, today: $today, first: $first) { edges { node {
    ${HAZ} status: statusNow(today: $today) enterpriseUscc
    enterprise: scopedEnterprise(${SA}) { uscc name sector regionCode }
  } } }
}`,
      variables: { ...pglVars(r), today: ctx.today, first: 100 },
    }),
    floor: (r, ctx) => {
      const node = obj({
        ...hazFields("x"),
        status: `case when x.status = 'OPEN' and x.deadline < $2::date then 'OVERDUE' else x.status end`,
        enterpriseUscc: "x.enterprise_uscc",
        enterprise: `(select ${obj({ uscc: "ee.uscc", name: "ee.name", sector: "ee.sector", regionCode: "ee.region_code" })} from enterprises ee where ee.uscc = x.enterprise_uscc and ${entOk(r, "ee.uscc")})`,
      });
      return {
        text: body(obj({ hazards: connection(node, `select * from hazards t where t.status = 'OPEN' and t.deadline < $2::date and ${recOk(r, "t")}`, "id", "$1") })),
        values: [100, ctx.today],
      };
    },
    differences: "None in kind: OVERDUE is computed in SQL by all three (open and past its deadline, CST date).",
  },
  {
    id: "e",
    title: "(e) claims(first: 50) with claimants (masked except for the handling insurer)",
    audited: true,
    hub: () => ({
      query: `query BenchClaims($first: Int!) {
  claims(first: $first) { edges { node {
    ${CLM} insurerUscc enterpriseUscc
    claimants { kind injury name idNumber }
  } } }
}`,
      variables: { first: 50 },
    }),
    pgl: (r) => ({
      query: `query BenchClaims(${PV}, $first: Int!) {
  claims: benchApiScopedClaims(${SA}, first: $first) { edges { node {
    ${CLM} insurerUscc enterpriseUscc
    claimants: scopedClaimantsList { kind injury name: scopedName(ins: $ins) idNumber: scopedIdNumber(ins: $ins) }
  } } }
}`,
      variables: { ...pglVars(r), first: 50 },
    }),
    floor: (r) => {
      const handles = r.ins ? `x.insurer_uscc = ${q(r.ins)}` : "false";
      const claimants = jlist(
        obj({
          kind: "ca.kind",
          injury: "ca.injury",
          name: `case when ${handles} then ca.name else ${maskName("ca.name")} end`,
          idNumber: `case when ${handles} then ca.id_number else ${maskId("ca.id_number")} end`,
        }),
        "claimants ca where ca.claim_id = x.id",
        "ca.id",
      );
      return { text: body(obj({ claims: connection(obj({ ...clmFields("x"), insurerUscc: "x.insurer_uscc", enterpriseUscc: "x.enterprise_uscc", claimants }), `select * from claims t where ${recOk(r, "t")}`, "id", "$1") })), values: [50] };
    },
    differences:
      "Masking: the hub masks in Node (src/rules/identifiers.ts) and audits the read of personal data (one audit write per request); PostGraphile masks in SQL functions that look up the claim's insurer per claimant; the floor masks in SQL with the claim at hand (the same expressions, inlined).",
  },
  {
    id: "f",
    title: "(f) complianceFindings(first: 100)",
    audited: false,
    hub: () => ({
      query: `query BenchFindings($first: Int!) {
  complianceFindings(first: $first) { edges { node {
    ruleCode severity message source subjectKind subjectKey enterpriseUscc insurerUscc status foundAt resolvedAt
  } } }
}`,
      variables: { first: 100 },
    }),
    pgl: (r) => ({
      query: `query BenchFindings(${PV}, $first: Int!) {
  complianceFindings: benchApiScopedFindings(${SA}, first: $first) { edges { node {
    ruleCode severity message: scopedMessage(ins: $ins, secs: $secs) source subjectKind subjectKey enterpriseUscc insurerUscc status foundAt: createdAt resolvedAt
  } } }
}`,
      variables: { ...pglVars(r), first: 100 },
    }),
    floor: (r) => {
      const node = obj({
        ruleCode: "x.rule_code", severity: "x.severity", message: r.ins || !r.sectors ? "x.message" : secretMessageSql("x.rule_code", "x.message"), source: "x.source", subjectKind: "x.subject_kind", subjectKey: "x.subject_key",
        enterpriseUscc: "x.enterprise_uscc", insurerUscc: "x.insurer_uscc", status: "x.status", foundAt: cst("x.created_at"), resolvedAt: cst("x.resolved_at"),
      });
      const where = r.ins ? `t.insurer_uscc = ${q(r.ins)}` : `t.enterprise_uscc is not null and ${entOk(r, "t.enterprise_uscc")}`;
      return { text: body(obj({ complianceFindings: connection(node, `select * from compliance_findings t where ${where}`, "id", "$1") })), values: [100] };
    },
    differences: "A finding whose message quotes a trade secret reads as the rule's plain description to a department: the hub in Node (compliance/masking.ts findingField), PostGraphile in a SQL function, the floor inline.",
  },
  {
    id: "g",
    title: "(g) enterprise(uscc) with everything under it (policies → insurer, claims → payments, services → hazards; its claims and hazards)",
    audited: false,
    hub: (_r, ctx) => ({
      query: `query BenchEnterprise($uscc: String!) {
  enterprise(uscc: $uscc) {
    ${ENT} address riskTags safetyLicenseNo standardizationGrade blacklisted updatedAt
    policies {
      ${POL} insurerUscc coverageItems isGroupPolicy version cancelledAt
      insurer { shortName }
      claims { ${CLM} payments { ${PAY} } }
      preventionServices { ${SVC} place staff confirmedByEnterprise hazards { ${HAZ} } }
    }
    claims { claimRef status reportedAt }
    hazards { ${HAZ} }
  }
}`,
      variables: { uscc: ctx.uscc },
    }),
    pgl: (r, ctx) => ({
      query: `query BenchEnterprise(${PV}, $uscc: String!) {
  enterprise: benchApiScopedEnterprise(u: $uscc, ${SA}) {
    ${ENT} address riskTags safetyLicenseNo standardizationGrade blacklisted updatedAt
    policies: scopedPoliciesList(${SA}) {
      ${POL} insurerUscc coverageItems isGroupPolicy version cancelledAt
      insurer: insurerByInsurerUscc { shortName }
      claims: scopedClaimsList(${SA}) { ${CLM} payments: scopedPaymentsList { ${PAY} } }
      preventionServices: scopedServicesList(${SA}) { ${SVC} place staff confirmedByEnterprise hazards: scopedHazardsList(${SA}) { ${HAZ} } }
    }
    claims: scopedClaimsList(${SA}) { claimRef status reportedAt }
    hazards: scopedHazardsList(${SA}) { ${HAZ} }
  }
}`,
      variables: { ...pglVars(r), uscc: ctx.uscc },
    }),
    floor: (r, ctx) => {
      const hazards = jlist(obj(hazFields("h")), `hazards h where h.service_id = s.id and ${recOk(r, "h")}`, "h.seq, h.id");
      const services = jlist(
        obj({ serviceRef: "s.service_ref", kind: "s.kind", performedAt: cst("s.performed_at"), place: "s.place", staff: "to_json(s.staff)", confirmedByEnterprise: "s.confirmed_by_enterprise", hazards }),
        `prevention_services s where s.policy_id = p.id and ${recOk(r, "s")}`,
        "s.performed_at desc, s.id desc",
      );
      const claims = jlist(obj({ ...clmFields("c"), payments: payList("c") }), `claims c where c.policy_id = p.id and ${recOk(r, "c")}`, "c.reported_at desc, c.id desc");
      const policies = jlist(
        obj({
          ...polFields("p"), insurerUscc: "p.insurer_uscc", coverageItems: "to_json(p.coverage_items)", isGroupPolicy: "p.is_group_policy", version: "p.version", cancelledAt: cst("p.cancelled_at"),
          insurer: `(select json_build_object('shortName', i.short_name) from insurers i where i.uscc = p.insurer_uscc)`,
          claims, preventionServices: services,
        }),
        `policy_enterprises pe join policies p on p.id = pe.policy_id where pe.enterprise_uscc = e.uscc and ${polOk(r, "p.id")}`,
        "p.start_at desc, p.id desc",
      );
      const entClaims = jlist(obj({ claimRef: "c2.claim_ref", status: "c2.status", reportedAt: cst("c2.reported_at") }), `claims c2 where c2.enterprise_uscc = e.uscc and ${recOk(r, "c2")}`, "c2.reported_at desc, c2.id desc");
      const entHazards = jlist(obj(hazFields("h2")), `hazards h2 where h2.enterprise_uscc = e.uscc and ${recOk(r, "h2")}`, "h2.id");
      const ent = obj({
        ...entFields("e"), address: "e.address", riskTags: "to_json(e.risk_tags)", safetyLicenseNo: "e.safety_license_no", standardizationGrade: "e.standardization_grade",
        blacklisted: "e.blacklisted", updatedAt: cst("e.updated_at"), policies, claims: entClaims, hazards: entHazards,
      });
      return { text: body(obj({ enterprise: `(select ${ent} from enterprises e where e.uscc = $1 and ${entRows(r, "e")})` })), values: [ctx.uscc] };
    },
    differences: "As (a); the hub may answer parts of this through graphql-js resolvers and DataLoaders (several statements) where its planner declines.",
  },
  {
    id: "h",
    title: "(h) a document with fragments, aliases and @include",
    audited: false,
    hub: () => ({
      query: `query BenchDocument($first: Int!, $withClaims: Boolean!, $withServices: Boolean!) {
  list: enterprises(first: $first) { edges { node { ...Ent
    covers: policies { ...Pol
      claims @include(if: $withClaims) { ...Clm }
      preventionServices @include(if: $withServices) { serviceRef }
    }
  } } }
}
fragment Ent on Enterprise { code: uscc title: name sector regionCode }
fragment Pol on Policy { policyNo from: startAt to: endAt }
fragment Clm on Claim { ref: claimRef status amount: settledAmount }`,
      variables: { first: 20, withClaims: true, withServices: false },
    }),
    pgl: (r) => ({
      query: `query BenchDocument(${PV}, $first: Int!, $withClaims: Boolean!, $withServices: Boolean!) {
  list: benchApiScopedEnterprises(${SA}, first: $first) { edges { node { ...Ent
    covers: scopedPoliciesList(${SA}) { ...Pol
      claims: scopedClaimsList(${SA}) @include(if: $withClaims) { ...Clm }
      preventionServices: scopedServicesList(${SA}) @include(if: $withServices) { serviceRef }
    }
  } } }
}
fragment Ent on Enterpris { code: uscc title: name sector regionCode }
fragment Pol on Policy { policyNo from: startAt to: endAt }
fragment Clm on Claim { ref: claimRef status amount: settledAmount }`,
      variables: { ...pglVars(r), first: 20, withClaims: true, withServices: false },
    }),
    floor: (r) => {
      const claims = jlist(obj({ ref: "c.claim_ref", status: "c.status", amount: "c.settled_amount::text" }), `claims c where c.policy_id = p.id and ${recOk(r, "c")}`, "c.reported_at desc, c.id desc");
      const covers = jlist(
        obj({ policyNo: "p.policy_no", from: cst("p.start_at"), to: cst("p.end_at"), claims }),
        `policy_enterprises pe join policies p on p.id = pe.policy_id where pe.enterprise_uscc = x.uscc and ${polOk(r, "p.id")}`,
        "p.start_at desc, p.id desc",
      );
      return {
        text: body(obj({ list: connection(obj({ code: "x.uscc", title: "x.name", sector: "x.sector", regionCode: "x.region_code", covers }), `select * from enterprises t where ${entRows(r, "t")}`, "uscc", "$1") })),
        values: [20],
      };
    },
    differences: "PostGraphile's inflector names the enterprises type `Enterpris` (singular of the table name), so its fragment is on that type. The floor has no document to interpret: the fragments, aliases and skipped branch are resolved when the statement is written.",
  },
];

export const SHAPE_IDS = SHAPES.map((s) => s.id);
export const shapeById = (id: string): Shape => {
  const s = SHAPES.find((x) => x.id === id);
  if (!s) throw new Error(`unknown shape ${id}; one of ${SHAPE_IDS.join(",")}`);
  return s;
};

/**
 * An enterprise for (g) that all three roles see (one of the department's sectors, insured by the
 * insurer's policy), with the most claims and then hazards: the same for every server in a run.
 */
export const PICK_ENTERPRISE_SQL = `
  select e.uscc from enterprises e
  join policy_enterprises pe on pe.enterprise_uscc = e.uscc
  join policy_coinsurers pc on pc.policy_id = pe.policy_id and pc.insurer_uscc = $1
  where e.region_code like $2 || '%' and e.sector = any($3::text[])
  group by e.uscc
  order by (select count(*) from claims c where c.enterprise_uscc = e.uscc) desc,
           (select count(*) from hazards h where h.enterprise_uscc = e.uscc) desc, e.uscc
  limit 1`;

// ---------------------------------------------------------------------------------------------
// comparing answers

/** `data` with every leaf in one form: instants as UTC ISO, decimals as numbers (then text). */
export function normalised(body: any): unknown {
  const leaf = (v: unknown): unknown => {
    if (typeof v === "string") {
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return new Date(v).toISOString();
      if (/^-?\d+\.\d+$/.test(v)) return String(Number(v));
      return v;
    }
    if (typeof v === "number") return String(v);
    return v;
  };
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return leaf(v);
  };
  return walk(body?.data ?? null);
}

export const sameAnswer = (a: unknown, b: unknown) => canonical(normalised(a)) === canonical(normalised(b));

/** Rows per list in an answer: { "enterprises.edges": 50, "…policies": 72, … } by path without indices. */
export function rowCounts(body: any): Record<string, number> {
  const out: Record<string, number> = {};
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      const key = path.replace(/\.edges$/, "");
      out[key] = (out[key] ?? 0) + v.length;
      for (const x of v) walk(x, path);
    } else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k === "node" ? path : path ? `${path}.${k}` : k);
  };
  walk(body?.data, "");
  return out;
}

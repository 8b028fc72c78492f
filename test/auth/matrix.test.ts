import { sql } from "drizzle-orm";
import { getNamedType, isObjectType, validate, parse, type GraphQLError, type GraphQLObjectType, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AUDIENCES, expected, matrixFields, MATRIX, ROLES, type Outcome, type Role7 } from "../../src/modules/access.js";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import { buildBaseSchema } from "../../src/graphql/schema.js";
import { SECRET_FINDING_MESSAGES } from "../../src/modules/compliance/masking.js";
import { demoDatabase } from "../support/demo.js";
import { asRole } from "../support/graphql.js";
import { fieldAt, minimalArgs, operation, relativePath, type Selection } from "./generate.js";

/**
 * The permission source (src/modules/access.ts) against the running schema, on the demo data:
 *  1. the matrix lists exactly the fields of every object type of the SDL;
 *  2. every role queries every field of every type it can reach from the roots (queries generated
 *     from the schema; argument values from DEMO and a few records this test files first), and
 *     each value is compared with the matrix: ALLOWED (no error), DENIED (null + FORBIDDEN at that
 *     path), MASKED / HANDLER (the mask patterns), SMALL_CELL (a value, or null listed in withheld);
 *     a (role, type) the matrix lets a role reach must actually be reached on the data;
 *  3. every mutation as every role with a minimal input: FORBIDDEN at the gate for the roles the
 *     matrix denies, anything but the gate's FORBIDDEN (BAD_USER_INPUT, mostly) for the others.
 */

let database: Database;
let run: ReturnType<typeof asRole>;
let schema: GraphQLSchema;

const MATRIX_POLICY = "MATRIX-TEST-0001";
const GATE = /you may not read this field/;

interface RoleCtx { org: string | null; agency: string }
const CTX: Record<Role7, RoleCtx> = {
  COMMITTEE_OFFICE: { org: DEMO.committeeOffice, agency: DEMO.department },
  SECTOR_DEPARTMENT: { org: DEMO.department, agency: DEMO.department },
  FINANCIAL_REGULATOR: { org: DEMO.financialRegulator, agency: DEMO.department },
  INSURER: { org: DEMO.insurer, agency: DEMO.department },
  SERVICE_ORG: { org: DEMO.serviceOrg, agency: DEMO.department },
  ENTERPRISE: { org: DEMO.enterprise, agency: DEMO.department },
  PUBLIC: { org: null, agency: DEMO.department },
};

/**
 * (role, type) pairs the matrix lets a role reach that the data cannot show, with the reason. Each
 * is a place where the matrix is not checked by this test: keep it short.
 */
const UNOBSERVABLE: Record<string, string> = {
  "INSURER Agency": "viewer.agency is null for a caller that is not an agency",
  "SERVICE_ORG Agency": "viewer.agency is null for a caller that is not an agency",
  "ENTERPRISE Agency": "viewer.agency is null for a caller that is not an agency",
  "PUBLIC Agency": "viewer.agency is null for a caller that is not an agency",
  "INSURER Jurisdiction": "viewer.jurisdiction is null for a caller that is not an agency",
  "SERVICE_ORG Jurisdiction": "viewer.jurisdiction is null for a caller that is not an agency",
  "ENTERPRISE Jurisdiction": "viewer.jurisdiction is null for a caller that is not an agency",
  "PUBLIC Jurisdiction": "viewer.jurisdiction is null for a caller that is not an agency",
  "SERVICE_ORG ComplianceFinding": "row scoping gives a service org no findings (compliance/service.ts findingVisible)",
  "SERVICE_ORG Claim": "row scoping gives a service org no claims (scope.ts claimVisible)",
  "SERVICE_ORG ClaimEdge": "row scoping gives a service org no claims (scope.ts claimVisible)",
  "SERVICE_ORG Claimant": "row scoping gives a service org no claims (scope.ts claimVisible)",
  "SERVICE_ORG ClaimPayment": "row scoping gives a service org no claims (scope.ts claimVisible)",
  "SERVICE_ORG FundEntry": "row scoping gives a service org no ledger entries (scope.ts fundEntryVisible)",
  "SERVICE_ORG FundEntryEdge": "row scoping gives a service org no ledger entries (scope.ts fundEntryVisible)",
  "SERVICE_ORG ComplianceFindingEdge": "row scoping gives a service org no findings (compliance/service.ts findingVisible)",
  "COMMITTEE_OFFICE AuditEntry": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "SECTOR_DEPARTMENT AuditEntry": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "FINANCIAL_REGULATOR AuditEntry": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "INSURER AuditEntry": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "SERVICE_ORG AuditEntry": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "ENTERPRISE AuditEntry": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "COMMITTEE_OFFICE AuditEntryEdge": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "SECTOR_DEPARTMENT AuditEntryEdge": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "FINANCIAL_REGULATOR AuditEntryEdge": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "INSURER AuditEntryEdge": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "SERVICE_ORG AuditEntryEdge": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
  "ENTERPRISE AuditEntryEdge": "audit entries are appended by the HTTP layer's plugin, not by in-process execution",
};

// ---------------------------------------------------------------------------------------------
// observing a response

const failures: string[] = [];
/** "ROLE Type.field" → how often seen */
const seen = new Map<string, number>();
let maskedSecretFindings = 0;
let wholeHandledClaimants = 0;
let maskedCoinsuredClaimants = 0;

const NAME_MASK = /^.\*+$/u;
const ID_MASK = /^\d{3}\*{11}[\dX]{4}$/;
const MASKS: Record<string, { masked: (v: any, obj: any) => boolean; whole: (v: any, obj: any) => boolean }> = {
  "Claimant.name": { masked: (v) => NAME_MASK.test(v), whole: (v) => typeof v === "string" && !v.includes("*") },
  "Claimant.idNumber": { masked: (v) => ID_MASK.test(v), whole: (v) => /^\d{17}[\dX]$/.test(v) },
  "ComplianceFinding.message": {
    masked: (v, f) => !(f.ruleCode in SECRET_FINDING_MESSAGES) || (!/\d/.test(v) && ++maskedSecretFindings > 0),
    whole: (v, f) => !(f.ruleCode in SECRET_FINDING_MESSAGES) || /\d/.test(v),
  },
};

/** Fields a role reads under the small-cell rule (their names), to check `withheld` lists nothing else. */
const smallCellFields = (role: Role7) =>
  new Set(Object.entries(MATRIX).flatMap(([type, groups]) => Object.values(groups).flatMap((l) => l!.split(/\s+/).filter((f) => expected(type, f, role) === "SMALL_CELL"))));

interface Ancestor { type: string; obj: any; path: (string | number)[] }

/** Failures grouped by role, field and reason, with one example path each (thousands of rows repeat the same finding). */
function summary(list: string[]): string[] {
  const groups = new Map<string, { n: number; example: string }>();
  for (const f of list) {
    const m = f.match(/^(.*?) \[at ([^\]]*)\](.*)$/s);
    const k = m ? m[1] + m[3] : f;
    const g = groups.get(k);
    if (g) g.n++;
    else groups.set(k, { n: 1, example: m ? m[2] : "" });
  }
  return [...groups].map(([k, g]) => `${k}${g.example ? ` (×${g.n}, e.g. at ${g.example})` : ""}`);
}

function valueAt(obj: any, path: string): unknown {
  let v = obj;
  for (const part of path.match(/[^.[\]]+/g) ?? []) v = v?.[/^\d+$/.test(part) ? Number(part) : part];
  return v;
}

function visit(role: Role7, type: string, field: string, value: any, obj: any, ancestors: Ancestor[], path: (string | number)[], error?: GraphQLError) {
  const key = `${role} ${type}.${field}`;
  seen.set(key, (seen.get(key) ?? 0) + 1);
  const exp: Outcome | undefined = expected(type, field, role);
  const where = `${key} [at ${path.join(".")}]`;
  if (!exp) return void failures.push(`${type}.${field}: no row in src/modules/access.ts`);
  if (error) {
    if (!(exp === "DENIED" && error.extensions?.code === "FORBIDDEN")) failures.push(`${where}: expected ${exp}, got ${error.extensions?.code}: ${error.message}`);
    return;
  }
  const mask = MASKS[`${type}.${field}`];
  switch (exp) {
    case "DENIED":
      failures.push(`${where}: expected DENIED (null + FORBIDDEN), got ${value === null ? "null without an error" : "a value: " + JSON.stringify(value).slice(0, 80)}`);
      return;
    case "ALLOWED":
      if (mask && value !== null && !mask.whole(value, obj)) failures.push(`${where}: expected the whole value, got ${JSON.stringify(value)}`);
      if (field === "withheld" && Array.isArray(value)) {
        const allowed = smallCellFields(role);
        for (const p of value) if (!allowed.has(String(p).split(".").at(-1)!)) failures.push(`${where}: withholds ${p}, which the matrix does not put under the small-cell rule for ${role}`);
      }
      return;
    case "MASKED":
      if (!mask) return void failures.push(`${where}: MASKED without a mask check in this test: add one to MASKS`);
      if (value === null || !mask.masked(value, obj)) failures.push(`${where}: expected a masked value, got ${JSON.stringify(value)}`);
      return;
    case "HANDLER": {
      const claim = [...ancestors].reverse().find((a) => a.type === "Claim")?.obj;
      if (!claim || !mask) return void failures.push(`${where}: HANDLER needs the claim above it and a mask check`);
      const handles = role === "INSURER" && claim.insurerUscc === CTX[role].org;
      if (handles ? !mask.whole(value, obj) : !mask.masked(value, obj)) failures.push(`${where}: expected ${handles ? "whole (it handles the claim)" : "masked (another insurer handles the claim)"}, got ${JSON.stringify(value)}`);
      if (type === "Claimant" && field === "idNumber") handles ? wholeHandledClaimants++ : maskedCoinsuredClaimants++;
      return;
    }
    case "SMALL_CELL": {
      if (field === "figures") {
        // a stored submission as JSON: whatever it lists as withheld is null in it
        const parsed = JSON.parse(value);
        for (const p of parsed.withheld ?? []) if (valueAt(parsed, p) !== null) failures.push(`${where}: figures lists ${p} as withheld but carries a value`);
        return;
      }
      if (value !== null) return;
      const holderIndex = [...ancestors].map((a, i) => [a, i] as const).reverse().find(([a]) => Array.isArray(a.obj?.withheld))?.[1];
      if (holderIndex === undefined) return void failures.push(`${where}: null under the small-cell rule, but no withheld list above it`);
      const holder = ancestors[holderIndex];
      const rel = relativePath(path, holder.path.length);
      const legitimatelyNull = (field === "usedToExtractedRatio" && obj.extracted === "0.00") || (field === "lossRate" && obj.earnedPremium === "0.00") || (field === "marketShare" && obj.premium === "0.00");
      if (!holder.obj.withheld.includes(rel) && !legitimatelyNull) failures.push(`${where}: null but ${rel} is not in withheld ${JSON.stringify(holder.obj.withheld)}`);
      return;
    }
  }
}

function walk(role: Role7, sel: Selection, value: any, path: (string | number)[], ancestors: Ancestor[], errored: Set<string>) {
  if (value == null) return;
  if (Array.isArray(value)) return value.forEach((v, i) => walk(role, sel, v, [...path, i], ancestors, errored));
  const here = [...ancestors, { type: sel.type.name, obj: value, path }];
  for (const f of sel.fields) {
    const p = [...path, f.name];
    if (errored.has(p.join("/"))) continue;
    visit(role, sel.type.name, f.name, value[f.name], value, here, p);
    if (f.child?.fields.length) walk(role, f.child, value[f.name], p, here, errored);
  }
}

/** Runs one generated operation as a role and records what every field gave. */
async function observe(role: Role7, kind: "query" | "mutation", fieldName: string, args: Record<string, unknown>) {
  const root = (kind === "query" ? schema.getQueryType() : schema.getMutationType())!;
  const op = operation(schema, kind, root.getFields()[fieldName], args);
  const problems = validate(schema, parse(op.text));
  if (problems.length) throw new Error(`generated ${fieldName} is invalid: ${problems.map((p) => p.message).join("; ")}`);
  const r = await run(role, CTX[role].org, op.text, op.variables);
  const errored = new Set<string>();
  for (const e of r.errors ?? []) {
    if (!e.path) {
      failures.push(`${role} ${fieldName}: error without a path: ${e.message}`);
      continue;
    }
    errored.add(e.path.join("/"));
    // a mutation's own refusal (BAD_USER_INPUT, a command's FORBIDDEN …) is judged by the gate test, not here
    if (kind === "mutation" && e.path.length === 1 && !(e.extensions?.code === "FORBIDDEN" && GATE.test(e.message))) continue;
    const at = fieldAt(schema, root, e.path);
    if (!at) failures.push(`${role} ${fieldName}: error at an unknown path ${e.path.join(".")}`);
    else visit(role, at.type, at.field, null, null, [], [...e.path], e as GraphQLError);
  }
  if (r.data) {
    const top: Selection = { type: root, fields: [{ name: fieldName, child: op.selection }] };
    walk(role, top, r.data, [], [], errored);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// which roots, with which arguments

const ARG: Record<string, (role: Role7, field: string) => unknown> = {
  first: () => 5,
  uscc: () => DEMO.enterprise,
  insurerId: () => DEMO.insurer,
  policyNo: () => MATRIX_POLICY,
  regionCode: () => "500000",
  agencyId: (role) => CTX[role].agency,
  year: (_r, field) => (field === "pureRiskLossRates" ? 2025 : 2026),
  quarter: () => 3,
};

function rootArgs(role: Role7, field: string): Record<string, unknown> {
  const f = schema.getQueryType()!.getFields()[field];
  const out: Record<string, unknown> = {};
  for (const a of f.args) {
    const provider = ARG[a.name];
    const required = String(a.type).endsWith("!");
    if (provider && (required || a.name === "first")) out[a.name] = provider(role, field);
    else if (required) throw new Error(`no value for the required argument ${a.name} of Query.${field}: add it to ARG`);
  }
  return out;
}

/** Per role, extra entries that reach rows the plain roots may not (e.g. claims another insurer handles). */
const extraEntries: Partial<Record<Role7, { field: string; args: Record<string, unknown> }[]>> = {};

/** Read-side reachability per the matrix: types a role can reach from Query through fields it may read. */
function reachable(role: Role7, from: GraphQLObjectType): Set<string> {
  const out = new Set<string>([from.name]);
  const queue = [from];
  while (queue.length) {
    const t = queue.shift()!;
    for (const f of Object.values(t.getFields())) {
      const named = getNamedType(f.type);
      if (!isObjectType(named) || out.has(named.name) || expected(t.name, f.name, role) === "DENIED" || expected(t.name, f.name, role) === undefined) continue;
      out.add(named.name);
      queue.push(named);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  schema = await buildBaseSchema();
  database = await demoDatabase();
  run = asRole(database);
  const q = async (s: ReturnType<typeof sql>) => ((await database.db.execute(s)) as any).rows as any[];
  // a claim on a policy DEMO.insurer co-insures but another insurer handles: its claimants must stay masked
  const [co] = await q(sql`select c.insurer_uscc from claims c join policy_coinsurers pc on pc.policy_id = c.policy_id
    where pc.insurer_uscc = ${DEMO.insurer} and c.insurer_uscc <> ${DEMO.insurer}
      and exists (select 1 from claimants x where x.claim_id = c.id) order by c.id limit 1`);
  extraEntries.INSURER = [{ field: "claims", args: { first: 5, filter: { insurerUscc: co.insurer_uscc } } }];
  const secretRules = Object.keys(SECRET_FINDING_MESSAGES);
  for (const role of ROLES) (extraEntries[role] ??= []).push({ field: "complianceFindings", args: { first: 10, filter: { ruleCodes: secretRules } } });
});
afterAll(() => database?.close());

describe("the permission matrix", () => {
  it("lists exactly the fields of every object type of the SDL (a new field without a row fails here)", () => {
    const problems: string[] = [];
    const sdlTypes = Object.values(schema.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith("__"));
    for (const t of sdlTypes) {
      const rows = matrixFields(t.name);
      if (!rows) {
        problems.push(`type ${t.name} has no entry`);
        continue;
      }
      for (const f of Object.keys(t.getFields())) if (!rows.includes(f)) problems.push(`${t.name}.${f} has no row`);
      for (const f of rows) if (!(f in t.getFields())) problems.push(`${t.name}.${f} is in the matrix but not in the SDL`);
    }
    for (const name of Object.keys(MATRIX)) if (!sdlTypes.some((t) => t.name === name)) problems.push(`type ${name} is in the matrix but not in the SDL`);
    for (const row of Object.values(AUDIENCES)) expect(row).toHaveLength(ROLES.length);
    expect(problems).toEqual([]);
  });

  it("the records the reads need are filed through the API by the roles that write them", async () => {
    const write = async (role: Role7, field: string, args: Record<string, unknown>) => {
      const r = await observe(role, "mutation", field, args);
      if (!r.data?.[field]) throw new Error(`${role} ${field}: ${JSON.stringify(r.errors)}`);
      return r.data[field];
    };
    const policy = {
      policyNo: MATRIX_POLICY, insuredEnterprises: [{ uscc: DEMO.enterprise, insuredHeadcount: 10 }], brokerUscc: DEMO.broker,
      startAt: "2026-03-01T00:00:00+08:00", endAt: "2027-03-01T00:00:00+08:00", premium: "12345.67", baseRate: "0.002", rateFloat: "0",
      // a commission above 5% opens COMMISSION_ABOVE_MAX, whose message quotes the ratio (a trade secret)
      commissionRatio: "0.0800", preventionFundRatio: "0.1500", deathLimitPerPerson: "600000.00", coverageItems: ["EMPLOYEE_INJURY_DEATH"],
      servicePlan: [{ kind: "HAZARD_INVESTIGATION", yearlyFrequency: 2 }], serviceOrgUsccs: [DEMO.serviceOrg],
    };
    const filed = await write("INSURER", "filePolicy", { idempotencyKey: "matrix-file-1", input: policy });
    expect(filed.findings.map((f: any) => f.ruleCode)).toContain("COMMISSION_ABOVE_MAX");
    await write("INSURER", "filePolicies", { inputs: [{ idempotencyKey: "matrix-bad-1", input: { ...policy, policyNo: "MATRIX-BAD", insuredEnterprises: [{ uscc: "bad", insuredHeadcount: 1 }] } }] });
    await write("INSURER", "recordFundEntry", {
      idempotencyKey: "matrix-fund-1",
      input: { entryRef: "MATRIX-F1", kind: "EXTRACTION", amount: "1851.85", bookedAt: "2026-03-05T10:00:00+08:00", policy: { insurerUscc: DEMO.insurer, policyNo: MATRIX_POLICY } },
    });
    const accident = await write("SECTOR_DEPARTMENT", "recordAccident", {
      idempotencyKey: "matrix-acc-1",
      input: { enterpriseUscc: DEMO.enterprise, occurredAt: "2026-04-01T10:00:00+08:00", deaths: 0, seriousInjuries: 1, directLoss: "20000.00", description: "矩阵测试 / matrix test" },
    });
    await write("INSURER", "reportClaim", {
      idempotencyKey: "matrix-claim-1",
      input: {
        policyNo: MATRIX_POLICY, claimRef: "MATRIX-C1", enterpriseUscc: DEMO.enterprise, accidentId: accident.accident.id, reportedAt: "2026-04-02T10:00:00+08:00", reserve: "30000.00",
        claimants: [{ kind: "EMPLOYEE", name: "张三丰", idNumber: "11010519491231002X", injury: "骨折" }],
      },
    });
    await write("INSURER", "recordClaimPayment", { idempotencyKey: "matrix-pay-1", input: { claimRef: "MATRIX-C1", paymentRef: "MATRIX-P1", kind: "ADVANCE", amount: "5000.00", paidAt: "2026-04-03T10:00:00+08:00" } });
    await write("SERVICE_ORG", "recordPreventionService", {
      idempotencyKey: "matrix-svc-1",
      input: {
        insurerUscc: DEMO.insurer, policyNo: MATRIX_POLICY, serviceRef: "MATRIX-S1", enterpriseUscc: DEMO.enterprise, serviceOrgUscc: DEMO.serviceOrg, kind: "HAZARD_INVESTIGATION",
        performedAt: "2026-05-01T10:00:00+08:00", place: "厂区", staff: ["李四"], cost: "800.00", confirmedByEnterprise: true,
        hazards: [{ description: "消防通道堵塞", severity: "GENERAL", noticeDate: "2026-05-01", deadline: "2026-05-31" }],
      },
    });
    await write("INSURER", "recordHazardRectification", {
      idempotencyKey: "matrix-rect-1",
      input: { insurerUscc: DEMO.insurer, serviceRef: "MATRIX-S1", seq: 1, outcome: "RECTIFIED", rectifiedAt: "2026-05-20T10:00:00+08:00" },
    });
    const upsert = await write("SECTOR_DEPARTMENT", "upsertEnterprises", {
      idempotencyKey: "matrix-upsert-1",
      inputs: [{ uscc: "bad", name: "x", regionCode: "500112", industryCode: "2614", employeeCount: 1, status: "OPERATING" }],
    });
    expect(upsert[0].accepted).toBe(false);
    await write("SECTOR_DEPARTMENT", "submitQuarterlyReport", { agencyId: DEMO.department, year: 2026, quarter: 3, note: "矩阵测试 / matrix test" });
    expect(summary(failures)).toEqual([]);
  });

  it.each(ROLES.map((r) => [r]))("%s: every field of every type it reaches gives what the matrix says", async (role) => {
    const query = schema.getQueryType()!;
    const before = failures.length;
    const entries = [...Object.keys(query.getFields()).map((field) => ({ field, args: rootArgs(role, field) })), ...(extraEntries[role] ?? [])];
    for (const e of entries) await observe(role, "query", e.field, e.args);
    const missing: string[] = [];
    for (const typeName of reachable(role, query)) {
      if (UNOBSERVABLE[`${role} ${typeName}`]) continue;
      const t = schema.getType(typeName) as GraphQLObjectType;
      const unseen = Object.keys(t.getFields()).filter((f) => !seen.has(`${role} ${typeName}.${f}`));
      if (unseen.length) missing.push(`${typeName}: ${unseen.join(" ")}`);
    }
    expect(summary(failures.slice(before))).toEqual([]);
    expect(missing, `${role} never reached these on the demo data: add an entry or an UNOBSERVABLE reason`).toEqual([]);
  });

  it("the masks were exercised: a masked secret finding, a handled and a co-insured claim's claimants", () => {
    expect(maskedSecretFindings).toBeGreaterThan(0);
    expect(wholeHandledClaimants).toBeGreaterThan(0);
    expect(maskedCoinsuredClaimants).toBeGreaterThan(0);
  });

  it("every mutation as every role: FORBIDDEN at the gate exactly for the roles the matrix denies", async () => {
    const mutation = schema.getMutationType()!;
    const problems: string[] = [];
    let n = 0;
    for (const [name, field] of Object.entries(mutation.getFields())) {
      for (const role of ROLES) {
        const args = minimalArgs(field.args, { idempotencyKey: `matrix-gate-${++n}`, agencyId: CTX[role].org ?? "x" });
        const r = await observe(role, "mutation", name, args);
        const gate = (r.errors ?? []).some((e) => e.path?.[0] === name && e.extensions?.code === "FORBIDDEN" && GATE.test(e.message));
        const exp = expected("Mutation", name, role);
        if (exp === "DENIED" && !gate) problems.push(`${role} ${name}: expected FORBIDDEN at the gate, got ${JSON.stringify(r.errors?.map((e) => e.extensions?.code) ?? "success")}`);
        if (exp === "ALLOWED" && gate) problems.push(`${role} ${name}: the matrix allows it, the gate refused`);
      }
    }
    expect(problems).toEqual([]);
    // the field checks of whatever the allowed calls returned
    expect(summary(failures)).toEqual([]);
  });

  it("every mutation result type was seen whole by at least one role", () => {
    const mutation = schema.getMutationType()!;
    const types = new Set<string>();
    for (const role of ROLES) for (const t of reachable(role, mutation)) if (t !== "Mutation") types.add(t);
    const missing: string[] = [];
    for (const typeName of types) {
      const t = schema.getType(typeName) as GraphQLObjectType;
      for (const f of Object.keys(t.getFields())) if (!ROLES.some((r) => seen.has(`${r} ${typeName}.${f}`))) missing.push(`${typeName}.${f}`);
    }
    expect(missing).toEqual([]);
  });
});

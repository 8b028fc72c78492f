import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { buildCsv, reportExportFor } from "../../src/modules/reporting/export.js";
import { agencies, agencySectors, enterprises, regions } from "../../schema/index.js";
import { demoDatabase } from "../support/demo.js";
import { uscc } from "../support/fixture.js";
import { asRole, ok } from "../support/graphql.js";

/**
 * Cross-tenant probes on the demo data: an insurer cannot read or change another insurer's policy,
 * claim, ledger entry or finding by guessing keys; a department cannot reach outside its sectors and
 * region by any path (keys, filters, nesting, aggregates, reports, exports); and the small-cell rule
 * (src/modules/access.ts, src/auth/small-cell.ts) on a county built here cell by cell.
 */

let database: Database;
let run: ReturnType<typeof asRole>;
const rows = async (q: ReturnType<typeof sql>) => ((await database.db.execute(q)) as any).rows as any[];
const count = async (q: ReturnType<typeof sql>) => Number((await rows(q))[0].n);

const A = DEMO.insurer;
const D = DEMO.department; // 500000-EMERGENCY: non-coal mines, hazardous chemicals, fireworks, metal smelting
const D_SECTORS = ["NON_COAL_MINE", "HAZARDOUS_CHEMICALS", "FIREWORKS", "METAL_SMELTING"];

/** Another insurer's policy, with a claim, a service with a hazard and a ledger entry, that A has no share in. */
let B: { insurer: string; policyNo: string; policyId: number; enterprise: string; claimRef: string; serviceRef: string; seq: number; entryRef: string };
/** an enterprise in Chongqing outside D's sectors, and one in D's sectors outside its region */
let outOfSector: string;
let outOfRegion: string;

const codes = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
let keySeq = 0;
const key = () => `xt-${++keySeq}`;

beforeAll(async () => {
  database = await demoDatabase();
  run = asRole(database);
  const [b] = await rows(sql`
    select p.id, p.insurer_uscc, p.policy_no, pe.enterprise_uscc, c.claim_ref, s.service_ref, h.seq, f.entry_ref
    from policies p
    join policy_enterprises pe on pe.policy_id = p.id
    join enterprises e on e.uscc = pe.enterprise_uscc
    join claims c on c.policy_id = p.id and c.insurer_uscc = p.insurer_uscc and c.status in ('REPORTED', 'ASSESSED', 'ADVANCE_PAID')
    join prevention_services s on s.policy_id = p.id and s.insurer_uscc = p.insurer_uscc
    join hazards h on h.service_id = s.id and h.status = 'OPEN'
    join fund_entries f on f.policy_id = p.id and f.insurer_uscc = p.insurer_uscc
    where e.region_code like '50%' and e.sector = any(${sql.raw(`array['${D_SECTORS.join("','")}']`)}) and p.insurer_uscc <> ${A}
      and not exists (select 1 from policy_coinsurers x where x.policy_id = p.id and x.insurer_uscc = ${A})
      and not exists (select 1 from policy_enterprises y join policy_coinsurers z on z.policy_id = y.policy_id where y.enterprise_uscc = pe.enterprise_uscc and z.insurer_uscc = ${A})
      and not exists (select 1 from policies q where q.insurer_uscc = ${A} and q.policy_no = p.policy_no)
    order by p.id limit 1`);
  B = { insurer: b.insurer_uscc, policyNo: b.policy_no, policyId: b.id, enterprise: b.enterprise_uscc, claimRef: b.claim_ref, serviceRef: b.service_ref, seq: b.seq, entryRef: b.entry_ref };
  outOfSector = (await rows(sql`select uscc from enterprises where region_code like '50%' and sector = 'CONSTRUCTION' and exists (select 1 from claims c where c.enterprise_uscc = uscc) order by uscc limit 1`))[0].uscc;
  outOfRegion = (await rows(sql`select uscc from enterprises where region_code like '35%' and sector = 'HAZARDOUS_CHEMICALS' and exists (select 1 from policy_enterprises x where x.enterprise_uscc = uscc) order by uscc limit 1`))[0].uscc;
});
afterAll(() => database?.close());

const viewer = (role: Role, org: string) => new JurisdictionCache(database.db).viewerFor({ sub: "probe", role, org, purpose: null });

// ---------------------------------------------------------------------------------------------

describe("an insurer cannot read another insurer's records by guessing keys", () => {
  it("policy by key → null; the owner reads it", async () => {
    const q = `query($i: String!, $n: String!) { policy(insurerId: $i, policyNo: $n) { policyNo premium } }`;
    expect(ok(await run("INSURER", A, q, { i: B.insurer, n: B.policyNo })).policy).toBeNull();
    expect(ok(await run("INSURER", B.insurer, q, { i: B.insurer, n: B.policyNo })).policy.policyNo).toBe(B.policyNo);
  });

  it("claims, ledger entries, services, hazards and findings filtered by the other insurer or its enterprise → empty", async () => {
    // a finding of B's: a commission above the cap on a policy it files now
    const filed = await run("INSURER", B.insurer, `mutation($k: String!, $p: PolicyInput!) { filePolicy(idempotencyKey: $k, input: $p) { accepted findings { ruleCode insurerUscc } } }`, {
      k: key(),
      p: policyInput("XT-B-FINDING", B.enterprise, "2026-06-01", "5000.00", { commissionRatio: "0.0900" }),
    });
    expect(ok(filed).filePolicy.findings.map((f: any) => f.ruleCode)).toContain("COMMISSION_ABOVE_MAX");
    const Q = `query($i: String!, $e: String!) {
      byInsurer: claims(filter: { insurerUscc: $i, enterpriseUscc: $e }) { totalCount }
      byEnterprise: claims(filter: { enterpriseUscc: $e }) { totalCount }
      ledger: fundEntries(filter: { insurerUscc: $i }) { totalCount }
      services: preventionServices(filter: { insurerUscc: $i, enterpriseUscc: $e }) { totalCount }
      hazards(filter: { enterpriseUscc: $e }) { totalCount }
      findings: complianceFindings(filter: { insurerUscc: $i }) { totalCount }
      policies(filter: { insurerUscc: $i, enterpriseUscc: $e }) { totalCount }
      enterprise(uscc: $e) { uscc } }`;
    const mine = ok(await run("INSURER", A, Q, { i: B.insurer, e: B.enterprise }));
    expect(mine).toEqual({
      byInsurer: { totalCount: 0 }, byEnterprise: { totalCount: 0 }, ledger: { totalCount: 0 }, services: { totalCount: 0 },
      hazards: { totalCount: 0 }, findings: { totalCount: 0 }, policies: { totalCount: 0 }, enterprise: null,
    });
    // the same probes as B find its own records: the filters work, the scope hides them
    const theirs = ok(await run("INSURER", B.insurer, Q, { i: B.insurer, e: B.enterprise }));
    for (const k of ["byInsurer", "ledger", "services", "hazards", "findings", "policies"]) expect(theirs[k].totalCount, k).toBeGreaterThan(0);
  });

  it("a co-insurer sees the shared policy but not the other insurers' ledgers, nor whole claimants of claims it does not handle", async () => {
    const [shared] = await rows(sql`select p.insurer_uscc, p.policy_no from policies p join policy_coinsurers pc on pc.policy_id = p.id
      where pc.insurer_uscc = ${A} and p.insurer_uscc <> ${A} and exists (select 1 from fund_entries f where f.policy_id = p.id and f.insurer_uscc <> ${A})
      and exists (select 1 from claims c join claimants x on x.claim_id = c.id where c.policy_id = p.id) order by p.id limit 1`);
    const d = ok(await run("INSURER", A, `query($i: String!, $n: String!) { policy(insurerId: $i, policyNo: $n) { premium fundEntries { insurerUscc amount } claims { insurerUscc claimants { name idNumber } } } }`, {
      i: shared.insurer_uscc, n: shared.policy_no,
    }));
    expect(d.policy.premium).toMatch(/^\d+\.\d{2}$/);
    expect(d.policy.fundEntries.every((f: any) => f.insurerUscc === A)).toBe(true);
    const claimants = d.policy.claims.flatMap((c: any) => c.claimants);
    expect(claimants.length).toBeGreaterThan(0);
    for (const c of claimants) expect(c.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
  });

  it("through an enterprise both insure, an insurer reaches only its own policies and what hangs off them", async () => {
    const [shared] = await rows(sql`select pe.enterprise_uscc from policy_enterprises pe join policies p on p.id = pe.policy_id
      where p.insurer_uscc <> ${A} and not exists (select 1 from policy_coinsurers x where x.policy_id = p.id and x.insurer_uscc = ${A})
        and pe.enterprise_uscc like '__50%'
        and exists (select 1 from claims c where c.policy_id = p.id) and exists (select 1 from prevention_services s where s.policy_id = p.id)
        and exists (select 1 from policy_enterprises pe2 join policy_coinsurers pc2 on pc2.policy_id = pe2.policy_id where pe2.enterprise_uscc = pe.enterprise_uscc and pc2.insurer_uscc = ${A})
      order by 1 limit 1`);
    const mine = new Set((await rows(sql`select policy_id from policy_coinsurers where insurer_uscc = ${A}`)).map((r) => Number(r.policy_id)));
    const d = ok(await run("INSURER", A, `query($u: String!) { enterprise(uscc: $u) {
      policies { id coinsurers { insurerUscc } } claims { policy { id } } preventionServices { policy { id } } hazards { id } openFindings { insurerUscc } } }`, { u: shared.enterprise_uscc }));
    expect(d.enterprise.policies.length).toBeGreaterThan(0);
    for (const p of d.enterprise.policies) expect(p.coinsurers.map((c: any) => c.insurerUscc)).toContain(A);
    for (const c of d.enterprise.claims) expect(mine.has(Number(c.policy.id))).toBe(true);
    for (const s of d.enterprise.preventionServices) expect(mine.has(Number(s.policy.id))).toBe(true);
    for (const f of d.enterprise.openFindings) expect(f.insurerUscc).toBe(A);
    const hazardIds = (await rows(sql`select h.id from hazards h join prevention_services s on s.id = h.service_id
      where h.enterprise_uscc = ${shared.enterprise_uscc} and s.policy_id in (select policy_id from policy_coinsurers where insurer_uscc = ${A})`)).map((r) => String(r.id));
    expect(d.enterprise.hazards.map((h: any) => h.id).sort()).toEqual(hazardIds.sort());
    // and the other insurer's records exist: the committee office sees more claims on this enterprise
    const all = ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, `query($u: String!) { enterprise(uscc: $u) { claims { id } } }`, { u: shared.enterprise_uscc }));
    expect(all.enterprise.claims.length).toBeGreaterThan(d.enterprise.claims.length);
  });

  it("an insurer reads only its own assessment", async () => {
    const r = await run("INSURER", A, `query($i: String!) { insurerAssessment(insurerId: $i, year: 2026, quarter: 3) { insurerId } }`, { i: B.insurer });
    expect(codes(r)).toContain("FORBIDDEN");
    expect(r.data?.insurerAssessment ?? null).toBeNull();
  });
});

describe("an insurer cannot change another insurer's records", () => {
  const state = async () => ({
    policy: (await rows(sql`select version, cancelled_at, premium from policies where id = ${B.policyId}`))[0],
    claim: (await rows(sql`select status, assessed_at, settled_at, reserve from claims where insurer_uscc = ${B.insurer} and claim_ref = ${B.claimRef}`))[0],
    payments: await count(sql`select count(*) n from claim_payments p join claims c on c.id = p.claim_id where c.insurer_uscc = ${B.insurer} and c.claim_ref = ${B.claimRef}`),
    hazard: (await rows(sql`select h.status from hazards h join prevention_services s on s.id = h.service_id where s.insurer_uscc = ${B.insurer} and s.service_ref = ${B.serviceRef} and h.seq = ${B.seq}`))[0],
    ledger: await count(sql`select count(*) n from fund_entries where policy_id = ${B.policyId}`),
    services: await count(sql`select count(*) n from prevention_services where policy_id = ${B.policyId}`),
    claims: await count(sql`select count(*) n from claims where policy_id = ${B.policyId}`),
  });

  it("cancel, amend, pay, assess, settle, book, serve, rectify, report a claim: every one refused, nothing written", async () => {
    const before = await state();
    const attempts: [string, string, Record<string, unknown>][] = [
      ["cancelPolicy", `mutation($k: String!, $n: String!) { cancelPolicy(idempotencyKey: $k, policyNo: $n, cancelledAt: "2026-06-01T00:00:00+08:00", reason: "探测") { accepted } }`, { n: B.policyNo }],
      ["amendPolicy", `mutation($k: String!, $n: String!, $p: PolicyInput!) { amendPolicy(idempotencyKey: $k, policyNo: $n, reason: "探测", input: $p) { accepted } }`,
        { n: B.policyNo, p: policyInput(B.policyNo, B.enterprise, "2026-01-01", "1.00") }],
      ["recordClaimPayment", `mutation($k: String!, $r: String!) { recordClaimPayment(idempotencyKey: $k, input: { claimRef: $r, paymentRef: "XT-P", kind: ADVANCE, amount: "1.00", paidAt: "2026-11-01T00:00:00+08:00" }) { replayed } }`, { r: B.claimRef }],
      ["assessClaim", `mutation($k: String!, $r: String!) { assessClaim(idempotencyKey: $k, input: { claimRef: $r, assessedAt: "2026-11-01T00:00:00+08:00" }) { replayed } }`, { r: B.claimRef }],
      ["settleClaim", `mutation($k: String!, $r: String!) { settleClaim(idempotencyKey: $k, input: { claimRef: $r, settledAmount: "1.00", settledAt: "2026-11-01T00:00:00+08:00" }) { replayed } }`, { r: B.claimRef }],
      ["recordFundEntry", `mutation($k: String!, $i: String!, $n: String!) { recordFundEntry(idempotencyKey: $k, input: { entryRef: "XT-F", kind: USE, category: TRAINING, amount: "1.00", bookedAt: "2026-06-01T00:00:00+08:00", policy: { insurerUscc: $i, policyNo: $n } }) { replayed } }`,
        { i: B.insurer, n: B.policyNo }],
      ["recordPreventionService", `mutation($k: String!, $i: String!, $n: String!, $e: String!) { recordPreventionService(idempotencyKey: $k, input: { insurerUscc: $i, policyNo: $n, serviceRef: "XT-S", enterpriseUscc: $e, kind: TRAINING, performedAt: "2026-06-01T00:00:00+08:00", staff: ["x"], cost: "1.00", confirmedByEnterprise: true }) { replayed } }`,
        { i: B.insurer, n: B.policyNo, e: B.enterprise }],
      ["recordHazardRectification", `mutation($k: String!, $i: String!, $r: String!, $s: Int!) { recordHazardRectification(idempotencyKey: $k, input: { insurerUscc: $i, serviceRef: $r, seq: $s, outcome: REFUSED }) { replayed } }`,
        { i: B.insurer, r: B.serviceRef, s: B.seq }],
      ["reportClaim", `mutation($k: String!, $n: String!, $e: String!) { reportClaim(idempotencyKey: $k, input: { policyNo: $n, claimRef: "XT-C", enterpriseUscc: $e, reportedAt: "2026-06-01T00:00:00+08:00", reserve: "1.00", claimants: [] }) { replayed } }`,
        { n: B.policyNo, e: B.enterprise }],
    ];
    for (const [name, doc, vars] of attempts) {
      const r = await run("INSURER", A, doc, { k: key(), ...vars });
      expect(r.data?.[name] ?? null, name).toBeNull();
      // a stranger learns nothing: "no such record of yours", exactly as for a key that does not exist
      expect(codes(r), name).toEqual([expect.stringMatching(/^(BAD_USER_INPUT|FORBIDDEN)$/)]);
    }
    expect(await state()).toEqual(before);
  });

  it("the refusal for another insurer's key is the refusal for a key that does not exist", async () => {
    const pay = `mutation($k: String!, $r: String!) { recordClaimPayment(idempotencyKey: $k, input: { claimRef: $r, paymentRef: "XT-P2", kind: ADVANCE, amount: "1.00", paidAt: "2026-11-01T00:00:00+08:00" }) { replayed } }`;
    const theirs = await run("INSURER", A, pay, { k: key(), r: B.claimRef });
    const none = await run("INSURER", A, pay, { k: key(), r: "NO-SUCH-CLAIM" });
    expect(theirs.errors![0].extensions).toMatchObject({ code: "BAD_USER_INPUT", rule: none.errors![0].extensions!.rule });
  });
});

// ---------------------------------------------------------------------------------------------

describe("a department cannot reach outside its sectors and region", () => {
  it("by key: an enterprise of another sector, or of its sectors in another region, is null; so are their policies", async () => {
    for (const u of [outOfSector, outOfRegion]) {
      const [p] = await rows(sql`select p.insurer_uscc, p.policy_no from policies p join policy_enterprises pe on pe.policy_id = p.id where pe.enterprise_uscc = ${u} limit 1`);
      const d = ok(await run("SECTOR_DEPARTMENT", D, `query($u: String!, $i: String!, $n: String!) { enterprise(uscc: $u) { uscc } policy(insurerId: $i, policyNo: $n) { policyNo } }`, {
        u, i: p.insurer_uscc, n: p.policy_no,
      }));
      expect(d).toEqual({ enterprise: null, policy: null });
    }
  });

  it("by filter: another region or sector, or an enterprise outside, gives empty lists everywhere", async () => {
    const lists = ["enterprises", "policies", "claims", "accidents", "preventionServices", "hazards", "complianceFindings"];
    const filters: Record<string, unknown>[] = [{ regionCode: "350200" }, { sectors: ["CONSTRUCTION"] }, { regionCode: "350203", sectors: ["HAZARDOUS_CHEMICALS"] }];
    for (const f of filters) {
      for (const l of lists) {
        const type = { enterprises: "EnterpriseFilter", policies: "PolicyFilter", claims: "ClaimFilter", accidents: "AccidentFilter", preventionServices: "PreventionServiceFilter", hazards: "HazardFilter", complianceFindings: "ComplianceFindingFilter" }[l];
        const d = ok(await run("SECTOR_DEPARTMENT", D, `query($f: ${type}) { ${l}(filter: $f) { totalCount } }`, { f }));
        expect(d[l].totalCount, `${l} ${JSON.stringify(f)}`).toBe(0);
      }
    }
    for (const u of [outOfSector, outOfRegion]) {
      const d = ok(await run("SECTOR_DEPARTMENT", D, `query($u: String!) { claims(filter: { enterpriseUscc: $u }) { totalCount } policies(filter: { enterpriseUscc: $u }) { totalCount }
        hazards(filter: { enterpriseUscc: $u }) { totalCount } preventionServices(filter: { enterpriseUscc: $u }) { totalCount } complianceFindings(filter: { enterpriseUscc: $u }) { totalCount } }`, { u }));
      expect(Object.values(d).map((x: any) => x.totalCount)).toEqual([0, 0, 0, 0, 0]);
    }
    // the filters do select: the committee office of Chongqing finds its construction claims with the same filter
    expect(ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, `{ claims(filter: { sectors: [CONSTRUCTION] }) { totalCount } }`)).claims.totalCount).toBeGreaterThan(0);
  });

  it("by nesting: a park policy across sectors shows the department its own member only, and none of the other member's records", async () => {
    const [inScope] = await rows(sql`select uscc from enterprises where region_code like '500112%' and sector = 'HAZARDOUS_CHEMICALS' order by uscc limit 1`);
    const filed = await run("INSURER", A, `mutation($k: String!, $p: PolicyInput!) { filePolicy(idempotencyKey: $k, input: $p) { accepted } }`, {
      k: key(),
      p: { ...policyInput("XT-PARK-1", inScope.uscc, "2026-05-01", "9000.00"), insuredEnterprises: [{ uscc: inScope.uscc, insuredHeadcount: 5 }, { uscc: outOfSector, insuredHeadcount: 5 }] },
    });
    expect(ok(filed).filePolicy.accepted).toBe(true);
    await run("INSURER", A, `mutation($k: String!, $e: String!) { reportClaim(idempotencyKey: $k, input: { policyNo: "XT-PARK-1", claimRef: "XT-PARK-C1", enterpriseUscc: $e, reportedAt: "2026-06-01T00:00:00+08:00", reserve: "100.00", claimants: [] }) { replayed } }`, { k: key(), e: outOfSector }).then(ok);
    const d = ok(await run("SECTOR_DEPARTMENT", D, `query($i: String!) { policy(insurerId: $i, policyNo: "XT-PARK-1") {
      insuredEnterprises { enterpriseUscc enterprise { uscc } } claims { enterpriseUscc } hazards { enterpriseUscc } preventionServices { enterpriseUscc }
      findings { enterpriseUscc } } }`, { i: A }));
    // the other member is not even listed: not its USCC, not its headcount
    expect(d.policy.insuredEnterprises).toEqual([{ enterpriseUscc: inScope.uscc, enterprise: { uscc: inScope.uscc } }]);
    for (const k of ["claims", "hazards", "preventionServices", "findings"]) expect(d.policy[k].every((x: any) => x.enterpriseUscc !== outOfSector), k).toBe(true);
    // the insurer, who handles it, sees the other member's claim
    const ins = ok(await run("INSURER", A, `{ policy(insurerId: "${A}", policyNo: "XT-PARK-1") { claims { enterpriseUscc } } }`));
    expect(ins.policy.claims.map((c: any) => c.enterpriseUscc)).toContain(outOfSector);
  });

  it("by aggregate: coverage and the uninsured list of another region or sector are FORBIDDEN; its own count only its scope", async () => {
    for (const args of [`regionCode: "350200"`, `regionCode: "500000", sector: CONSTRUCTION`, `regionCode: "410000"`]) {
      for (const q of [`{ coverage(${args}) { overall { mandatoryEnterprises } } }`, `{ uninsuredEnterprises(${args}) { totalCount } }`]) {
        expect(codes(await run("SECTOR_DEPARTMENT", D, q)), `${q}`).toEqual(["FORBIDDEN"]);
      }
    }
    const d = ok(await run("SECTOR_DEPARTMENT", D, `{ coverage(regionCode: "500000") { overall { mandatoryEnterprises } bySector { sector } }
      uninsuredEnterprises(regionCode: "500000", first: 500) { edges { node { enterprise { uscc sector regionCode } } } } }`));
    expect(d.coverage.bySector.every((s: any) => D_SECTORS.includes(s.sector))).toBe(true);
    const committee = ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, `{ coverage(regionCode: "500000") { bySector { sector mandatoryEnterprises } } }`));
    const inScope = committee.coverage.bySector.filter((s: any) => D_SECTORS.includes(s.sector)).reduce((n: number, s: any) => n + s.mandatoryEnterprises, 0);
    expect(d.coverage.overall.mandatoryEnterprises).toBe(inScope);
    for (const e of d.uninsuredEnterprises.edges) expect(D_SECTORS.includes(e.node.enterprise.sector) && e.node.enterprise.regionCode.startsWith("50")).toBe(true);
  });

  it("by report: another agency's report, submissions, compliance, loss rates elsewhere and assessments are FORBIDDEN", async () => {
    const probes = [
      `{ quarterlyReport(agencyId: "350200-EMERGENCY", year: 2026, quarter: 3) { agencyId } }`,
      `{ quarterlyReport(agencyId: "500000-HOUSING", year: 2026, quarter: 3) { agencyId } }`,
      `{ quarterlyReport(agencyId: "500000-COMMITTEE_OFFICE", year: 2026, quarter: 3) { agencyId } }`,
      `{ quarterlyReportSubmissions(agencyId: "500000-HOUSING", year: 2026, quarter: 3) { version } }`,
      `{ reportingCompliance(regionCode: "500000", year: 2026, quarter: 3) { onTime } }`,
      `{ pureRiskLossRates(regionCode: "350200", year: 2025) { overall { lossRate } } }`,
      `{ insurerAssessment(insurerId: "${A}", year: 2026, quarter: 3) { insurerId } }`,
      `{ insurerRanking(year: 2026, quarter: 3) { marketPremium } }`,
    ];
    for (const q of probes) expect(codes(await run("SECTOR_DEPARTMENT", D, q)), q).toEqual(["FORBIDDEN"]);
  });

  it("by export: another agency's export is FORBIDDEN", async () => {
    await expect(reportExportFor(database.db, await viewer("SECTOR_DEPARTMENT", D), "500000-HOUSING", 2026, 3)).rejects.toMatchObject({ extensions: { code: "FORBIDDEN" } });
  });

  it("by write: an accident or base data of an enterprise outside is refused", async () => {
    const acc = await run("SECTOR_DEPARTMENT", D, `mutation($k: String!, $e: String!) { recordAccident(idempotencyKey: $k, input: { enterpriseUscc: $e, occurredAt: "2026-06-01T00:00:00+08:00", deaths: 0, seriousInjuries: 0, directLoss: "1.00" }) { replayed } }`, { k: key(), e: outOfSector });
    expect(codes(acc)).toEqual(["FORBIDDEN"]);
    const [far] = await rows(sql`select * from enterprises where uscc = ${outOfRegion}`);
    const up = ok(await run("SECTOR_DEPARTMENT", D, `mutation($k: String!, $i: [EnterpriseInput!]!) { upsertEnterprises(idempotencyKey: $k, inputs: $i) { accepted errorCode } }`, {
      k: key(), i: [{ uscc: far.uscc, name: "改名探测", regionCode: far.region_code, industryCode: far.industry_code, employeeCount: 1, status: "OPERATING" }],
    }));
    expect(up.upsertEnterprises[0].accepted).toBe(false);
    expect((await rows(sql`select name from enterprises where uscc = ${outOfRegion}`))[0].name).toBe(far.name);
  });

  it("findings whose text quotes a trade secret reach the department without the figures", async () => {
    const d = ok(await run("SECTOR_DEPARTMENT", D, `{ complianceFindings(first: 50, filter: { ruleCodes: ["COMMISSION_ABOVE_MAX"] }) { edges { node { message insurerUscc } } } }`));
    expect(d.complianceFindings.edges.length).toBeGreaterThan(0);
    for (const e of d.complianceFindings.edges) expect(e.node.message).not.toMatch(/\d/);
    const c = ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, `{ complianceFindings(first: 50, filter: { ruleCodes: ["COMMISSION_ABOVE_MAX"] }) { edges { node { message } } } }`));
    expect(c.complianceFindings.edges[0].node.message).toMatch(/9%/);
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * The small-cell rule, cell by cell, on a county added to the demo: 石柱县 (500240) with its
 * emergency bureau (hazardous chemicals) and five enterprises; the policies are filed through the
 * API as the quarter goes on.
 */
describe("the small-cell rule", () => {
  const COUNTY = "500240";
  const AGENCY = "500240-EMERGENCY";
  const ent = (n: number) => uscc(COUNTY, 700 + n);
  const [insB, insC] = [() => B.insurer, () => C];
  let C: string;

  const REPORT = `query($a: String!, $q: Int!) { quarterlyReport(agencyId: $a, year: 2026, quarter: $q) {
    withheld overall { insurance { policiesStarted premiumTotal } preventionFund { extracted used usedToExtractedRatio useByCategory { category amount } } }
    bySector { insurance { premiumTotal } } byRegion { insurance { premiumTotal } } } }`;
  const asDept = async (q = 2) => ok(await run("SECTOR_DEPARTMENT", AGENCY, REPORT, { a: AGENCY, q })).quarterlyReport;
  const asCommittee = async (q = 2) => ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, REPORT, { a: AGENCY, q })).quarterlyReport;
  const file = async (insurer: string, no: string, n: number, start: string, premium: string) =>
    ok(await run("INSURER", insurer, `mutation($k: String!, $p: PolicyInput!) { filePolicy(idempotencyKey: $k, input: $p) { accepted } }`, { k: key(), p: policyInput(no, ent(n), start, premium) }));
  const book = async (insurer: string, ref: string, policyNo: string, kind: string, amount: string, category?: string) =>
    ok(await run("INSURER", insurer, `mutation($k: String!, $i: FundEntryInput!) { recordFundEntry(idempotencyKey: $k, input: $i) { replayed } }`, {
      k: key(), i: { entryRef: ref, kind, category, amount, bookedAt: "2026-05-20T10:00:00+08:00", policy: { insurerUscc: insurer, policyNo } },
    }));

  beforeAll(async () => {
    C = (await rows(sql`select uscc from insurers where uscc not in (${A}, ${B.insurer}) order by uscc limit 1`))[0].uscc;
    await database.db.insert(regions).values({ code: COUNTY, name: "石柱土家族自治县", parentCode: "500200", level: 3 });
    await database.db.insert(agencies).values({ id: AGENCY, regionCode: COUNTY, kind: "EMERGENCY", name: "石柱县应急管理局" });
    await database.db.insert(agencySectors).values({ agencyId: AGENCY, sector: "HAZARDOUS_CHEMICALS" });
    await database.db.insert(enterprises).values([1, 2, 3, 4, 5, 6].map((n) => ({
      uscc: ent(n), name: `石柱化工${n}有限公司`, regionCode: COUNTY, industryCode: "C2614", sector: "HAZARDOUS_CHEMICALS", employeeCount: 10, status: "OPERATING",
    })));
  });

  it("one policy: the department sees the count, not the premium; the committee office sees both", async () => {
    await file(A, "XT-SC-1", 1, "2026-04-10", "1000.00");
    const d = await asDept();
    expect(d.overall.insurance).toEqual({ policiesStarted: 1, premiumTotal: null });
    expect(d.withheld).toContain("overall.insurance.premiumTotal");
    expect(d.withheld).toContain("bySector[0].insurance.premiumTotal");
    expect((await asCommittee()).overall.insurance).toEqual({ policiesStarted: 1, premiumTotal: "1000.00" });
    expect((await asCommittee()).withheld).toEqual([]);
  });

  it("three policies of one insurer: still withheld (that insurer's premium)", async () => {
    await file(A, "XT-SC-2", 2, "2026-04-11", "2000.00");
    await file(A, "XT-SC-3", 3, "2026-04-12", "3000.00");
    expect((await asDept()).overall.insurance).toEqual({ policiesStarted: 3, premiumTotal: null });
  });

  it("four policies of two insurers: shown, overall and the (single) sector row", async () => {
    await file(insB(), "XT-SC-4", 4, "2026-04-13", "4000.00");
    const d = await asDept();
    expect(d.overall.insurance).toEqual({ policiesStarted: 4, premiumTotal: "10000.00" });
    expect(d.bySector[0].insurance.premiumTotal).toBe("10000.00");
    expect(d.withheld.filter((p: string) => p.includes("premiumTotal"))).toEqual([]);
  });

  it("fund amounts: each of extracted and used by its own contributors; category amounts all or none; the ratio only with both", async () => {
    await book(A, "XT-SC-E1", "XT-SC-1", "EXTRACTION", "100.00");
    await book(insB(), "XT-SC-E4", "XT-SC-4", "EXTRACTION", "400.00");
    let d = await asDept();
    expect(d.overall.preventionFund).toMatchObject({ extracted: null, usedToExtractedRatio: null }); // 2 policies
    await book(A, "XT-SC-E2", "XT-SC-2", "EXTRACTION", "200.00");
    await book(A, "XT-SC-U1", "XT-SC-1", "USE", "10.00", "TRAINING");
    await book(A, "XT-SC-U2", "XT-SC-2", "USE", "20.00", "TRAINING");
    await book(insB(), "XT-SC-U4", "XT-SC-4", "USE", "40.00", "TRAINING");
    d = await asDept();
    expect(d.overall.preventionFund).toEqual({ extracted: "700.00", used: "70.00", usedToExtractedRatio: "0.1000", useByCategory: [{ category: "TRAINING", amount: "70.00" }] });
    // one SAFETY_REWARD entry is a category of one policy: every category amount goes (TRAINING = used − SAFETY_REWARD otherwise)
    await book(A, "XT-SC-U1B", "XT-SC-1", "USE", "5.00", "SAFETY_REWARD");
    d = await asDept();
    expect(d.overall.preventionFund).toEqual({
      extracted: "700.00", used: "75.00", usedToExtractedRatio: "0.1071",
      useByCategory: [{ category: "SAFETY_REWARD", amount: null }, { category: "TRAINING", amount: null }],
    });
    expect(d.withheld).toEqual(expect.arrayContaining(["overall.preventionFund.useByCategory[0].amount", "overall.preventionFund.useByCategory[1].amount"]));
  });

  it("before the quarter has ended nothing is shown, whatever the cell", async () => {
    for (const [n, ins] of [[1, A], [2, A], [3, insB()], [4, insC()]] as const) await file(ins, `XT-SC-Q4-${n}`, n, "2026-10-0" + n, "1000.00");
    const d = await asDept(4);
    expect(d.overall.insurance).toEqual({ policiesStarted: 4, premiumTotal: null });
    expect((await asCommittee(4)).overall.insurance.premiumTotal).toBe("4000.00");
  });

  it("the stored submission and the export withhold the same figures from the department, and keep them for the committee office", async () => {
    const s = ok(await run("SECTOR_DEPARTMENT", AGENCY, `mutation { submitQuarterlyReport(agencyId: "${AGENCY}", year: 2026, quarter: 2) { figures contentHash hashVerified report { withheld } } }`)).submitQuarterlyReport;
    const figures = JSON.parse(s.figures);
    expect(s.report.withheld.length).toBeGreaterThan(0);
    expect(figures.withheld).toEqual(s.report.withheld);
    expect(figures.overall.preventionFund.useByCategory.map((c: any) => c.amount)).toEqual([null, null]);
    expect(figures.overall.insurance.premiumTotal).toBe("10000.00");
    const Q = `{ quarterlyReportSubmissions(agencyId: "${AGENCY}", year: 2026, quarter: 2) { figures contentHash hashVerified } }`;
    const [mine] = ok(await run("SECTOR_DEPARTMENT", AGENCY, Q)).quarterlyReportSubmissions;
    expect(JSON.parse(mine.figures).overall.preventionFund.useByCategory[1].amount).toBeNull();
    const [whole] = ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, Q)).quarterlyReportSubmissions;
    expect(JSON.parse(whole.figures).overall.preventionFund.useByCategory.map((c: any) => c.amount)).toEqual(["5.00", "70.00"]);
    expect(createHash("sha256").update(whole.figures, "utf8").digest("hex")).toBe(whole.contentHash);
    expect(whole.hashVerified).toBe(true);

    const exp = (await reportExportFor(database.db, await viewer("SECTOR_DEPARTMENT", AGENCY), AGENCY, 2026, 2))!;
    const csv = buildCsv(exp);
    expect(csv).toMatch(/^总体,.*,preventionFund\.useByCategory\.TRAINING\.amount,[^,]*,,元\r$/m);
    expect(csv).toContain("小单元规则");
    const full = buildCsv((await reportExportFor(database.db, await viewer("COMMITTEE_OFFICE", DEMO.committeeOffice), AGENCY, 2026, 2))!);
    expect(full).toMatch(/^总体,.*,preventionFund\.useByCategory\.TRAINING\.amount,[^,]*,70\.00,元\r$/m);
  });

  it("an insurer's market share: withheld while the rest of the county's market is one insurer's, shown once it is several", async () => {
    const Q = `{ insurerAssessment(insurerId: "${A}", year: 2026, quarter: 2, regionCode: "${COUNTY}") { underwriting { premium marketShare } withheld } }`;
    // A: 6000 of 10000; the rest is B's one policy
    let a = ok(await run("INSURER", A, Q)).insurerAssessment;
    expect(a).toEqual({ underwriting: { premium: "6000.00", marketShare: null }, withheld: ["underwriting.marketShare"] });
    expect(ok(await run("FINANCIAL_REGULATOR", DEMO.financialRegulator, Q)).insurerAssessment.underwriting.marketShare).toBe("0.6000");
    await file(insC(), "XT-SC-5", 5, "2026-05-01", "5000.00");
    await file(insC(), "XT-SC-6", 6, "2026-05-02", "5000.00");
    a = ok(await run("INSURER", A, Q)).insurerAssessment;
    expect(a).toEqual({ underwriting: { premium: "6000.00", marketShare: "0.3000" }, withheld: [] });
  });

  it("pure risk loss rates: a department gets earned premium and the rate only for its own region, for an ended year, by cells that pass", async () => {
    const Q = (r: string, y: number) => `{ pureRiskLossRates(regionCode: "${r}", year: ${y}) { withheld overall { earnedPremium lossRate claimsIncurred } bySector { earnedPremium } } }`;
    const own = ok(await run("SECTOR_DEPARTMENT", D, Q("500000", 2025))).pureRiskLossRates;
    expect(own.overall.earnedPremium).toMatch(/^\d+\.\d{2}$/);
    const shown = own.bySector.map((s: any) => s.earnedPremium !== null);
    expect(new Set(shown).size).toBe(1); // all sector rows or none
    const narrowed = ok(await run("SECTOR_DEPARTMENT", D, Q("500112", 2025))).pureRiskLossRates;
    expect(narrowed.overall).toMatchObject({ earnedPremium: null, lossRate: null });
    expect(narrowed.overall.claimsIncurred).toMatch(/^\d+\.\d{2}$/);
    expect(narrowed.withheld).toContain("overall.earnedPremium");
    const current = ok(await run("SECTOR_DEPARTMENT", D, Q("500000", 2026))).pureRiskLossRates;
    expect(current.overall.earnedPremium).toBeNull();
    expect(ok(await run("COMMITTEE_OFFICE", DEMO.committeeOffice, Q("500112", 2025))).pureRiskLossRates.withheld).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

function policyInput(policyNo: string, enterprise: string, start: string, premium: string, extra: Record<string, unknown> = {}) {
  const end = `${Number(start.slice(0, 4)) + 1}${start.slice(4)}`;
  return {
    policyNo, insuredEnterprises: [{ uscc: enterprise, insuredHeadcount: 10 }], startAt: `${start}T00:00:00+08:00`, endAt: `${end}T00:00:00+08:00`,
    premium, baseRate: "0.002", rateFloat: "0", commissionRatio: "0.0400", preventionFundRatio: "0.1500", deathLimitPerPerson: "600000.00",
    coverageItems: ["EMPLOYEE_INJURY_DEATH"], ...extra,
  };
}

describe("identity: a token's org must be an organisation of its role's kind", () => {
  const probe = (cache: JurisdictionCache, role: Role, org: string) => cache.viewerFor({ sub: "probe", role, org, purpose: null });
  const enterprisesSeen = async (cache: JurisdictionCache, role: Role, org: string) => {
    const viewer = await probe(cache, role, org);
    const [{ n }] = await rows(sql`select count(*)::int as n from enterprises where ${(await import("../../src/auth/scope.js")).enterpriseRows(viewer)}`);
    return n as number;
  };

  it.each([
    ["SECTOR_DEPARTMENT", DEMO.committeeOffice],
    ["SECTOR_DEPARTMENT", "500000-FINANCIAL_REGULATOR"],
    ["FINANCIAL_REGULATOR", D],
    ["COMMITTEE_OFFICE", D],
    ["INSURER", D],
    ["INSURER", DEMO.enterprise],
    ["SERVICE_ORG", A],
    ["ENTERPRISE", A],
    ["INSURER", "91500000XXXXXXXXXX"],
  ] as [Role, string][])("%s naming %s is refused before anything is read", async (role, org) => {
    await expect(probe(new JurisdictionCache(database.db), role, org)).rejects.toThrow(/不是角色 .* \/ the token's org/);
  });

  it("a refused token changes nothing the real organisations see (the cache is keyed by role and org)", async () => {
    const cache = new JurisdictionCache(database.db);
    const department = await enterprisesSeen(cache, "SECTOR_DEPARTMENT", D);
    const committee = await enterprisesSeen(new JurisdictionCache(database.db), "COMMITTEE_OFFICE", DEMO.committeeOffice);
    expect(department).toBeGreaterThan(0);
    expect(committee).toBeGreaterThan(department);
    const shared = new JurisdictionCache(database.db);
    await expect(probe(shared, "COMMITTEE_OFFICE", D)).rejects.toThrow();
    await expect(probe(shared, "SECTOR_DEPARTMENT", DEMO.committeeOffice)).rejects.toThrow();
    expect(await enterprisesSeen(shared, "SECTOR_DEPARTMENT", D)).toBe(department);
    expect(await enterprisesSeen(shared, "COMMITTEE_OFFICE", DEMO.committeeOffice)).toBe(committee);
  });
});

describe("a service organisation reads what prevention work needs, not claims or the ledger", () => {
  it("policies naming it, their services and hazards, the enterprises' accidents; no claims, claimants or ledger entries", async () => {
    const so = DEMO.serviceOrg;
    const data = ok(
      await run(
        "SERVICE_ORG",
        so,
        `{ policies(first: 50) { totalCount edges { node { policyNo claims { claimRef } } } }
           claims(first: 50) { totalCount }
           fundEntries(first: 50) { totalCount }
           preventionServices(first: 50) { totalCount }
           enterprise(uscc: "${DEMO.enterprise}") { claims { claimRef } accidents { id } } }`,
      ),
    );
    expect(data.policies.totalCount).toBeGreaterThan(0);
    expect(data.preventionServices.totalCount).toBeGreaterThan(0);
    expect(data.claims.totalCount).toBe(0);
    expect(data.fundEntries.totalCount).toBe(0);
    expect(data.policies.edges.every((e: any) => e.node.claims.length === 0)).toBe(true);
    expect(data.enterprise.claims).toEqual([]);
    // the same enterprise's claims exist, and its insurer reads them
    const [{ n }] = await rows(sql`select count(*)::int as n from claims where enterprise_uscc = ${DEMO.enterprise}`);
    expect(n).toBeGreaterThan(0);
    const [{ a }] = await rows(sql`select count(*)::int as a from accidents where enterprise_uscc = ${DEMO.enterprise}`);
    expect(data.enterprise.accidents.length).toBe(a);
  });
});

import { type GraphQLObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { buildHubSchema } from "../../src/graphql/schema.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture, uscc } from "../support/fixture.js";
import { AS_OF, C, loadCoverageFixture } from "../support/fixture-coverage.js";
import { asRole, ok } from "../support/graphql.js";

let database: Database;
let run: ReturnType<typeof asRole>;

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadCoverageFixture(database.db);
  run = asRole(database);
});
afterAll(() => database?.close());

const FIGURES = `regionCode regionName sector mandatoryEnterprises insuredEnterprises coverageRate employees insuredEmployees employeeCoverageRate
  servicedEnterprises serviceRate coverageTargetMet employeeCoverageTargetMet serviceTargetMet targets { coverageRate employeeCoverageRate serviceRate sources defaulted }`;
const COVERAGE = `query($r: String!, $s: Sector, $at: DateTime) { coverage(regionCode: $r, sector: $s, asOf: $at) {
  regionCode regionName sector asOf serviceFrom serviceTo overall { ${FIGURES} } bySector { ${FIGURES} } byRegion { ${FIGURES} } } }`;

/** The counts and rates of a figures object, in the order of the hand calculation. */
const nums = (f: any) => [f.mandatoryEnterprises, f.insuredEnterprises, f.coverageRate, f.employees, f.insuredEmployees, f.employeeCoverageRate, f.servicedEnterprises, f.serviceRate];

describe("coverage", () => {
  it("committee office: every rate by hand, overall, by sector and by child region", async () => {
    const c = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "500000", at: AS_OF })).coverage;
    expect(c).toMatchObject({ regionCode: "500000", regionName: "重庆市", sector: null, asOf: AS_OF, serviceFrom: "2026-04-01T00:00:00+08:00", serviceTo: AS_OF });
    // mandatory operating: chemicals 100, construction 40, cancelled 50, neverBlacklisted 20, parkMember 60, futurePolicy 10, cancelledLater 25 = 7 / 305
    // insured: chemicals (80), parkMember (min(100, 60) = 60), cancelledLater (20; cancelled only after AS_OF) = 3 / 160
    // serviced in 2026-04-01 … AS_OF: chemicals (04-10), cancelledLater (04-01 00:00); parkMember's 03-31 service is Q1 = 2 of 3
    expect(nums(c.overall)).toEqual([7, 3, "0.4286", 305, 160, "0.5246", 2, "0.6667"]);
    expect(c.overall.targets).toMatchObject({ coverageRate: "1.00", employeeCoverageRate: "1.00", serviceRate: "1.00", defaulted: true });
    expect(c.overall.targets.sources[0]).toContain("应急〔2025〕27号");
    expect([c.overall.coverageTargetMet, c.overall.employeeCoverageTargetMet, c.overall.serviceTargetMet]).toEqual([false, false, false]);

    // chemicals: chemicals, cancelled, neverBlacklisted, futurePolicy = 4 / 180; insured chemicals 80; serviced 1 of 1
    // construction: construction, parkMember, cancelledLater = 3 / 125; insured 60 + 20 = 80; serviced 1 of 2
    expect(c.bySector.map((f: any) => [f.sector, ...nums(f)])).toEqual([
      ["HAZARDOUS_CHEMICALS", 4, 1, "0.2500", 180, 80, "0.4444", 1, "1.0000"],
      ["CONSTRUCTION", 3, 2, "0.6667", 125, 80, "0.6400", 1, "0.5000"],
    ]);
    expect(c.bySector[0].serviceTargetMet).toBe(true);

    // 500101: neverBlacklisted 20, parkMember 60; 500112: chemicals, construction, cancelled, futurePolicy, cancelledLater
    expect(c.byRegion.map((f: any) => [f.regionCode, f.regionName, ...nums(f)])).toEqual([
      ["500101", "万州区", 2, 1, "0.5000", 80, 60, "0.7500", 0, "0.0000"],
      ["500112", "渝北区", 5, 2, "0.4000", 225, 100, "0.4444", 2, "1.0000"],
    ]);
  });

  it("the sector argument narrows to one sector", async () => {
    const c = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "500000", s: "CONSTRUCTION", at: AS_OF })).coverage;
    expect(nums(c.overall)).toEqual([3, 2, "0.6667", 125, 80, "0.6400", 1, "0.5000"]);
    expect(c.bySector.map((f: any) => f.sector)).toEqual(["CONSTRUCTION"]);
  });

  it("a department never counts another sector's enterprises", async () => {
    const emergency = ok(await run("SECTOR_DEPARTMENT", "500000-EMERGENCY", COVERAGE, { r: "500000", at: AS_OF })).coverage;
    expect(nums(emergency.overall)).toEqual([4, 1, "0.2500", 180, 80, "0.4444", 1, "1.0000"]);
    expect(emergency.bySector.map((f: any) => f.sector)).toEqual(["HAZARDOUS_CHEMICALS"]);
    // 500101 holds only neverBlacklisted for chemicals: nobody insured, so no service rate
    expect(nums(emergency.byRegion[0])).toEqual([1, 0, "0.0000", 20, 0, "0.0000", 0, null]);
    expect(emergency.byRegion[0].serviceTargetMet).toBeNull();

    const housing = ok(await run("SECTOR_DEPARTMENT", "500000-HOUSING", COVERAGE, { r: "500000", at: AS_OF })).coverage;
    expect(nums(housing.overall)).toEqual([3, 2, "0.6667", 125, 80, "0.6400", 1, "0.5000"]);

    // asking for a sector it does not supervise is FORBIDDEN, not a report of zeros
    const r = await run("SECTOR_DEPARTMENT", "500000-EMERGENCY", COVERAGE, { r: "500000", s: "CONSTRUCTION", at: AS_OF });
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("a district department asking about its province counts its own district only", async () => {
    const c = ok(await run("SECTOR_DEPARTMENT", "500101-EMERGENCY", COVERAGE, { r: "500000", at: AS_OF })).coverage;
    expect(nums(c.overall)).toEqual([1, 0, "0.0000", 20, 0, "0.0000", 0, null]);
    expect(c.byRegion.map((f: any) => f.regionCode)).toEqual(["500101"]);
    // a region wholly outside the jurisdiction is FORBIDDEN
    const r = await run("SECTOR_DEPARTMENT", "500000-EMERGENCY", COVERAGE, { r: "350200", at: AS_OF });
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("the financial regulator counts every sector of its region", async () => {
    const c = ok(await run("FINANCIAL_REGULATOR", "500000-FINANCIAL_REGULATOR", COVERAGE, { r: "500112", at: AS_OF })).coverage;
    expect(nums(c.overall)).toEqual([5, 2, "0.4000", 225, 100, "0.4444", 2, "1.0000"]);
    expect(c.byRegion).toEqual([]);
  });

  it("rates are null when the denominator is 0", async () => {
    const c = ok(await run("SECTOR_DEPARTMENT", "350200-EMERGENCY", COVERAGE, { r: "350200", at: AS_OF })).coverage;
    // xiamenChem, 30 workers, never insured
    expect(nums(c.overall)).toEqual([1, 0, "0.0000", 30, 0, "0.0000", 0, null]);
    const none = ok(await run("SECTOR_DEPARTMENT", "350200-EMERGENCY", COVERAGE, { r: "350200", s: "HAZARDOUS_CHEMICALS", at: "2020-01-01T00:00:00+08:00" })).coverage;
    expect(none.overall.coverageRate).toBe("0.0000");
    const empty = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "500000", s: "FISHERY", at: AS_OF })).coverage;
    expect(nums(empty.overall)).toEqual([0, 0, null, 0, 0, null, 0, null]);
    expect(empty.overall.coverageTargetMet).toBeNull();
    expect(empty.bySector).toEqual([]);
  });

  it("a profile's targets apply with their source; a risk tag makes an enterprise mandatory", async () => {
    const c = ok(await run("COMMITTEE_OFFICE", "330382-COMMITTEE_OFFICE", COVERAGE, { r: "330382", at: AS_OF })).coverage;
    // yueqingSpray (OTHER + SPRAY_PAINTING, 12 workers, 12 insured, serviced 04-20); yueqingPlain is not mandatory
    expect(nums(c.overall)).toEqual([1, 1, "1.0000", 12, 12, "1.0000", 1, "1.0000"]);
    expect(c.overall.targets.defaulted).toBe(false);
    expect(c.overall.targets.sources.join(" ")).toContain("乐清市");
    expect([c.overall.coverageTargetMet, c.overall.employeeCoverageTargetMet, c.overall.serviceTargetMet]).toEqual([true, true, true]);
    expect(c.bySector.map((f: any) => f.sector)).toEqual(["OTHER"]);
  });

  it("cover is judged at asOf: a policy cancelled later still covered, one that ended did not", async () => {
    // 2026-02-01: construction (CV-2 to 05-01) and cancelled (CV-3, cancelled 03-01) are both still insured; futurePolicy is not yet
    const c = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "500000", at: "2026-02-01T00:00:00+08:00" })).coverage;
    // insured: chemicals 80, construction 40, cancelled 50, parkMember 60, cancelledLater 20 = 5 / 250; services in Q1 to 02-01: none
    expect(nums(c.overall)).toEqual([7, 5, "0.7143", 305, 250, "0.8197", 0, "0.0000"]);
    expect(c.serviceFrom).toBe("2026-01-01T00:00:00+08:00");
  });

  it("is for agencies only, and checks its arguments", async () => {
    for (const [role, org] of [["INSURER", F.insurerA], ["ENTERPRISE", F.chemicals], ["SERVICE_ORG", F.serviceOrg], ["PUBLIC", null]] as const) {
      const r = await run(role, org, COVERAGE, { r: "500000", at: AS_OF });
      expect(r.errors?.[0].extensions?.code, role).toBe("FORBIDDEN");
      expect(r.data?.coverage ?? null).toBeNull();
    }
    const bad = await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "5000" });
    expect(bad.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "regionCode", rule: "region-code" });
    const unknown = await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "500199" });
    expect(unknown.errors?.[0].extensions?.code).toBe("NOT_FOUND");
    // asOf defaults to now
    const now = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", COVERAGE, { r: "500000" })).coverage;
    expect(Math.abs(new Date(now.asOf).getTime() - Date.now())).toBeLessThan(60_000);
    expect(now.overall.mandatoryEnterprises).toBe(7);
  });
});

const UNINSURED = `query($r: String!, $s: Sector, $at: DateTime, $first: Int, $after: String) {
  uninsuredEnterprises(regionCode: $r, sector: $s, asOf: $at, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { enterprise { uscc name } reason uninsuredSince daysUninsured blacklisted withinGracePeriod
      penalty { first { min max } uncorrected { min max } sources } } } } }`;
const UNINSURED_LEAN = `query($r: String!, $at: DateTime, $first: Int, $after: String) {
  uninsuredEnterprises(regionCode: $r, asOf: $at, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { enterprise { uscc } reason } } } }`;

describe("uninsuredEnterprises", () => {
  it("never insured, lapsed and cancelled, with the date and whole days since", async () => {
    const d = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED, { r: "500000", at: AS_OF })).uninsuredEnterprises;
    expect(d.totalCount).toBe(4);
    const rows = d.edges.map((e: any) => [e.node.enterprise.uscc, e.node.reason, e.node.uninsuredSince, e.node.daysUninsured, e.node.blacklisted]);
    expect(rows).toEqual([
      [C.neverBlacklisted, "NEVER_INSURED", null, null, true],
      // CV-2 ended 2026-05-01 00:00: 14.5 days before AS_OF
      [F.construction, "LAPSED", "2026-05-01T00:00:00+08:00", 14, false],
      // CV-3 cancelled 2026-03-01 00:00: 31 + 30 + 14.5 days
      [C.cancelled, "CANCELLED", "2026-03-01T00:00:00+08:00", 75, false],
      // CV-5 starts only on 2026-06-01
      [C.futurePolicy, "NEVER_INSURED", null, null, false],
    ]);
    const n = d.edges[0].node;
    expect(n.withinGracePeriod).toBe(false);
    expect(n.penalty).toMatchObject({ first: { min: "50000.00", max: "100000.00" }, uncorrected: { min: "100000.00", max: "200000.00" } });
    expect(n.penalty.sources.join(" ")).toContain("第一百零九条");
  });

  it("the end of the period is exclusive", async () => {
    const before = ok(await run("SECTOR_DEPARTMENT", "500000-HOUSING", UNINSURED, { r: "500000", at: "2026-04-30T23:59:59+08:00" })).uninsuredEnterprises;
    expect(before.edges).toEqual([]);
    const at = ok(await run("SECTOR_DEPARTMENT", "500000-HOUSING", UNINSURED, { r: "500000", at: "2026-05-01T00:00:00+08:00" })).uninsuredEnterprises;
    expect(at.edges.map((e: any) => [e.node.enterprise.uscc, e.node.reason, e.node.daysUninsured])).toEqual([[F.construction, "LAPSED", 0]]);
  });

  it("a department lists only its sectors", async () => {
    const em = ok(await run("SECTOR_DEPARTMENT", "500000-EMERGENCY", UNINSURED, { r: "500000", at: AS_OF })).uninsuredEnterprises;
    expect(em.edges.map((e: any) => e.node.enterprise.uscc)).toEqual([C.neverBlacklisted, C.cancelled, C.futurePolicy]);
    expect(em.totalCount).toBe(3);
    const ho = ok(await run("SECTOR_DEPARTMENT", "500000-HOUSING", UNINSURED, { r: "500000", at: AS_OF })).uninsuredEnterprises;
    expect(ho.edges.map((e: any) => e.node.enterprise.uscc)).toEqual([F.construction]);
    const r = await run("SECTOR_DEPARTMENT", "500000-HOUSING", UNINSURED, { r: "500000", s: "HAZARDOUS_CHEMICALS", at: AS_OF });
    expect(r.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("pages on USCC with a cursor, in one or two statements per page", async () => {
    const all: string[] = [];
    let after: string | null = null;
    const pages: boolean[] = [];
    // warm the jurisdiction cache so that only the page's own statements are counted
    ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED_LEAN, { r: "500000", at: AS_OF, first: 1 }));
    do {
      const before = database.stats.statements;
      const d: any = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED_LEAN, { r: "500000", at: AS_OF, first: 3, after })).uninsuredEnterprises;
      expect(database.stats.statements - before).toBeLessThanOrEqual(2);
      all.push(...d.edges.map((e: any) => e.node.enterprise.uscc));
      pages.push(d.pageInfo.hasNextPage);
      after = d.pageInfo.hasNextPage ? d.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual([true, false]);
    expect(all).toEqual([C.neverBlacklisted, F.construction, C.cancelled, C.futurePolicy]);

    const p2 = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED, { r: "500000", at: AS_OF, first: 2 })).uninsuredEnterprises;
    const p3 = ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED, { r: "500000", at: AS_OF, first: 2, after: p2.pageInfo.endCursor })).uninsuredEnterprises;
    expect(p3.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(p3.totalCount).toBe(4);
    expect(p3.edges.map((e: any) => [e.node.reason, e.node.daysUninsured])).toEqual([["CANCELLED", 75], ["NEVER_INSURED", null]]);

    const bad = await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED, { r: "500000", first: 501 });
    expect(bad.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const badCursor = await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", UNINSURED, { r: "500000", after: "nonsense" });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "after" });
  });

  it("is for agencies only", async () => {
    for (const [role, org] of [["INSURER", F.insurerA], ["ENTERPRISE", F.construction], ["PUBLIC", null]] as const) {
      const r = await run(role, org, UNINSURED, { r: "500000", at: AS_OF });
      expect(r.errors?.[0].extensions?.code, role).toBe("FORBIDDEN");
    }
  });
});

const STATUS = `query($u: String!) { insuranceStatus(uscc: $u) { uscc insured periods { insurerNames startAt endAt } } }`;

describe("insuranceStatus (public)", () => {
  it("PUBLIC sees insured or not, insurer names and the in-force periods", async () => {
    const d = ok(await run("PUBLIC", null, STATUS, { u: C.publicLookup })).insuranceStatus;
    expect(d.uscc).toBe(C.publicLookup);
    expect(d.insured).toBe(true);
    // PUB-NOW (A lead, B co-insurer) started 30 days ago, PUB-SHORT (B) 10 days ago; the expired and the cancelled are not shown
    expect(d.periods.map((p: any) => p.insurerNames)).toEqual([
      ["甲财产保险股份有限公司", "乙财产保险股份有限公司"],
      ["乙财产保险股份有限公司"],
    ]);
    for (const p of d.periods) {
      expect(p.startAt).toMatch(/\+08:00$/);
      expect(new Date(p.startAt).getTime()).toBeLessThan(Date.now());
      expect(new Date(p.endAt).getTime()).toBeGreaterThan(Date.now());
    }
  });

  it("co-insurers follow the lead, whatever their order of shares", async () => {
    // CV-4: B lead 70 %, A 30 %; it covers 2026 — only check it when today falls in 2026
    const d = ok(await run("PUBLIC", null, STATUS, { u: C.parkMember })).insuranceStatus;
    const inForce = Date.now() >= Date.parse("2026-01-01T00:00:00+08:00") && Date.now() < Date.parse("2027-01-01T00:00:00+08:00");
    expect(d.insured).toBe(inForce);
    if (inForce) expect(d.periods).toEqual([{ insurerNames: ["乙财产保险股份有限公司", "甲财产保险股份有限公司"], startAt: "2026-01-01T00:00:00+08:00", endAt: "2027-01-01T00:00:00+08:00" }]);
  });

  it("an unknown USCC answers exactly like a known uninsured one", async () => {
    const known = ok(await run("PUBLIC", null, STATUS, { u: F.xiamenChem })).insuranceStatus;
    const unknownUscc = uscc("500112", 777);
    const unknown = ok(await run("PUBLIC", null, STATUS, { u: unknownUscc })).insuranceStatus;
    expect(known).toEqual({ uscc: F.xiamenChem, insured: false, periods: [] });
    expect(unknown).toEqual({ uscc: unknownUscc, insured: false, periods: [] });
  });

  it("an invalid USCC is BAD_USER_INPUT naming the rule", async () => {
    const wrongCheck = C.publicLookup.slice(0, 17) + (C.publicLookup[17] === "0" ? "1" : "0");
    const r1 = await run("PUBLIC", null, STATUS, { u: wrongCheck });
    expect(r1.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "uscc", rule: "uscc:check_digit" });
    const r2 = await run("PUBLIC", null, STATUS, { u: "123" });
    expect(r2.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "uscc", rule: "uscc:length" });
    const r3 = await run("PUBLIC", null, STATUS, { u: "91500112000000021I" });
    expect(r3.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "uscc", rule: "uscc:charset" });
  });

  it("its types carry nothing beyond insured, insurer names and period", async () => {
    const schema = await buildHubSchema();
    const fields = (t: string) => Object.keys((schema.getType(t) as GraphQLObjectType).getFields()).sort();
    expect(fields("InsuranceStatus")).toEqual(["insured", "periods", "uscc"]);
    expect(fields("InsurancePeriod")).toEqual(["endAt", "insurerNames", "startAt"]);
  });

  it("signed-in callers may use it too", async () => {
    const d = ok(await run("INSURER", F.insurerSuspended, STATUS, { u: C.publicLookup })).insuranceStatus;
    expect(d.insured).toBe(true);
  });

  it("PUBLIC may ask for nothing else", async () => {
    const queries = [
      `{ enterprises { totalCount } }`,
      `{ enterprise(uscc: "${C.publicLookup}") { name } }`,
      `{ policies { totalCount } }`,
      `{ coverage(regionCode: "500000") { overall { coverageRate } } }`,
      `{ uninsuredEnterprises(regionCode: "500000") { totalCount } }`,
    ];
    for (const q of queries) {
      const r = await run("PUBLIC", null, q);
      expect(r.errors?.[0].extensions?.code, q).toBe("FORBIDDEN");
    }
  });
});

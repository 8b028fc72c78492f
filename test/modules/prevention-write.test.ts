import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { validatePreventionServiceInput } from "../../src/modules/prevention/commands.js";
import { sweepHazardFindings, sweepServiceFindings } from "../../src/modules/prevention/sweeps.js";
import { Problems } from "../../src/graphql/validation.js";
import { freshDatabase } from "../support/db.js";
import { F, goodPolicy, loadFixture } from "../support/fixture.js";
import {
  cancelPolicyAs, closeDatabase, countRows, filePolicyAs, loadPreventionFixture, openFindings, P, pastPolicy, query, rejecter, writeCounts,
} from "../support/fixture-prevention.js";
import { asRole, ok } from "../support/graphql.js";

let database: Database;
let run: ReturnType<typeof asRole>;
let rejects: ReturnType<typeof rejecter>;
const ids: Record<string, number> = {};

const A = ["INSURER", F.insurerA] as const;
const B = ["INSURER", F.insurerB] as const;
const ORG = ["SERVICE_ORG", F.serviceOrg] as const;
const OTHER_ORG = ["SERVICE_ORG", P.otherServiceOrg] as const;

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadPreventionFixture(database.db);
  run = asRole(database);
  rejects = rejecter(database, run);
  // PV-1: 2025, A leads with 60%, B co-insures 40%, the service org is named; plan RA ×1, HI ×2 a year
  ids["PV-1"] = await filePolicyAs(run, F.insurerA, {
    ...pastPolicy("PV-1"),
    coinsurers: [{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.4" }],
    serviceOrgUsccs: [F.serviceOrg],
  });
  ids["PV-CANCEL"] = await filePolicyAs(run, F.insurerA, pastPolicy("PV-CANCEL"));
  await cancelPolicyAs(run, F.insurerA, "PV-CANCEL", "2025-07-01T00:00:00+08:00");
  // B leads a construction policy that names no service org
  ids["PV-B"] = await filePolicyAs(run, F.insurerB, pastPolicy("PV-B", F.construction, 40));
  // a policy running through 2026 for the pro-rata sweep
  ids["PV-CUR"] = await filePolicyAs(run, F.insurerA, { ...goodPolicy("PV-CUR", F.construction, 40), servicePlan: [{ kind: "HAZARD_INVESTIGATION", yearlyFrequency: 2 }] });
});
afterAll(() => closeDatabase(database));

const RECORD = `mutation($input: PreventionServiceInput!, $key: String!) {
  recordPreventionService(input: $input, idempotencyKey: $key) {
    idempotencyKey replayed
    service { id serviceRef kind performedAt staff place confirmedByEnterprise insurer { uscc } serviceOrg { uscc } policy { policyNo }
              hazards { seq description severity noticeDate deadline status } }
    findings { ruleCode severity source message subjectKind subjectKey }
  }
}`;
const RECTIFY = `mutation($input: HazardRectificationInput!, $key: String!) {
  recordHazardRectification(input: $input, idempotencyKey: $key) {
    replayed hazard { seq status rectifiedAt } findings { ruleCode subjectKey source }
  }
}`;

/** A valid service on PV-1, varied field by field. TRAINING is outside the plan, so it never touches plan findings. */
function svc(serviceRef: string, over: Record<string, unknown> = {}) {
  return {
    insurerUscc: F.insurerA,
    policyNo: "PV-1",
    serviceRef,
    enterpriseUscc: F.chemicals,
    kind: "TRAINING",
    performedAt: "2025-03-01T10:00:00+08:00",
    place: "厂区会议室",
    staff: ["张工", "李工"],
    cost: "800.00",
    confirmedByEnterprise: true,
    hazards: [],
    ...over,
  };
}
const record = async (who: readonly [any, string], input: Record<string, unknown>, key: string) => ok(await run(who[0], who[1], RECORD, { input, key })).recordPreventionService;
const bad = (rule: string, field: string) => ({ code: "BAD_USER_INPUT", field, rule });
/** Runs a sweep in its own transaction, counting the statements it sends. */
const sweep = <T extends object>(f: (tx: any, asOf: Date) => Promise<T>, at: string) =>
  database.db.transaction(async (tx) => {
    const s0 = database.stats.statements;
    const r = await f(tx, new Date(at));
    return { ...r, statements: database.stats.statements - s0 };
  });

describe("recordPreventionService", () => {
  it("the lead insurer records a service; its hazards are stored numbered 1..n with the service's policy and enterprise, OPEN", async () => {
    const hazards = [
      { description: "储罐区静电接地线断开", severity: "GENERAL", noticeDate: "2025-03-01", deadline: "2025-03-15" },
      { description: "液氯钢瓶库未设泄漏报警", severity: "MAJOR", noticeDate: "2025-03-02", deadline: "2025-03-02" },
    ];
    const d = await record(A, svc("S-1", { hazards }), "k-s1");
    expect(d).toMatchObject({
      replayed: false,
      service: {
        serviceRef: "S-1", kind: "TRAINING", performedAt: "2025-03-01T10:00:00+08:00", staff: ["张工", "李工"], place: "厂区会议室",
        insurer: { uscc: F.insurerA }, serviceOrg: null, policy: { policyNo: "PV-1" },
      },
    });
    expect(d.service.hazards).toEqual([
      { seq: 1, description: hazards[0].description, severity: "GENERAL", noticeDate: "2025-03-01", deadline: "2025-03-15", status: "OVERDUE" },
      { seq: 2, description: hazards[1].description, severity: "MAJOR", noticeDate: "2025-03-02", deadline: "2025-03-02", status: "OVERDUE" },
    ]);
    const rows = await query(database.db, sql`select h.seq, h.policy_id, h.enterprise_uscc, h.status, s.service_org_uscc, s.cost::text cost
      from hazards h join prevention_services s on s.id = h.service_id where s.service_ref = 'S-1' order by h.seq`);
    expect(rows.map((r) => [r.seq, Number(r.policy_id), r.enterprise_uscc, r.status, r.service_org_uscc, r.cost])).toEqual([
      [1, ids["PV-1"], F.chemicals, "OPEN", null, "800.00"],
      [2, ids["PV-1"], F.chemicals, "OPEN", null, "800.00"],
    ]);
    // the major hazard's deadline is long past: flagged at once, the general one is not
    expect(d.findings.map((f: any) => f.ruleCode)).toEqual(["MAJOR_HAZARD_OVERDUE"]);
    expect(d.findings[0]).toMatchObject({ subjectKind: "HAZARD", severity: "VIOLATION" });
    expect(d.findings[0].source).toContain("渝府办发〔2017〕182号 二(八)");
  });

  it("a named service org records as itself; the insurer may name one of the policy's service orgs", async () => {
    const d = await record(ORG, svc("S-ORG-1"), "k-org-1");
    expect(d.service.serviceOrg).toEqual({ uscc: F.serviceOrg });
    expect(d.findings).toEqual([]); // service orgs see no findings
    const e = await record(A, svc("S-ORG-2", { serviceOrgUscc: F.serviceOrg }), "k-org-2");
    expect(e.service.serviceOrg).toEqual({ uscc: F.serviceOrg });
    // the same service sent by the insurer naming the org is the same content: a replay, not a conflict
    const again = await record(A, svc("S-ORG-1", { serviceOrgUscc: F.serviceOrg }), "k-org-1-by-insurer");
    expect(again).toMatchObject({ replayed: true, service: { serviceRef: "S-ORG-1" } });
  });

  it("the same key replays; the same reference and content under a new key replays; both write nothing", async () => {
    const before = await writeCounts(database.db);
    const byKey = await record(A, svc("S-1", { hazards: [
      { description: "储罐区静电接地线断开", severity: "GENERAL", noticeDate: "2025-03-01", deadline: "2025-03-15" },
      { description: "液氯钢瓶库未设泄漏报警", severity: "MAJOR", noticeDate: "2025-03-02", deadline: "2025-03-02" },
    ] }), "k-s1");
    expect(byKey.replayed).toBe(true);
    const byContent = await record(A, svc("S-ORG-2", { serviceOrgUscc: F.serviceOrg, performedAt: "2025-03-01T02:00:00Z" }), "k-org-2-again");
    expect(byContent.replayed).toBe(true);
    const after = await writeCounts(database.db);
    expect({ ...after, idempotency_keys: before.idempotency_keys }).toEqual(before);
  });

  it("the same key with another payload, or the same reference with other content, is a CONFLICT", async () => {
    await rejects(A, RECORD, { input: svc("S-1", { cost: "1.00" }), key: "k-s1" }, { code: "CONFLICT" });
    await rejects(A, RECORD, { input: svc("S-ORG-2", { serviceOrgUscc: F.serviceOrg, cost: "801.00" }), key: "k-new" }, { code: "CONFLICT" });
    // the insurer recording the org's service without naming the org differs in its provider
    await rejects(A, RECORD, { input: svc("S-ORG-1"), key: "k-new-2" }, { code: "CONFLICT" });
  });

  it("references are unique per lead insurer: B may reuse A's reference on its own policy", async () => {
    const d = await record(B, svc("S-1", { insurerUscc: F.insurerB, policyNo: "PV-B", enterpriseUscc: F.construction }), "k-b-s1");
    expect(d.service.insurer).toEqual({ uscc: F.insurerB });
  });

  it("each writer is refused outside its own business, and nothing is written", async () => {
    // a co-insurer sees the policy but does not record its services
    await rejects(B, RECORD, { input: svc("S-W1"), key: "w1" }, { code: "FORBIDDEN" });
    // an insurer not on the policy does not see it at all
    await rejects(["INSURER", F.insurerSuspended], RECORD, { input: svc("S-W2"), key: "w2" }, bad("known-policy", "input.policyNo"));
    // a service org the policy does not name, or a named one on another policy
    await rejects(OTHER_ORG, RECORD, { input: svc("S-W3"), key: "w3" }, bad("known-policy", "input.policyNo"));
    await rejects(ORG, RECORD, { input: svc("S-W4", { insurerUscc: F.insurerB, policyNo: "PV-B", enterpriseUscc: F.construction }), key: "w4" }, bad("known-policy", "input.policyNo"));
    // A naming B's policy: not A's business either
    await rejects(A, RECORD, { input: svc("S-W5", { insurerUscc: F.insurerB, policyNo: "PV-B", enterpriseUscc: F.construction }), key: "w5" }, bad("known-policy", "input.policyNo"));
    // other roles never write
    await rejects(["ENTERPRISE", F.chemicals], RECORD, { input: svc("S-W6"), key: "w6" }, { code: "FORBIDDEN" });
    await rejects(["SECTOR_DEPARTMENT", "500000-EMERGENCY"], RECORD, { input: svc("S-W7"), key: "w7" }, { code: "FORBIDDEN" });
    await rejects(["PUBLIC", null], RECORD, { input: svc("S-W8"), key: "w8" }, { code: "FORBIDDEN" });
  });

  it("the service org is the caller's own, or one the policy names", async () => {
    await rejects(ORG, RECORD, { input: svc("S-O1", { serviceOrgUscc: P.otherServiceOrg }), key: "o1" }, bad("own-service-org", "input.serviceOrgUscc"));
    await rejects(A, RECORD, { input: svc("S-O2", { serviceOrgUscc: P.otherServiceOrg }), key: "o2" }, bad("named-service-org", "input.serviceOrgUscc"));
    await rejects(A, RECORD, { input: svc("S-O3", { serviceOrgUscc: F.serviceOrg.slice(0, 17) + "0" }), key: "o3" }, bad("uscc:check_digit", "input.serviceOrgUscc"));
  });

  it("performedAt lies inside the policy period [startAt, endAt)", async () => {
    await rejects(A, RECORD, { input: svc("S-P1", { performedAt: "2024-12-31T23:59:59.999+08:00" }), key: "p1" }, bad("service-in-policy-period", "input.performedAt"));
    expect((await record(A, svc("S-P2", { performedAt: "2025-01-01T00:00:00+08:00" }), "p2")).service.serviceRef).toBe("S-P2");
    expect((await record(A, svc("S-P3", { performedAt: "2025-12-31T23:59:59.999+08:00" }), "p3")).service.serviceRef).toBe("S-P3");
    await rejects(A, RECORD, { input: svc("S-P4", { performedAt: "2026-01-01T00:00:00+08:00" }), key: "p4" }, bad("service-in-policy-period", "input.performedAt"));
  });

  it("a policy cancelled before performedAt takes no service; before the cancellation it does", async () => {
    const on = (ref: string, at: string) => svc(ref, { policyNo: "PV-CANCEL", performedAt: at });
    await rejects(A, RECORD, { input: on("S-C1", "2025-07-01T00:00:00+08:00"), key: "c1" }, bad("policy-status:cancelled", "input.performedAt"));
    expect((await record(A, on("S-C2", "2025-06-30T23:59:59.999+08:00"), "c2")).service.serviceRef).toBe("S-C2");
  });

  it("the enterprise must be insured by the policy", async () => {
    await rejects(A, RECORD, { input: svc("S-E1", { enterpriseUscc: F.construction }), key: "e1" }, bad("insured-enterprise", "input.enterpriseUscc"));
    await rejects(A, RECORD, { input: svc("S-E2", { enterpriseUscc: F.chemicals.slice(0, 17) + "0" }), key: "e2" }, bad("uscc:check_digit", "input.enterpriseUscc"));
    await rejects(A, RECORD, { input: svc("S-E3", { insurerUscc: F.insurerA.slice(0, 17) + "0" }), key: "e3" }, bad("uscc:check_digit", "input.insurerUscc"));
    await rejects(A, RECORD, { input: svc("S-E4", { policyNo: "NO-SUCH" }), key: "e4" }, bad("known-policy", "input.policyNo"));
  });

  it("cost is money ≥ 0 with at most 2 decimals", async () => {
    await rejects(A, RECORD, { input: svc("S-M1", { cost: "-0.01" }), key: "m1" }, bad("money:nonnegative", "input.cost"));
    await rejects(A, RECORD, { input: svc("S-M2", { cost: "0.001" }), key: "m2" }, bad("money:2dp", "input.cost"));
    expect((await record(A, svc("S-M3", { cost: "0" }), "m3")).service.serviceRef).toBe("S-M3");
    expect((await record(A, svc("S-M4", { cost: "0.01" }), "m4")).service.serviceRef).toBe("S-M4");
  });

  it("staff: at least one name, each non-blank and at most 50 characters", async () => {
    await rejects(A, RECORD, { input: svc("S-T1", { staff: [] }), key: "t1" }, bad("required", "input.staff"));
    await rejects(A, RECORD, { input: svc("S-T2", { staff: ["张工", " "] }), key: "t2" }, bad("required", "input.staff[1]"));
    await rejects(A, RECORD, { input: svc("S-T3", { staff: ["张".repeat(51)] }), key: "t3" }, bad("max-length:50", "input.staff[0]"));
    await rejects(A, RECORD, { input: svc("S-T4", { staff: Array.from({ length: 51 }, (_, i) => `员${i}`) }), key: "t4" }, bad("max:50", "input.staff"));
    expect((await record(A, svc("S-T5", { staff: ["张".repeat(50)] }), "t5")).service.staff).toEqual(["张".repeat(50)]);
  });

  it("serviceRef and place: required / optional, bounded", async () => {
    await rejects(A, RECORD, { input: svc(" "), key: "r1" }, bad("required", "input.serviceRef"));
    await rejects(A, RECORD, { input: svc("R".repeat(65)), key: "r2" }, bad("max-length:64", "input.serviceRef"));
    expect((await record(A, svc("R".repeat(64)), "r3")).service.serviceRef).toBe("R".repeat(64));
    await rejects(A, RECORD, { input: svc("S-PL1", { place: " " }), key: "pl1" }, bad("not-blank", "input.place"));
    await rejects(A, RECORD, { input: svc("S-PL2", { place: "地".repeat(201) }), key: "pl2" }, bad("max-length:200", "input.place"));
    expect((await record(A, svc("S-PL3", { place: null }), "pl3")).service.place).toBeNull();
  });

  it("hazards: a deadline on the notice date is fine, a day earlier is rejected; every field is checked", async () => {
    const h = (over: Record<string, unknown>) => ({ description: "配电箱未接地", severity: "GENERAL", noticeDate: "2025-05-10", deadline: "2025-05-10", ...over });
    const r = await rejects(A, RECORD, { input: svc("S-H1", { hazards: [h({}), h({ deadline: "2025-05-09" }), h({ description: "" })] }), key: "h1" }, bad("date-order", "input.hazards[1].deadline"));
    expect((r.errors![0].extensions!.problems as any[]).map((p) => `${p.field} ${p.rule}`)).toEqual(["input.hazards[1].deadline date-order", "input.hazards[2].description required"]);
    await rejects(A, RECORD, { input: svc("S-H2", { hazards: [h({ description: "隐".repeat(501) })] }), key: "h2" }, bad("max-length:500", "input.hazards[0].description"));
    const ok1 = await record(A, svc("S-H3", { hazards: [h({})] }), "h3");
    expect(ok1.service.hazards).toMatchObject([{ seq: 1, noticeDate: "2025-05-10", deadline: "2025-05-10" }]);
  });

  it("kind and severity come from their vocabularies (the structural validator, beyond the GraphQL enums)", () => {
    const p = new Problems();
    const input: any = { ...svc("S-V1"), performedAt: new Date("2025-03-01T10:00:00+08:00"), kind: "SAFETY_TALK", hazards: [{ description: "x", severity: "SEVERE", noticeDate: "2025-03-01", deadline: "2025-3-2" }] };
    validatePreventionServiceInput(input, p);
    expect(p.list.map((x) => `${x.field} ${x.rule}`)).toEqual(["input.kind enum", "input.hazards[0].severity enum", "input.hazards[0].deadline format:LocalDate"]);
    const good = new Problems();
    validatePreventionServiceInput({ ...input, kind: "EMERGENCY_DRILL", hazards: [] }, good);
    expect(good.list).toEqual([]);
  });

  it("the idempotency key is required", async () => {
    await rejects(A, RECORD, { input: svc("S-K1"), key: " " }, { code: "BAD_USER_INPUT", field: "idempotencyKey", rule: "required" });
  });
});

describe("recordHazardRectification", () => {
  const HZ = "S-HZ";
  const rect = (seq: number, over: Record<string, unknown> = {}) => ({ insurerUscc: F.insurerA, serviceRef: HZ, seq, outcome: "RECTIFIED", rectifiedAt: "2025-03-01T00:00:00+08:00", ...over });
  const rectify = async (who: readonly [any, string], input: Record<string, unknown>, key: string) => ok(await run(who[0], who[1], RECTIFY, { input, key })).recordHazardRectification;

  beforeAll(async () => {
    const h = (severity: string, description: string) => ({ description, severity, noticeDate: "2025-03-01", deadline: "2025-06-30" });
    await record(A, svc(HZ, { kind: "OTHER", hazards: [h("GENERAL", "通道堆放杂物"), h("MAJOR", "反应釜安全阀失效"), h("MAJOR", "可燃气体报警器停用"), h("MAJOR", "动火作业无审批"), h("GENERAL", "灭火器过期")] }), "k-hz");
  });

  it("validates the outcome: rectifiedAt required for RECTIFIED, absent for REFUSED, not before the notice date (CST)", async () => {
    await rejects(A, RECTIFY, { input: rect(2, { rectifiedAt: null }), key: "x1" }, bad("required", "input.rectifiedAt"));
    await rejects(A, RECTIFY, { input: rect(2, { outcome: "REFUSED" }), key: "x2" }, bad("not-applicable", "input.rectifiedAt"));
    await rejects(A, RECTIFY, { input: rect(2, { rectifiedAt: "2025-02-28T15:59:59.999Z" }), key: "x3" }, bad("date-order", "input.rectifiedAt"));
    await rejects(A, RECTIFY, { input: rect(0), key: "x4" }, bad("positive", "input.seq"));
    await rejects(A, RECTIFY, { input: rect(6), key: "x5" }, bad("known-hazard", "input.seq"));
    await rejects(A, RECTIFY, { input: rect(2, { serviceRef: "NO-SUCH" }), key: "x6" }, bad("known-service", "input.serviceRef"));
    await rejects(A, RECTIFY, { input: rect(2), key: " " }, { code: "BAD_USER_INPUT", field: "idempotencyKey", rule: "required" });
  });

  it("each writer is refused outside its own business", async () => {
    await rejects(B, RECTIFY, { input: rect(2), key: "y1" }, { code: "FORBIDDEN" });
    await rejects(["INSURER", F.insurerSuspended], RECTIFY, { input: rect(2), key: "y2" }, bad("known-service", "input.serviceRef"));
    await rejects(OTHER_ORG, RECTIFY, { input: rect(2), key: "y3" }, bad("known-service", "input.serviceRef"));
    await rejects(["ENTERPRISE", F.chemicals], RECTIFY, { input: rect(2), key: "y4" }, { code: "FORBIDDEN" });
  });

  it("overdue major hazards are flagged by the sweep as of its instant, and the finding resolves on rectification", async () => {
    // recorded long after the deadline: both open major hazards are already flagged
    expect((await openFindings(database.db, "MAJOR_HAZARD_OVERDUE")).length).toBe(4); // S-1 #2 and S-HZ #2, #3, #4
    // the deadline day itself (CST) is still in time: as of its last instant nothing is overdue
    const early = await sweep(sweepHazardFindings, "2025-06-30T23:59:59.999+08:00");
    expect(early.flagged).toBe(1); // only S-1 #2 (deadline 2025-03-02)
    expect((await openFindings(database.db, "MAJOR_HAZARD_OVERDUE")).length).toBe(1);
    const late = await sweep(sweepHazardFindings, "2025-07-01T00:00:00+08:00");
    expect(late.flagged).toBe(4);
    const open = await openFindings(database.db, "MAJOR_HAZARD_OVERDUE");
    expect(open.every((f) => f.enterprise_uscc === F.chemicals && f.insurer_uscc === F.insurerA && Number(f.policy_id) === ids["PV-1"])).toBe(true);

    // rectified on the notice date's first instant (CST) is accepted; its finding resolves at once
    const d = await rectify(A, rect(2, { rectifiedAt: "2025-02-28T16:00:00Z" }), "z1");
    expect(d).toMatchObject({ replayed: false, hazard: { seq: 2, status: "RECTIFIED", rectifiedAt: "2025-03-01T00:00:00+08:00" }, findings: [] });
    expect((await openFindings(database.db, "MAJOR_HAZARD_OVERDUE")).length).toBe(3);
    // and a later sweep does not reopen it
    await sweep(sweepHazardFindings, "2025-07-10T00:00:00+08:00");
    expect((await openFindings(database.db, "MAJOR_HAZARD_OVERDUE")).length).toBe(3);

    // the named service org records a rectification too
    const byOrg = await rectify(ORG, rect(4, { rectifiedAt: "2025-07-05T09:00:00+08:00" }), "z2");
    expect(byOrg.hazard.status).toBe("RECTIFIED");
    expect((await openFindings(database.db, "MAJOR_HAZARD_OVERDUE")).length).toBe(2);
  });

  it("a sweep is a bounded number of statements, however many hazards", async () => {
    const few = await sweep(sweepHazardFindings, "2025-07-10T00:00:00+08:00");
    expect(few.flagged).toBe(2);
    const many = Array.from({ length: 30 }, (_, i) => ({ description: `隐患${i}`, severity: "MAJOR", noticeDate: "2025-04-01", deadline: "2025-04-30" }));
    await record(A, svc("S-MANY", { kind: "OTHER", hazards: many }), "k-many");
    const r = await sweep(sweepHazardFindings, "2025-07-10T00:00:00+08:00");
    expect(r.flagged).toBe(32);
    expect(r.statements).toBe(few.statements);
    expect(few.statements).toBeLessThanOrEqual(3);
  });

  it("refusing a major hazard opens a finding for the regulator; a general one's refusal does not", async () => {
    const d = await rectify(A, rect(3, { outcome: "REFUSED", rectifiedAt: null }), "z3");
    expect(d.hazard.status).toBe("REFUSED");
    expect(d.findings.map((f: any) => f.ruleCode)).toEqual(["MAJOR_HAZARD_REFUSED"]);
    expect(d.findings[0].source).toContain("渝府办发〔2017〕182号 二(八)");
    const refused = await openFindings(database.db, "MAJOR_HAZARD_REFUSED");
    expect(refused).toHaveLength(1);
    expect(refused[0].message).toMatch(/^单位拒不整改重大隐患.*上浮费率 \/ the enterprise refused/);
    // the regulator's view: the committee office and the emergency department see it, housing does not
    const q = `{ complianceFindings(filter: { ruleCodes: ["MAJOR_HAZARD_REFUSED"], status: "OPEN" }) { totalCount } }`;
    expect(ok(await run("SECTOR_DEPARTMENT", "500000-EMERGENCY", q)).complianceFindings.totalCount).toBe(1);
    expect(ok(await run("SECTOR_DEPARTMENT", "500000-HOUSING", q)).complianceFindings.totalCount).toBe(0);
    // the refusal supersedes the overdue finding, and the sweep leaves it closed
    await sweep(sweepHazardFindings, "2025-07-10T00:00:00+08:00");
    const overdueOf3 = await query(database.db, sql`select f.status from compliance_findings f join hazards h on f.subject_key = h.id::text
      join prevention_services s on s.id = h.service_id where f.rule_code = 'MAJOR_HAZARD_OVERDUE' and s.service_ref = ${HZ} and h.seq = 3 and f.status = 'OPEN'`);
    expect(overdueOf3).toEqual([]);

    const g = await rectify(A, rect(5, { outcome: "REFUSED", rectifiedAt: null }), "z4");
    expect(g).toMatchObject({ hazard: { status: "REFUSED" }, findings: [] });
    expect(await openFindings(database.db, "MAJOR_HAZARD_REFUSED")).toHaveLength(1);
  });

  it("only an OPEN hazard changes; the same outcome again replays", async () => {
    await rejects(A, RECTIFY, { input: rect(2, { rectifiedAt: "2025-03-02T00:00:00+08:00" }), key: "z5" }, bad("hazard-status:closed", "input.seq"));
    await rejects(A, RECTIFY, { input: rect(3), key: "z6" }, bad("hazard-status:closed", "input.seq"));
    const before = await writeCounts(database.db);
    const again = await rectify(A, rect(2, { rectifiedAt: "2025-03-01T00:00:00+08:00" }), "z7");
    expect(again).toMatchObject({ replayed: true, hazard: { status: "RECTIFIED" } });
    const byKey = await rectify(A, rect(2, { rectifiedAt: "2025-02-28T16:00:00Z" }), "z1");
    expect(byKey.replayed).toBe(true);
    await rejects(A, RECTIFY, { input: rect(2, { rectifiedAt: "2025-03-05T00:00:00+08:00" }), key: "z1" }, { code: "CONFLICT" });
    const after = await writeCounts(database.db);
    expect({ ...after, idempotency_keys: before.idempotency_keys }).toEqual(before);
  });
});

describe("services against the plan", () => {
  it("pro rata: floor(yearly frequency × elapsed fraction), flagged by the sweep and cured by more services", async () => {
    // PV-CUR: 2026-01-01..2027-01-01 (365 days), HAZARD_INVESTIGATION twice a year: one is due from 182.5 days
    const before = await sweep(sweepServiceFindings, "2026-07-02T11:59:59.999+08:00");
    expect((await openFindings(database.db, "SERVICES_BEHIND_PLAN")).filter((f) => Number(f.policy_id) === ids["PV-CUR"])).toEqual([]);
    expect(before.evaluated).toBeGreaterThan(0);
    await sweep(sweepServiceFindings, "2026-07-02T12:00:00+08:00");
    const flagged = (await openFindings(database.db, "SERVICES_BEHIND_PLAN")).filter((f) => Number(f.policy_id) === ids["PV-CUR"]);
    expect(flagged.map((f) => f.subject_key)).toEqual([`${ids["PV-CUR"]}:${F.construction}:HAZARD_INVESTIGATION`]);
    expect(flagged[0]).toMatchObject({ severity: "WARNING", insurer_uscc: F.insurerA, enterprise_uscc: F.construction });
    expect(flagged[0].message).toContain("应至少 1 次");

    await record(A, svc("S-CUR-1", { policyNo: "PV-CUR", enterpriseUscc: F.construction, kind: "HAZARD_INVESTIGATION", performedAt: "2026-03-01T09:00:00+08:00" }), "k-cur-1");
    await sweep(sweepServiceFindings, "2026-07-02T12:00:00+08:00");
    expect((await openFindings(database.db, "SERVICES_BEHIND_PLAN")).filter((f) => Number(f.policy_id) === ids["PV-CUR"])).toEqual([]);
  });

  it("a service recorded for an ended policy re-evaluates its kind at once; the second one cures it", async () => {
    const hi = (ref: string, at: string) => svc(ref, { kind: "HAZARD_INVESTIGATION", performedAt: at });
    const first = await record(A, hi("S-HI-1", "2025-04-01T09:00:00+08:00"), "k-hi-1");
    expect(first.findings.map((f: any) => [f.ruleCode, f.subjectKey])).toEqual([["SERVICES_BEHIND_PLAN", `${ids["PV-1"]}:${F.chemicals}:HAZARD_INVESTIGATION`]]);
    const second = await record(A, hi("S-HI-2", "2025-10-01T09:00:00+08:00"), "k-hi-2");
    expect(second.findings).toEqual([]);
    const rows = await query(database.db, sql`select status from compliance_findings where rule_code = 'SERVICES_BEHIND_PLAN'
      and subject_key = ${`${ids["PV-1"]}:${F.chemicals}:HAZARD_INVESTIGATION`}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.status)).not.toContain("OPEN");
  });

  it("at the end of the period the whole plan is due: the missing risk assessment is flagged, with a bounded sweep", async () => {
    const r = await sweep(sweepServiceFindings, "2026-01-01T00:00:00+08:00");
    expect(r.statements).toBeLessThanOrEqual(3);
    const pv1 = (await openFindings(database.db, "SERVICES_BEHIND_PLAN")).filter((f) => Number(f.policy_id) === ids["PV-1"]);
    expect(pv1.map((f) => f.subject_key)).toEqual([`${ids["PV-1"]}:${F.chemicals}:RISK_ASSESSMENT`]);
    expect(r.flagged).toBeGreaterThanOrEqual(1);
    // B's policy had no plan service at all
    const pvB = (await openFindings(database.db, "SERVICES_BEHIND_PLAN")).filter((f) => Number(f.policy_id) === ids["PV-B"]);
    expect(pvB.map((f) => f.subject_key)).toEqual([`${ids["PV-B"]}:${F.construction}:HAZARD_INVESTIGATION`, `${ids["PV-B"]}:${F.construction}:RISK_ASSESSMENT`]);
    expect(pvB.every((f) => f.insurer_uscc === F.insurerB)).toBe(true);
    // the cancelled policy was due only up to its cancellation on 2025-07-01: 181 of 365 days,
    // floor(1 × 0.496) = 0 risk assessments and floor(2 × 0.496) = 0 investigations
    const cancelled = (await openFindings(database.db, "SERVICES_BEHIND_PLAN")).filter((f) => Number(f.policy_id) === ids["PV-CANCEL"]);
    expect(cancelled).toEqual([]);
  });

  it("service rows written by this file match what the API shows the named service org", async () => {
    const q = `{ preventionServices(filter: { insurerUscc: "${F.insurerA}" }, first: 500) { totalCount edges { node { serviceRef hazards { seq } } } } }`;
    const seen = ok(await run("SERVICE_ORG", F.serviceOrg, q)).preventionServices;
    const pv1Rows = await countRows(database.db, "prevention_services");
    expect(seen.totalCount).toBeLessThan(pv1Rows); // B's PV-B service and PV-CANCEL/PV-CUR ones are not the org's
    expect(seen.edges.find((e: any) => e.node.serviceRef === "S-HZ")?.node.hazards.map((h: any) => h.seq)).toEqual([1, 2, 3, 4, 5]);
  });
});

import { sql } from "drizzle-orm";
import type { ExecutionResult } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { freshDatabase } from "../support/db.js";
import { F, loadFixture, uscc } from "../support/fixture.js";
import { goodClaim, idNumber, loadClaimPolicies } from "../support/fixture-claims.js";
import { asRole, ok } from "../support/graphql.js";

let database: Database;
let run: ReturnType<typeof asRole>;
const EMERGENCY = "500000-EMERGENCY";
const HOUSING = "500000-HOUSING";
const XIAMEN = "350200-EMERGENCY";
const COMMITTEE = "500000-COMMITTEE_OFFICE";

const ACCIDENT = `mutation($input: AccidentInput!, $key: String!) {
  recordAccident(input: $input, idempotencyKey: $key) { idempotencyKey replayed accident { id enterpriseUscc occurredAt deaths seriousInjuries directLoss grade description } }
}`;
const REPORT = `mutation($input: ClaimReportInput!, $key: String!) {
  reportClaim(input: $input, idempotencyKey: $key) { replayed claim { id claimRef status reserve reportedAt insurerUscc enterpriseUscc accident { id } claimants { kind name idNumber injury } } }
}`;
const PAY = `mutation($input: ClaimPaymentInput!, $key: String!) {
  recordClaimPayment(input: $input, idempotencyKey: $key) { replayed payment { paymentRef kind amount paidAt } claim { status payments { paymentRef amount } } }
}`;
const ASSESS = `mutation($input: ClaimAssessmentInput!, $key: String!) {
  assessClaim(input: $input, idempotencyKey: $key) { replayed claim { status assessedAt reserve } }
}`;
const SETTLE = `mutation($input: ClaimSettlementInput!, $key: String!) {
  settleClaim(input: $input, idempotencyKey: $key) { replayed claim { status assessedAt settledAt settledAmount rejectedAt rejectionReason } }
}`;

const count = async (table: string) => Number(((await database.db.execute(sql.raw(`select count(*) n from ${table}`))) as any).rows[0].n);
/** Row counts of every table a claims push writes: a rejected push leaves all of them unchanged. */
const counts = async () => ({
  accidents: await count("accidents"),
  claims: await count("claims"),
  claimants: await count("claimants"),
  payments: await count("claim_payments"),
  keys: await count("idempotency_keys"),
});
const claimRow = async (ref: string) => ((await database.db.execute(sql`select * from claims where claim_ref = ${ref}`)) as any).rows[0];

/** The first error must be a BAD_USER_INPUT naming exactly this field and rule. */
function expectProblem(r: ExecutionResult<any>, field: string, rule: string) {
  expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors)).toMatchObject({ code: "BAD_USER_INPUT", field, rule });
}
const expectCode = (r: ExecutionResult<any>, code: string) => expect(r.errors?.[0]?.extensions?.code, JSON.stringify(r.errors)).toBe(code);

const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();
let keyN = 0;
const k = (prefix = "k") => `${prefix}-${++keyN}`;

const accident = (enterpriseUscc: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
  enterpriseUscc, occurredAt, deaths: 0, seriousInjuries: 1, directLoss: "20000.00", description: "储罐区灼伤", ...extra,
});
const A: Record<string, string> = {};

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  // a financial regulator, for the gate probe (a token's org must be an agency of its role's kind)
  await database.db.execute(sql`insert into agencies (id, region_code, kind, name) values ('500000-FINANCIAL_REGULATOR', '500000', 'FINANCIAL_REGULATOR', '国家金融监督管理总局重庆监管局')`);
  run = asRole(database);
  await loadClaimPolicies(run);
  const rec = async (org: string, input: object) => ok(await run("SECTOR_DEPARTMENT", org, ACCIDENT, { input, key: k("fx-acc") })).recordAccident.accident.id as string;
  A.chem = await rec(EMERGENCY, accident(F.chemicals, "2025-03-01T08:00:00+08:00"));
  A.chemAtStart = await rec(EMERGENCY, accident(F.chemicals, "2025-01-01T00:00:00+08:00"));
  A.chemBefore = await rec(EMERGENCY, accident(F.chemicals, "2024-12-31T23:59:59+08:00"));
  A.chemAtEnd = await rec(EMERGENCY, accident(F.chemicals, "2026-01-01T00:00:00+08:00"));
  A.construction = await rec(HOUSING, accident(F.construction, "2025-03-01T08:00:00+08:00"));
  A.xiamenBeforeCancel = await rec(XIAMEN, accident(F.xiamenChem, "2025-06-30T23:59:59+08:00"));
  A.xiamenAfterCancel = await rec(XIAMEN, accident(F.xiamenChem, "2025-07-01T00:00:00+08:00"));
});
afterAll(() => database?.close());

/* ─────────────────────────────── recordAccident ─────────────────────────────── */

describe("recordAccident", () => {
  it("a department records an accident in its jurisdiction; recorded_by is its agency", async () => {
    const d = ok(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: accident(F.chemicals, "2025-05-01T10:00:00+08:00", { deaths: 0, seriousInjuries: 0, directLoss: "0" }), key: "acc-ok" }));
    expect(d.recordAccident).toMatchObject({ idempotencyKey: "acc-ok", replayed: false, accident: { enterpriseUscc: F.chemicals, occurredAt: "2025-05-01T10:00:00+08:00", deaths: 0, seriousInjuries: 0, directLoss: "0.00", grade: "GENERAL" } });
    const row = ((await database.db.execute(sql`select recorded_by from accidents where id = ${Number(d.recordAccident.accident.id)}`)) as any).rows[0];
    expect(row.recorded_by).toBe(EMERGENCY);
  });

  it("the committee office records for any sector of its region", async () => {
    const d = ok(await run("COMMITTEE_OFFICE", COMMITTEE, ACCIDENT, { input: accident(F.construction, "2025-05-02T10:00:00+08:00"), key: k() }));
    expect(d.recordAccident.accident.enterpriseUscc).toBe(F.construction);
  });

  it.each([
    // [label, change, grade]  — 条例 第三条, "以上" includes the bound
    ["2 deaths", { deaths: 2 }, "GENERAL"],
    ["3 deaths", { deaths: 3 }, "LARGER"],
    ["9 serious injuries", { seriousInjuries: 9 }, "GENERAL"],
    ["10 serious injuries", { seriousInjuries: 10 }, "LARGER"],
    ["49 serious injuries", { seriousInjuries: 49 }, "LARGER"],
    ["50 serious injuries", { seriousInjuries: 50 }, "MAJOR"],
    ["29 deaths", { deaths: 29 }, "MAJOR"],
    ["30 deaths", { deaths: 30 }, "EXTRAORDINARY"],
    ["loss 9,999,999.99", { directLoss: "9999999.99" }, "GENERAL"],
    ["loss 10,000,000", { directLoss: "10000000" }, "LARGER"],
    ["loss 99,999,999.99", { directLoss: "99999999.99" }, "MAJOR"],
    ["loss 100,000,000.00", { directLoss: "100000000.00" }, "EXTRAORDINARY"],
    ["the highest criterion wins", { deaths: 1, seriousInjuries: 12, directLoss: "60000000" }, "MAJOR"],
  ])("stores the computed grade: %s → %s", async (_label, change, grade) => {
    const d = ok(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: accident(F.chemicals, "2025-06-01T10:00:00+08:00", { deaths: 0, seriousInjuries: 0, directLoss: "0", ...change }), key: k() }));
    expect(d.recordAccident.accident.grade).toBe(grade);
    const stored = ((await database.db.execute(sql`select grade from accidents where id = ${Number(d.recordAccident.accident.id)}`)) as any).rows[0].grade;
    expect(stored).toBe(grade);
  });

  it("the grade cannot be given", async () => {
    const r = await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: { ...accident(F.chemicals, "2025-06-01T10:00:00+08:00"), grade: "GENERAL" }, key: k() });
    expect(r.errors?.[0].message).toMatch(/grade/);
  });

  it.each([
    ["deaths -1", { deaths: -1 }, "input.deaths", "nonnegative"],
    ["seriousInjuries -1", { seriousInjuries: -1 }, "input.seriousInjuries", "nonnegative"],
    ["directLoss -0.01", { directLoss: "-0.01" }, "input.directLoss", "money:nonnegative"],
    ["directLoss with 3 decimals", { directLoss: "100.001" }, "input.directLoss", "money:2dp"],
    ["occurredAt in the future", { occurredAt: "FUTURE" }, "input.occurredAt", "not-future"],
    ["enterpriseUscc check digit", { enterpriseUscc: F.chemicals.slice(0, 17) + (F.chemicals[17] === "0" ? "1" : "0") }, "input.enterpriseUscc", "uscc:check_digit"],
    ["description over 2000", { description: "x".repeat(2001) }, "input.description", "max-length:2000"],
  ])("rejects %s and writes nothing", async (_label, change, field, rule) => {
    const before = await counts();
    const input = { ...accident(F.chemicals, "2025-06-01T10:00:00+08:00"), ...change };
    if (input.occurredAt === "FUTURE") input.occurredAt = inAnHour();
    expectProblem(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input, key: k() }), field, rule);
    expect(await counts()).toEqual(before);
  });

  it("accepts each figure at its boundary: now, 2000 characters, 2 decimals", async () => {
    const input = accident(F.chemicals, new Date().toISOString(), { directLoss: "0.01", description: "x".repeat(2000) });
    const d = ok(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input, key: k() }));
    expect(d.recordAccident.accident.directLoss).toBe("0.01");
  });

  it("an unknown enterprise is BAD_USER_INPUT known-enterprise", async () => {
    const before = await counts();
    expectProblem(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: accident(uscc("500112", 777), "2025-06-01T10:00:00+08:00"), key: k() }), "input.enterpriseUscc", "known-enterprise");
    expect(await counts()).toEqual(before);
  });

  it("a department outside its sectors or region, the committee office outside its region, and non-departments are FORBIDDEN", async () => {
    const before = await counts();
    expectCode(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: accident(F.construction, "2025-06-01T10:00:00+08:00"), key: k() }), "FORBIDDEN");
    expectCode(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: accident(F.xiamenChem, "2025-06-01T10:00:00+08:00"), key: k() }), "FORBIDDEN");
    expectCode(await run("COMMITTEE_OFFICE", COMMITTEE, ACCIDENT, { input: accident(F.xiamenChem, "2025-06-01T10:00:00+08:00"), key: k() }), "FORBIDDEN");
    expectCode(await run("INSURER", F.insurerA, ACCIDENT, { input: accident(F.chemicals, "2025-06-01T10:00:00+08:00"), key: k() }), "FORBIDDEN");
    expectCode(await run("FINANCIAL_REGULATOR", "500000-FINANCIAL_REGULATOR", ACCIDENT, { input: accident(F.chemicals, "2025-06-01T10:00:00+08:00"), key: k() }), "FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it("the same key and payload replays the first accident; another payload under it is a CONFLICT", async () => {
    const input = accident(F.chemicals, "2025-09-01T10:00:00+08:00", { deaths: 3 });
    const first = ok(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input, key: "acc-replay" })).recordAccident;
    const before = await counts();
    const again = ok(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input, key: "acc-replay" })).recordAccident;
    expect(again).toMatchObject({ replayed: true, accident: { id: first.accident.id, grade: "LARGER" } });
    expect(first.replayed).toBe(false);
    expectCode(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: { ...input, deaths: 4 }, key: "acc-replay" }), "CONFLICT");
    expect(await counts()).toEqual(before);
  });

  it("an idempotency key is required", async () => {
    expectProblem(await run("SECTOR_DEPARTMENT", EMERGENCY, ACCIDENT, { input: accident(F.chemicals, "2025-06-01T10:00:00+08:00"), key: " " }), "idempotencyKey", "required");
  });
});

/* ─────────────────────────────── reportClaim ─────────────────────────────── */

describe("reportClaim", () => {
  it("the lead insurer reports a claim with its claimants; status REPORTED", async () => {
    const d = ok(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-OK", { accidentId: A.chem }), key: "rc-ok" }));
    expect(d.reportClaim).toMatchObject({
      replayed: false,
      claim: { claimRef: "C-OK", status: "REPORTED", reserve: "80000.00", insurerUscc: F.insurerA, enterpriseUscc: F.chemicals, accident: { id: A.chem } },
    });
    expect(d.reportClaim.claim.claimants).toEqual([
      { kind: "EMPLOYEE", name: "张三", idNumber: idNumber(), injury: "左臂骨折" },
      { kind: "THIRD_PARTY", name: "李四", idNumber: idNumber("19900101", "456"), injury: null },
    ]);
  });

  it("the same key and payload replays; the same claimRef and content under a new key is a replay too; nothing is written", async () => {
    const before = await counts();
    const again = ok(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-OK", { accidentId: A.chem }), key: "rc-ok" })).reportClaim;
    expect(again).toMatchObject({ replayed: true, claim: { claimRef: "C-OK" } });
    const natural = ok(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-OK", { accidentId: A.chem }), key: "rc-ok-new-key" })).reportClaim;
    expect(natural).toMatchObject({ replayed: true, claim: { id: again.claim.id } });
    expect(await counts()).toEqual({ ...before, keys: before.keys + 1 });
  });

  it("the same key with another payload, or the same claimRef with other content, is a CONFLICT", async () => {
    const before = await counts();
    expectCode(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-OTHER"), key: "rc-ok" }), "CONFLICT");
    expectCode(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-OK", { reserve: "90000.00" }), key: k() }), "CONFLICT");
    expect(await counts()).toEqual(before);
  });

  it("claim references are per insurer: another insurer may use the same one", async () => {
    const d = ok(await run("INSURER", F.insurerB, REPORT, { input: goodClaim("C-OK", { policyNo: "CL-B", enterpriseUscc: F.construction, accidentId: A.construction }), key: k() }));
    expect(d.reportClaim.claim).toMatchObject({ claimRef: "C-OK", insurerUscc: F.insurerB });
  });

  it("the lead insurer of a co-insured park policy reports for any member", async () => {
    const d = ok(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-CO", { policyNo: "CL-CO", enterpriseUscc: F.construction }), key: k() }));
    expect(d.reportClaim.claim.status).toBe("REPORTED");
  });

  it.each([
    ["reportedAt 1 s before the period", { reportedAt: "2024-12-31T23:59:59+08:00", claimants: [] }, "input.reportedAt", "in-policy-period"],
    ["reportedAt in the future", { reportedAt: "FUTURE" }, "input.reportedAt", "not-future"],
    ["reportedAt 1 s before the accident", { accidentId: "ACC_CHEM", reportedAt: "2025-03-01T07:59:59+08:00" }, "input.reportedAt", "date-order"],
    ["an accident 1 s before the period", { accidentId: "ACC_BEFORE" }, "input.accidentId", "in-policy-period"],
    ["an accident at the period end (exclusive)", { accidentId: "ACC_END", reportedAt: "2026-01-02T09:00:00+08:00" }, "input.accidentId", "in-policy-period"],
    ["an accident of another enterprise", { accidentId: "ACC_CONSTRUCTION" }, "input.accidentId", "known-accident"],
    ["an accident that does not exist", { accidentId: "999999" }, "input.accidentId", "known-accident"],
    ["an accident id that is not a number", { accidentId: "abc" }, "input.accidentId", "known-accident"],
    ["an enterprise the policy does not insure", { enterpriseUscc: F.construction }, "input.enterpriseUscc", "insured-enterprise"],
    ["an enterprise USCC with a bad check digit", { enterpriseUscc: F.chemicals.slice(0, 17) + (F.chemicals[17] === "0" ? "1" : "0") }, "input.enterpriseUscc", "uscc:check_digit"],
    ["reserve -0.01", { reserve: "-0.01" }, "input.reserve", "money:nonnegative"],
    ["reserve with 3 decimals", { reserve: "1.001" }, "input.reserve", "money:2dp"],
    ["an empty claimRef", { claimRef: " " }, "input.claimRef", "required"],
    ["a claimRef over 64", { claimRef: "R".repeat(65) }, "input.claimRef", "max-length:64"],
    ["a claimant kind outside EMPLOYEE|THIRD_PARTY", { claimants: [{ kind: "VISITOR", name: "王五", idNumber: idNumber() }] }, "input.claimants[0].kind", "enum"],
    ["a blank claimant name", { claimants: [{ kind: "EMPLOYEE", name: "  ", idNumber: idNumber() }] }, "input.claimants[0].name", "required"],
    ["an ID number of 17 characters", { claimants: [{ kind: "EMPLOYEE", name: "王五", idNumber: idNumber().slice(0, 17) }] }, "input.claimants[0].idNumber", "id-number:length"],
    ["an ID number with a letter", { claimants: [{ kind: "EMPLOYEE", name: "王五", idNumber: "5001121985A315123" + "0" }] }, "input.claimants[0].idNumber", "id-number:charset"],
    ["an ID number born on 30 February", { claimants: [{ kind: "EMPLOYEE", name: "王五", idNumber: idNumber("19850230") }] }, "input.claimants[0].idNumber", "id-number:birth_date"],
    ["an ID number with a wrong check digit", { claimants: [{ kind: "EMPLOYEE", name: "王五", idNumber: idNumber().slice(0, 17) + (idNumber()[17] === "0" ? "1" : "0") }] }, "input.claimants[0].idNumber", "id-number:check_digit"],
    ["the same claimant twice", { claimants: [{ kind: "EMPLOYEE", name: "王五", idNumber: idNumber() }, { kind: "EMPLOYEE", name: "王五", idNumber: idNumber() }] }, "input.claimants[1].idNumber", "unique"],
    ["an accident after the policy was cancelled", { policyNo: "CL-CANCEL", enterpriseUscc: F.xiamenChem, accidentId: "ACC_XIAMEN_AFTER", reportedAt: "2025-07-02T09:00:00+08:00" }, "input.accidentId", "in-policy-period"],
  ])("rejects %s and writes nothing", async (_label, change: Record<string, unknown>, field, rule) => {
    const before = await counts();
    const input = goodClaim(`C-BAD-${keyN}`, change);
    const ids: Record<string, string> = { ACC_CHEM: A.chem, ACC_BEFORE: A.chemBefore, ACC_END: A.chemAtEnd, ACC_CONSTRUCTION: A.construction, ACC_XIAMEN_AFTER: A.xiamenAfterCancel };
    if (typeof input.accidentId === "string" && ids[input.accidentId]) input.accidentId = ids[input.accidentId];
    if (input.reportedAt === "FUTURE") input.reportedAt = inAnHour();
    expectProblem(await run("INSURER", F.insurerA, REPORT, { input, key: k() }), field, rule);
    expect(await counts()).toEqual(before);
  });

  it.each([
    ["reportedAt exactly at the period start, reserve 0, no claimants", { reportedAt: "2025-01-01T00:00:00+08:00", reserve: "0", claimants: [] }],
    ["an accident exactly at the period start, reported the same instant", { accidentId: "ACC_AT_START", reportedAt: "2025-01-01T00:00:00+08:00" }],
    ["an accident 1 s before the cancellation, reported after the period", { policyNo: "CL-CANCEL", enterpriseUscc: F.xiamenChem, accidentId: "ACC_XIAMEN_BEFORE", reportedAt: "2026-02-01T09:00:00+08:00" }],
    ["an ID number ending in a lower-case x (stored as X), 64-character claimRef", { claimRef: "R".repeat(64), claimants: [{ kind: "EMPLOYEE", name: "赵六", idNumber: "XID" }] }],
  ])("accepts %s", async (_label, change: Record<string, unknown>) => {
    const input = goodClaim(`C-EDGE-${keyN}`, change);
    if (input.accidentId === "ACC_AT_START") input.accidentId = A.chemAtStart;
    if (input.accidentId === "ACC_XIAMEN_BEFORE") input.accidentId = A.xiamenBeforeCancel;
    let x = "";
    if ((input.claimants as any[])[0]?.idNumber === "XID") {
      // find a sequence whose check character is X
      for (let s = 100; s < 999 && !x.endsWith("X"); s++) x = idNumber("19850315", String(s));
      (input.claimants as any[])[0].idNumber = x.slice(0, 17) + "x";
    }
    const d = ok(await run("INSURER", F.insurerA, REPORT, { input, key: k() }));
    expect(d.reportClaim.claim.status).toBe("REPORTED");
    if (x) expect(d.reportClaim.claim.claimants[0].idNumber).toBe(x);
  });

  it("a co-insurer is FORBIDDEN; another insurer's or an unknown policy is unknown; nothing is written", async () => {
    const before = await counts();
    expectCode(await run("INSURER", F.insurerB, REPORT, { input: goodClaim("C-B1", { policyNo: "CL-CO" }), key: k() }), "FORBIDDEN");
    expectProblem(await run("INSURER", F.insurerB, REPORT, { input: goodClaim("C-B2", { policyNo: "CL-A" }), key: k() }), "input.policyNo", "known-policy");
    expectProblem(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-B3", { policyNo: "NO-SUCH" }), key: k() }), "input.policyNo", "known-policy");
    expectCode(await run("SECTOR_DEPARTMENT", EMERGENCY, REPORT, { input: goodClaim("C-B4"), key: k() }), "FORBIDDEN");
    expectCode(await run("ENTERPRISE", F.chemicals, REPORT, { input: goodClaim("C-B5"), key: k() }), "FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it("an idempotency key is required", async () => {
    expectProblem(await run("INSURER", F.insurerA, REPORT, { input: goodClaim("C-NOKEY"), key: "" }), "idempotencyKey", "required");
  });

  it("other readers see the claim with claimants masked", async () => {
    const q = `{ claims(filter: { enterpriseUscc: "${F.chemicals}", statuses: [REPORTED] }) { edges { node { claimRef claimants { name idNumber } } } } }`;
    const dept = ok(await run("SECTOR_DEPARTMENT", EMERGENCY, q)).claims.edges.map((e: any) => e.node).find((n: any) => n.claimRef === "C-OK");
    expect(dept.claimants[0]).toEqual({ name: "张*", idNumber: idNumber().slice(0, 3) + "*".repeat(11) + idNumber().slice(-4) });
  });
});

/* ─────────────────────────── payments, assessment, settlement ─────────────────────────── */

/** A fresh REPORTED claim on CL-A, reported 2025-03-02 09:00. */
async function newClaim(ref: string, extra: Record<string, unknown> = {}) {
  ok(await run("INSURER", F.insurerA, REPORT, { input: goodClaim(ref, { accidentId: A.chem, ...extra }), key: `new-${ref}` }));
}
const payment = (claimRef: string, paymentRef: string, extra: Record<string, unknown> = {}) => ({
  claimRef, paymentRef, kind: "ADVANCE", amount: "1000.00", paidAt: "2025-03-05T10:00:00+08:00", ...extra,
});
const settlement = (claimRef: string, extra: Record<string, unknown> = {}) => ({ claimRef, settledAmount: "5000.00", settledAt: "2025-04-01T10:00:00+08:00", ...extra });

describe("recordClaimPayment", () => {
  beforeAll(async () => {
    await newClaim("P-1");
    await newClaim("P-REJ");
    ok(await run("INSURER", F.insurerA, SETTLE, { input: { claimRef: "P-REJ", reject: true, rejectionReason: "不属于保险责任", rejectedAt: "2025-03-10T10:00:00+08:00" }, key: "p-rej" }));
  });

  it("an advance on a REPORTED claim moves it to ADVANCE_PAID; a second advance keeps it there", async () => {
    const d = ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-1"), key: "pay-1" })).recordClaimPayment;
    expect(d).toMatchObject({ replayed: false, payment: { paymentRef: "PAY-1", kind: "ADVANCE", amount: "1000.00", paidAt: "2025-03-05T10:00:00+08:00" }, claim: { status: "ADVANCE_PAID" } });
    const e = ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-2", { kind: "EMERGENCY_ADVANCE", amount: "0.01" }), key: k() })).recordClaimPayment;
    expect(e.claim.status).toBe("ADVANCE_PAID");
    expect(e.claim.payments.map((p: any) => p.amount)).toEqual(["1000.00", "0.01"]);
  });

  it("advances are not capped by the reserve (the reserve is an estimate)", async () => {
    const d = ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-BIG", { kind: "SMALL_FAST", amount: "90000.00" }), key: k() }));
    expect(d.recordClaimPayment.payment.amount).toBe("90000.00");
  });

  it("a payment at the instant of the report is accepted", async () => {
    const d = ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-AT-REPORT", { paidAt: "2025-03-02T09:00:00+08:00" }), key: k() }));
    expect(d.recordClaimPayment.payment.paidAt).toBe("2025-03-02T09:00:00+08:00");
  });

  it.each([
    ["amount 0", { amount: "0" }, "input.amount", "positive"],
    ["amount -0.01", { amount: "-0.01" }, "input.amount", "money:nonnegative"],
    ["amount with 3 decimals", { amount: "0.001" }, "input.amount", "money:2dp"],
    ["paidAt 1 s before the report", { paidAt: "2025-03-02T08:59:59+08:00" }, "input.paidAt", "date-order"],
    ["paidAt in the future", { paidAt: "FUTURE" }, "input.paidAt", "not-future"],
    ["an empty paymentRef", { paymentRef: "" }, "input.paymentRef", "required"],
    ["a SETTLEMENT payment on an unsettled claim", { kind: "SETTLEMENT" }, "input.kind", "claim-status:unsettled"],
    ["a payment on a rejected claim", { claimRef: "P-REJ" }, "input.claimRef", "claim-status:rejected"],
    ["an unknown claim", { claimRef: "NO-SUCH" }, "input.claimRef", "known-claim"],
  ])("rejects %s and writes nothing", async (_label, change: Record<string, unknown>, field, rule) => {
    const before = await counts();
    const status = (await claimRow("P-1")).status;
    const input = payment("P-1", `PAY-BAD-${keyN}`, change);
    if (input.paidAt === "FUTURE") input.paidAt = inAnHour();
    expectProblem(await run("INSURER", F.insurerA, PAY, { input, key: k() }), field, rule);
    expect(await counts()).toEqual(before);
    expect((await claimRow("P-1")).status).toBe(status);
  });

  it("the same paymentRef and content under a new key is a replay; other content is a CONFLICT; so is the same key with another payload", async () => {
    const before = await counts();
    const again = ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-1", { amount: "1000" }), key: k() })).recordClaimPayment;
    expect(again).toMatchObject({ replayed: true, payment: { paymentRef: "PAY-1", amount: "1000.00" } });
    expectCode(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-1", { amount: "1000.01" }), key: k() }), "CONFLICT");
    expectCode(await run("INSURER", F.insurerA, PAY, { input: payment("P-1", "PAY-OTHER"), key: "pay-1" }), "CONFLICT");
    expect(await counts()).toEqual({ ...before, keys: before.keys + 1 });
  });

  it("after settlement: SETTLEMENT payments up to the settled amount, no advances, nothing beyond it", async () => {
    await newClaim("P-S");
    ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-S", "PS-ADV", { amount: "2000.00" }), key: k() }));
    ok(await run("INSURER", F.insurerA, SETTLE, { input: settlement("P-S", { settledAmount: "5000.00" }), key: k() }));
    const before = await counts();
    expectProblem(await run("INSURER", F.insurerA, PAY, { input: payment("P-S", "PS-ADV2", { paidAt: "2025-04-02T10:00:00+08:00" }), key: k() }), "input.kind", "claim-status:settled");
    expectProblem(
      await run("INSURER", F.insurerA, PAY, { input: payment("P-S", "PS-SET-X", { kind: "SETTLEMENT", amount: "3000.01", paidAt: "2025-04-02T10:00:00+08:00" }), key: k() }),
      "input.amount",
      "payments-exceed-settlement",
    );
    expect(await counts()).toEqual(before);
    const d = ok(await run("INSURER", F.insurerA, PAY, { input: payment("P-S", "PS-SET", { kind: "SETTLEMENT", amount: "3000.00", paidAt: "2025-04-02T10:00:00+08:00" }), key: "ps-set" }));
    expect(d.recordClaimPayment.claim).toMatchObject({ status: "SETTLED", payments: [{ amount: "2000.00" }, { amount: "3000.00" }] });
    expectProblem(
      await run("INSURER", F.insurerA, PAY, { input: payment("P-S", "PS-SET-2", { kind: "SETTLEMENT", amount: "0.01", paidAt: "2025-04-03T10:00:00+08:00" }), key: k() }),
      "input.amount",
      "payments-exceed-settlement",
    );
  });

  it("a retry of an accepted advance replays even after the claim was settled", async () => {
    await newClaim("P-R");
    const input = payment("P-R", "PR-ADV");
    ok(await run("INSURER", F.insurerA, PAY, { input, key: "pr-adv" }));
    ok(await run("INSURER", F.insurerA, SETTLE, { input: settlement("P-R"), key: k() }));
    const before = await counts();
    const again = ok(await run("INSURER", F.insurerA, PAY, { input, key: "pr-adv" })).recordClaimPayment;
    expect(again).toMatchObject({ replayed: true, payment: { paymentRef: "PR-ADV" }, claim: { status: "SETTLED" } });
    expect(await counts()).toEqual(before);
  });

  it("a co-insurer is FORBIDDEN; another insurer does not know the claim; nothing is written", async () => {
    const before = await counts();
    expectCode(await run("INSURER", F.insurerB, PAY, { input: payment("C-CO", "B-PAY-1"), key: k() }), "FORBIDDEN");
    expectProblem(await run("INSURER", F.insurerSuspended, PAY, { input: payment("P-1", "X-PAY-1"), key: k() }), "input.claimRef", "known-claim");
    expectCode(await run("SECTOR_DEPARTMENT", EMERGENCY, PAY, { input: payment("P-1", "D-PAY-1"), key: k() }), "FORBIDDEN");
    expect(await counts()).toEqual(before);
  });
});

describe("assessClaim", () => {
  it("REPORTED → ASSESSED with a revised reserve; an advance then moves it to ADVANCE_PAID", async () => {
    await newClaim("AS-1");
    const d = ok(await run("INSURER", F.insurerA, ASSESS, { input: { claimRef: "AS-1", assessedAt: "2025-03-02T09:00:00+08:00", reserve: "120000.00" }, key: "as-1" }));
    expect(d.assessClaim).toMatchObject({ replayed: false, claim: { status: "ASSESSED", assessedAt: "2025-03-02T09:00:00+08:00", reserve: "120000.00" } });
    const p = ok(await run("INSURER", F.insurerA, PAY, { input: payment("AS-1", "AS-1-ADV"), key: k() }));
    expect(p.recordClaimPayment.claim.status).toBe("ADVANCE_PAID");
    // a retry of the assessment replays although the claim moved on
    expect(ok(await run("INSURER", F.insurerA, ASSESS, { input: { claimRef: "AS-1", assessedAt: "2025-03-02T09:00:00+08:00", reserve: "120000.00" }, key: "as-1" })).assessClaim.replayed).toBe(true);
  });

  it("an advance-paid claim can be assessed and keeps its status", async () => {
    await newClaim("AS-2");
    ok(await run("INSURER", F.insurerA, PAY, { input: payment("AS-2", "AS-2-ADV"), key: k() }));
    const d = ok(await run("INSURER", F.insurerA, ASSESS, { input: { claimRef: "AS-2", assessedAt: "2025-03-06T09:00:00+08:00" }, key: k() }));
    expect(d.assessClaim.claim).toMatchObject({ status: "ADVANCE_PAID", reserve: "80000.00" });
  });

  it.each([
    ["assessedAt 1 s before the report", "AS-1", { assessedAt: "2025-03-02T08:59:59+08:00" }, "input.assessedAt", "date-order"],
    ["assessedAt in the future", "AS-1", { assessedAt: "FUTURE" }, "input.assessedAt", "not-future"],
    ["a reserve below 0", "AS-1", { reserve: "-1" }, "input.reserve", "money:nonnegative"],
    ["a second assessment", "AS-1", {}, "input.assessedAt", "claim-status:assessed"],
    ["an assessment of a closed claim", "P-S", {}, "input.claimRef", "claim-status:closed"],
  ])("rejects %s and writes nothing", async (_label, ref, change: Record<string, unknown>, field, rule) => {
    const before = await counts();
    const input = { claimRef: ref, assessedAt: "2025-03-10T09:00:00+08:00", ...change };
    if (input.assessedAt === "FUTURE") input.assessedAt = inAnHour();
    expectProblem(await run("INSURER", F.insurerA, ASSESS, { input, key: k() }), field, rule);
    expect(await counts()).toEqual(before);
  });
});

describe("settleClaim", () => {
  beforeAll(async () => {
    await newClaim("S-1");
    ok(await run("INSURER", F.insurerA, PAY, { input: payment("S-1", "S-1-ADV", { amount: "4000.00" }), key: k() }));
    await newClaim("S-2");
    await newClaim("S-3");
  });

  it.each([
    ["a settled amount 0.01 below what was paid", "S-1", { settledAmount: "3999.99" }, "input.settledAmount", "settlement-below-payments"],
    ["a settled amount below 0", "S-1", { settledAmount: "-1" }, "input.settledAmount", "money:nonnegative"],
    ["no settled amount", "S-1", { settledAmount: undefined }, "input.settledAmount", "required"],
    ["no settledAt", "S-1", { settledAt: undefined }, "input.settledAt", "required"],
    ["settledAt 1 s before the report", "S-1", { settledAt: "2025-03-02T08:59:59+08:00" }, "input.settledAt", "date-order"],
    ["settledAt in the future", "S-1", { settledAt: "FUTURE" }, "input.settledAt", "not-future"],
    ["settledAt before the assessedAt given with it", "S-2", { assessedAt: "2025-04-02T10:00:00+08:00" }, "input.settledAt", "date-order"],
    ["a rejection reason when settling", "S-1", { rejectionReason: "x" }, "input.rejectionReason", "not-allowed"],
    ["a rejection without a reason", "S-2", { reject: true, settledAmount: undefined, settledAt: undefined, rejectedAt: "2025-04-01T10:00:00+08:00" }, "input.rejectionReason", "required"],
    ["a rejection without rejectedAt", "S-2", { reject: true, settledAmount: undefined, settledAt: undefined, rejectionReason: "免责" }, "input.rejectedAt", "required"],
    ["a rejection with a settled amount", "S-2", { reject: true, settledAt: undefined, rejectionReason: "免责", rejectedAt: "2025-04-01T10:00:00+08:00" }, "input.settledAmount", "not-allowed"],
    ["a rejection after payments", "S-1", { reject: true, settledAmount: undefined, settledAt: undefined, rejectionReason: "免责", rejectedAt: "2025-04-01T10:00:00+08:00" }, "input.reject", "claim-status:paid"],
    ["a decision on a settled claim", "P-S", {}, "input.claimRef", "claim-status:closed"],
    ["a decision on a rejected claim", "P-REJ", { reject: true, settledAmount: undefined, settledAt: undefined, rejectionReason: "免责", rejectedAt: "2025-04-01T10:00:00+08:00" }, "input.claimRef", "claim-status:closed"],
    ["an assessedAt on an assessed claim", "AS-2", { assessedAt: "2025-03-20T10:00:00+08:00" }, "input.assessedAt", "claim-status:assessed"],
    ["an unknown claim", "NO-SUCH", {}, "input.claimRef", "known-claim"],
  ])("rejects %s and writes nothing", async (_label, ref, change: Record<string, unknown>, field, rule) => {
    const before = await counts();
    const row = await claimRow(ref);
    const input: Record<string, unknown> = { ...settlement(ref), ...change };
    for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
    if (input.settledAt === "FUTURE") input.settledAt = inAnHour();
    expectProblem(await run("INSURER", F.insurerA, SETTLE, { input, key: k() }), field, rule);
    expect(await counts()).toEqual(before);
    expect(await claimRow(ref)).toEqual(row);
  });

  it("settles at exactly what was paid; a retry replays; settling again is refused", async () => {
    const input = settlement("S-1", { settledAmount: "4000", settledAt: "2025-03-02T09:00:00+08:00" });
    const d = ok(await run("INSURER", F.insurerA, SETTLE, { input, key: "s-1" })).settleClaim;
    expect(d).toMatchObject({ replayed: false, claim: { status: "SETTLED", settledAmount: "4000.00", settledAt: "2025-03-02T09:00:00+08:00", assessedAt: null } });
    expect(ok(await run("INSURER", F.insurerA, SETTLE, { input, key: "s-1" })).settleClaim.replayed).toBe(true);
    expectProblem(await run("INSURER", F.insurerA, SETTLE, { input, key: k() }), "input.claimRef", "claim-status:closed");
    expectCode(await run("INSURER", F.insurerA, SETTLE, { input: settlement("S-2"), key: "s-1" }), "CONFLICT");
  });

  it("an assessedAt given with the settlement is recorded on the way (equal instants allowed)", async () => {
    const d = ok(await run("INSURER", F.insurerA, SETTLE, { input: settlement("S-2", { assessedAt: "2025-04-01T10:00:00+08:00", settledAmount: "0" }), key: k() }));
    expect(d.settleClaim.claim).toMatchObject({ status: "SETTLED", assessedAt: "2025-04-01T10:00:00+08:00", settledAmount: "0.00" });
  });

  it("rejects an unpaid claim with its reason", async () => {
    const d = ok(await run("INSURER", F.insurerA, SETTLE, { input: { claimRef: "S-3", reject: true, rejectionReason: "不属于保险责任 ", rejectedAt: "2025-03-02T09:00:00+08:00" }, key: k() }));
    expect(d.settleClaim.claim).toMatchObject({ status: "REJECTED", rejectionReason: "不属于保险责任", rejectedAt: "2025-03-02T09:00:00+08:00", settledAt: null, settledAmount: null });
  });

  it("a co-insurer is FORBIDDEN, another insurer does not know the claim, a department may not settle", async () => {
    const before = await counts();
    expectCode(await run("INSURER", F.insurerB, SETTLE, { input: settlement("C-CO"), key: k() }), "FORBIDDEN");
    expectProblem(await run("INSURER", F.insurerSuspended, SETTLE, { input: settlement("C-CO"), key: k() }), "input.claimRef", "known-claim");
    expectCode(await run("COMMITTEE_OFFICE", COMMITTEE, SETTLE, { input: settlement("C-CO"), key: k() }), "FORBIDDEN");
    expect(await counts()).toEqual(before);
    expect((await claimRow("C-CO")).status).toBe("REPORTED");
  });
});

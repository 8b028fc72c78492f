import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { validateFundEntryInput } from "../../src/modules/funds/commands.js";
import { sweepFundFindings } from "../../src/modules/prevention/sweeps.js";
import { Problems } from "../../src/graphql/validation.js";
import { freshDatabase } from "../support/db.js";
import { F, goodPolicy, loadFixture } from "../support/fixture.js";
import {
  cancelPolicyAs, closeDatabase, filePolicyAs, loadPreventionFixture, openFindings, pastPolicy, query, rejecter, writeCounts,
} from "../support/fixture-prevention.js";
import { asRole, ok } from "../support/graphql.js";

let database: Database;
let run: ReturnType<typeof asRole>;
let rejects: ReturnType<typeof rejecter>;
const ids: Record<string, number> = {};

const A = ["INSURER", F.insurerA] as const;
const B = ["INSURER", F.insurerB] as const;

beforeAll(async () => {
  database = await freshDatabase();
  await loadFixture(database.db);
  await loadPreventionFixture(database.db);
  run = asRole(database);
  rejects = rejecter(database, run);
  // 2025 policies, premium 12000: Chongqing floor 10%, Xiamen floor 20%
  ids["FD-1"] = await filePolicyAs(run, F.insurerA, { ...pastPolicy("FD-1"), coinsurers: [{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.4" }] });
  ids["FD-X"] = await filePolicyAs(run, F.insurerA, pastPolicy("FD-X", F.xiamenChem, 30));
  ids["FD-B"] = await filePolicyAs(run, F.insurerB, pastPolicy("FD-B", F.construction, 40));
  ids["FD-CANCEL"] = await filePolicyAs(run, F.insurerA, pastPolicy("FD-CANCEL", F.construction, 40));
  await cancelPolicyAs(run, F.insurerA, "FD-CANCEL", "2025-06-01T00:00:00+08:00");
  // still running on 2026-01-01
  ids["FD-CUR"] = await filePolicyAs(run, F.insurerA, goodPolicy("FD-CUR"));
});
afterAll(() => closeDatabase(database));

const BOOK = `mutation($input: FundEntryInput!, $key: String!) {
  recordFundEntry(input: $input, idempotencyKey: $key) {
    idempotencyKey replayed entry { entryRef insurerUscc kind category amount bookedAt } findings { ruleCode insurerUscc source message subjectKey }
  }
}`;
const policy = (policyNo: string, insurerUscc = F.insurerA) => ({ insurerUscc, policyNo });
function entry(entryRef: string, over: Record<string, unknown> = {}) {
  return { entryRef, kind: "USE", category: "TRAINING", amount: "100.00", bookedAt: "2025-06-01T10:00:00+08:00", policy: policy("FD-1"), ...over };
}
const book = async (who: readonly [any, string], input: Record<string, unknown>, key: string) => ok(await run(who[0], who[1], BOOK, { input, key })).recordFundEntry;
const bad = (rule: string, field: string) => ({ code: "BAD_USER_INPUT", field, rule });
const sweep = (at: string) =>
  database.db.transaction(async (tx) => {
    const s0 = database.stats.statements;
    const r = await sweepFundFindings(tx, new Date(at));
    return { ...r, statements: database.stats.statements - s0 };
  });
const spendFindings = async (policyNo: string) => {
  const rows = await openFindings(database.db, "PREVENTION_SPEND_BELOW_FLOOR");
  return rows.filter((f) => Number(f.policy_id) === ids[policyNo]);
};

describe("recordFundEntry", () => {
  it("books a USE with its category and an EXTRACTION without one in the insurer's own ledger", async () => {
    const use = await book(A, entry("E-1", { amount: "700.00" }), "k-e1");
    expect(use).toMatchObject({ replayed: false, entry: { entryRef: "E-1", insurerUscc: F.insurerA, kind: "USE", category: "TRAINING", amount: "700.00", bookedAt: "2025-06-01T10:00:00+08:00" } });
    const ext = await book(A, entry("E-2", { kind: "EXTRACTION", category: null, amount: "2400.00", bookedAt: "2025-01-05T00:00:00+08:00" }), "k-e2");
    expect(ext.entry).toMatchObject({ kind: "EXTRACTION", category: null, amount: "2400.00" });
    // an entry need not name a policy
    const free = await book(A, entry("E-3", { policy: null, category: "SAFETY_REWARD" }), "k-e3");
    expect(free.entry.category).toBe("SAFETY_REWARD");
    const rows = await query(database.db, sql`select entry_ref, policy_id, payload_hash is not null hashed from fund_entries order by entry_ref`);
    expect(rows.map((r) => [r.entry_ref, r.policy_id === null ? null : Number(r.policy_id), r.hashed])).toEqual([["E-1", ids["FD-1"], true], ["E-2", ids["FD-1"], true], ["E-3", null, true]]);
  });

  it("a co-insurer books against the policy it co-insures; the ledgers stay apart", async () => {
    const d = await book(B, entry("E-1", { amount: "10.00" }), "k-b-e1"); // same reference, B's own ledger
    expect(d.entry).toMatchObject({ entryRef: "E-1", insurerUscc: F.insurerB, amount: "10.00" });
    const q = `{ fundEntries(first: 100) { totalCount edges { node { entryRef insurerUscc } } } }`;
    const seenByB = ok(await run("INSURER", F.insurerB, q)).fundEntries.edges.map((e: any) => e.node.insurerUscc);
    expect(new Set(seenByB)).toEqual(new Set([F.insurerB]));
  });

  it("USE needs a category, EXTRACTION must not have one", async () => {
    await rejects(A, BOOK, { input: entry("E-C1", { category: null }), key: "c1" }, bad("category-required", "input.category"));
    await rejects(A, BOOK, { input: entry("E-C2", { kind: "EXTRACTION", category: "TRAINING" }), key: "c2" }, bad("category-not-allowed", "input.category"));
  });

  it("amount is > 0 with at most 2 decimals", async () => {
    await rejects(A, BOOK, { input: entry("E-M1", { amount: "0" }), key: "m1" }, bad("money:positive", "input.amount"));
    await rejects(A, BOOK, { input: entry("E-M2", { amount: "0.00" }), key: "m2" }, bad("money:positive", "input.amount"));
    await rejects(A, BOOK, { input: entry("E-M3", { amount: "-0.01" }), key: "m3" }, bad("money:nonnegative", "input.amount"));
    await rejects(A, BOOK, { input: entry("E-M4", { amount: "0.001" }), key: "m4" }, bad("money:2dp", "input.amount"));
    expect((await book(A, entry("E-M5", { amount: "0.01", policy: null }), "m5")).entry.amount).toBe("0.01");
  });

  it("entryRef is required, at most 64 characters; the note at most 500; the key is required", async () => {
    await rejects(A, BOOK, { input: entry(" "), key: "r1" }, bad("required", "input.entryRef"));
    await rejects(A, BOOK, { input: entry("R".repeat(65)), key: "r2" }, bad("max-length:64", "input.entryRef"));
    expect((await book(A, entry("R".repeat(64), { policy: null }), "r3")).entry.entryRef).toHaveLength(64);
    await rejects(A, BOOK, { input: entry("E-N1", { note: "注".repeat(501) }), key: "n1" }, bad("max-length:500", "input.note"));
    expect((await book(A, entry("E-N2", { note: "注".repeat(500), policy: null }), "n2")).entry.entryRef).toBe("E-N2");
    await rejects(A, BOOK, { input: entry("E-K1"), key: "" }, { code: "BAD_USER_INPUT", field: "idempotencyKey", rule: "required" });
  });

  it("kind and category come from their vocabularies (the structural validator, beyond the GraphQL enums)", () => {
    const p = new Problems();
    validateFundEntryInput({ ...entry("E-V"), kind: "REFUND", bookedAt: new Date() } as any, p);
    expect(p.list.map((x) => `${x.field} ${x.rule}`)).toEqual(["input.kind enum"]);
    const q = new Problems();
    validateFundEntryInput({ ...entry("E-V"), category: "LUNCH", bookedAt: new Date() } as any, q);
    expect(q.list.map((x) => `${x.field} ${x.rule}`)).toEqual(["input.category enum"]);
  });

  it("the policy must be one the caller insures", async () => {
    await rejects(A, BOOK, { input: entry("E-P1", { policy: policy("FD-B", F.insurerB) }), key: "p1" }, bad("known-policy", "input.policy.policyNo"));
    await rejects(B, BOOK, { input: entry("E-P2", { policy: policy("FD-X") }), key: "p2" }, bad("known-policy", "input.policy.policyNo"));
    await rejects(A, BOOK, { input: entry("E-P3", { policy: policy("NO-SUCH") }), key: "p3" }, bad("known-policy", "input.policy.policyNo"));
    await rejects(A, BOOK, { input: entry("E-P4", { policy: policy("FD-1", F.insurerA.slice(0, 17) + "0") }), key: "p4" }, bad("uscc:check_digit", "input.policy.insurerUscc"));
    // the policy is named by its lead insurer: B's share of FD-1 is still FD-1 under A
    await rejects(B, BOOK, { input: entry("E-P5", { policy: policy("FD-1", F.insurerB) }), key: "p5" }, bad("known-policy", "input.policy.policyNo"));
  });

  it("only insurers book, and nothing is written on refusal", async () => {
    await rejects(["SERVICE_ORG", F.serviceOrg], BOOK, { input: entry("E-W1"), key: "w1" }, { code: "FORBIDDEN" });
    await rejects(["ENTERPRISE", F.chemicals], BOOK, { input: entry("E-W2"), key: "w2" }, { code: "FORBIDDEN" });
    await rejects(["COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE"], BOOK, { input: entry("E-W3"), key: "w3" }, { code: "FORBIDDEN" });
    await rejects(["PUBLIC", null], BOOK, { input: entry("E-W4"), key: "w4" }, { code: "FORBIDDEN" });
  });

  it("the same key replays; the same reference and content under a new key replays; other content is a CONFLICT", async () => {
    const before = await writeCounts(database.db);
    expect((await book(A, entry("E-1", { amount: "700.00" }), "k-e1")).replayed).toBe(true);
    const same = await book(A, entry("E-1", { amount: "700.00", bookedAt: "2025-06-01T02:00:00Z" }), "k-e1-again");
    expect(same).toMatchObject({ replayed: true, entry: { entryRef: "E-1", amount: "700.00" } });
    const after = await writeCounts(database.db);
    expect({ ...after, idempotency_keys: before.idempotency_keys }).toEqual(before);
    await rejects(A, BOOK, { input: entry("E-1", { amount: "700.01" }), key: "k-e1" }, { code: "CONFLICT" });
    await rejects(A, BOOK, { input: entry("E-1", { amount: "700.01" }), key: "k-e1-other" }, { code: "CONFLICT" });
    await rejects(A, BOOK, { input: entry("E-1", { amount: "700.00", category: "OTHER" }), key: "k-e1-cat" }, { code: "CONFLICT" });
  });
});

describe("prevention spending below the local floor", () => {
  it("at year end each insurer's USE on an ended policy is held to premium × its share × the region's floor", async () => {
    const r = await sweep("2026-01-01T00:00:00+08:00");
    expect(r.statements).toBeLessThanOrEqual(3);
    // FD-1 (Chongqing 10%): A holds 60% → 720.00, has used 700.00; B holds 40% → 480.00, has used 10.00
    const fd1 = await spendFindings("FD-1");
    expect(fd1.map((f) => [f.subject_key, f.insurer_uscc, f.enterprise_uscc])).toEqual(
      [[`${ids["FD-1"]}:${F.insurerA}:${F.chemicals}`, F.insurerA, F.chemicals], [`${ids["FD-1"]}:${F.insurerB}:${F.chemicals}`, F.insurerB, F.chemicals]].sort(),
    );
    const a = fd1.find((f) => f.insurer_uscc === F.insurerA)!;
    expect(a.source).toBe("渝府办发〔2017〕182号 二(九)");
    expect(a.message).toMatch(/^事故预防费用使用 700\.00 元，低于保费 12000\.00 元 × 共保份额 60%的 10%（720\.00 元）/);
    // FD-X (Xiamen 20%): 2400.00 due, nothing used
    const fdx = await spendFindings("FD-X");
    expect(fdx).toHaveLength(1);
    expect(fdx[0].source).toBe("厦应急规〔2022〕2号 二(七)");
    expect(fdx[0].message).toContain("2400.00");
    // B's own FD-B (Chongqing) is flagged too; the running and the cancelled policy are not judged
    expect(await spendFindings("FD-B")).toHaveLength(1);
    expect(await spendFindings("FD-CUR")).toEqual([]);
    expect(await spendFindings("FD-CANCEL")).toEqual([]);
  });

  it("one second before the period ends nothing is due yet", async () => {
    await sweep("2025-12-31T23:59:59.999+08:00");
    expect(await openFindings(database.db, "PREVENTION_SPEND_BELOW_FLOOR")).toEqual([]);
    await sweep("2026-01-01T00:00:00+08:00");
    expect(await openFindings(database.db, "PREVENTION_SPEND_BELOW_FLOOR")).toHaveLength(4);
  });

  it("more USE cures it: 1 fen short stays open, reaching the floor exactly resolves it; EXTRACTION does not count", async () => {
    const ext = await book(A, entry("E-X1", { kind: "EXTRACTION", category: null, amount: "5000.00", bookedAt: "2025-12-30T00:00:00+08:00" }), "k-x1");
    expect(ext.findings.map((f: any) => f.ruleCode)).toEqual(["PREVENTION_SPEND_BELOW_FLOOR"]);
    const short = await book(A, entry("E-U1", { amount: "19.99", bookedAt: "2025-12-31T23:59:59+08:00" }), "k-u1");
    expect(short.findings).toHaveLength(1);
    expect(short.findings[0]).toMatchObject({ ruleCode: "PREVENTION_SPEND_BELOW_FLOOR", insurerUscc: F.insurerA });
    const cured = await book(A, entry("E-U2", { amount: "0.01", bookedAt: "2025-12-31T23:59:59+08:00" }), "k-u2");
    expect(cured.findings).toEqual([]);
    const fd1 = await spendFindings("FD-1");
    expect(fd1.map((f) => f.insurer_uscc)).toEqual([F.insurerB]); // B's share is still short
    const resolved = await query(database.db, sql`select status from compliance_findings where rule_code = 'PREVENTION_SPEND_BELOW_FLOOR'
      and subject_key = ${`${ids["FD-1"]}:${F.insurerA}:${F.chemicals}`}`);
    expect(resolved.map((r) => r.status)).toContain("RESOLVED");
    // a later sweep agrees
    await sweep("2026-01-01T00:00:00+08:00");
    expect((await spendFindings("FD-1")).map((f) => f.insurer_uscc)).toEqual([F.insurerB]);
  });

  it("findings are as of the sweep's instant: spending booked after it does not count", async () => {
    // B books its 470.00 shortfall in February: the booking cures it now, a sweep as of New Year reopens it
    const d = await book(B, entry("E-B1", { amount: "470.00", bookedAt: "2026-02-01T00:00:00+08:00" }), "k-b1");
    expect(d.findings).toEqual([]);
    expect(await spendFindings("FD-1")).toEqual([]);
    await sweep("2026-01-01T00:00:00+08:00");
    expect((await spendFindings("FD-1")).map((f) => f.insurer_uscc)).toEqual([F.insurerB]);
    await sweep("2026-03-01T00:00:00+08:00");
    expect(await spendFindings("FD-1")).toEqual([]);
  });

  it("the sweep is a bounded number of statements, however many policies", async () => {
    const few = await sweep("2026-03-01T00:00:00+08:00");
    for (let i = 0; i < 5; i++) await filePolicyAs(run, F.insurerA, pastPolicy(`FD-MANY-${i}`, F.construction, 40));
    const many = await sweep("2026-03-01T00:00:00+08:00");
    expect(many.evaluated).toBe(few.evaluated + 5);
    expect(many.flagged).toBe(few.flagged + 5);
    expect(many.statements).toBe(few.statements);
    expect(many.statements).toBeLessThanOrEqual(3);
  });

  it("the insurer and the regulator see the finding; the other insurer does not", async () => {
    const q = `{ complianceFindings(filter: { ruleCodes: ["PREVENTION_SPEND_BELOW_FLOOR"], status: "OPEN" }, first: 100) { totalCount edges { node { insurerUscc } } } }`;
    const byA = ok(await run("INSURER", F.insurerA, q)).complianceFindings;
    expect(byA.totalCount).toBeGreaterThan(0);
    expect(byA.edges.every((e: any) => e.node.insurerUscc === F.insurerA)).toBe(true);
    expect(ok(await run("INSURER", F.insurerSuspended, q)).complianceFindings.totalCount).toBe(0);
    expect(ok(await run("COMMITTEE_OFFICE", "500000-COMMITTEE_OFFICE", q)).complianceFindings.totalCount).toBeGreaterThan(0);
  });
});

import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { F, goodPolicy } from "../support/fixture.js";
import { ok } from "../support/graphql.js";
import { useFixtureDatabase } from "../support/hooks.js";

const t = useFixtureDatabase();

const FILE = `mutation($input: PolicyInput!, $key: String!) {
  filePolicy(input: $input, idempotencyKey: $key) { accepted replayed policy { id policyNo premium insuredHeadcount version } findings { ruleCode severity source message } }
}`;
const rows = async (table: string) => Number(((await t.database.db.execute(sql.raw(`select count(*) n from ${table}`))) as any).rows[0].n);

describe("filePolicy", () => {
  it("stores a compliant filing with no findings", async () => {
    const d = ok(await t.run("INSURER", F.insurerA, FILE, { input: goodPolicy("P-OK-1"), key: "k-ok-1" }));
    expect(d.filePolicy).toMatchObject({ accepted: true, replayed: false, policy: { policyNo: "P-OK-1", premium: "12000.00", insuredHeadcount: 100, version: 1 } });
    expect(d.filePolicy.findings).toEqual([]);
  });

  it("the same key and payload replays the first result and writes nothing more", async () => {
    const before = await rows("policies");
    const again = ok(await t.run("INSURER", F.insurerA, FILE, { input: goodPolicy("P-OK-1"), key: "k-ok-1" }));
    expect(again.filePolicy.replayed).toBe(true);
    expect(await rows("policies")).toBe(before);
  });

  it("the same key with another payload, or the same policy number with other content, is a CONFLICT", async () => {
    const r1 = await t.run("INSURER", F.insurerA, FILE, { input: { ...goodPolicy("P-OK-2"), premium: "1.00" }, key: "k-ok-1" });
    expect(r1.errors?.[0].extensions?.code).toBe("CONFLICT");
    const r2 = await t.run("INSURER", F.insurerA, FILE, { input: { ...goodPolicy("P-OK-1"), premium: "13000.00" }, key: "k-other" });
    expect(r2.errors?.[0].extensions?.code).toBe("CONFLICT");
  });

  it("a non-compliant but real filing is stored with its findings and their sources", async () => {
    const input = { ...goodPolicy("P-BAD-1", F.chemicals, 80), deathLimitPerPerson: "300000.00", commissionRatio: "0.0800", preventionFundRatio: "0.0500", rateFloat: "0.6000" };
    const d = ok(await t.run("INSURER", F.insurerA, FILE, { input, key: "k-bad-1" }));
    expect(d.filePolicy.accepted).toBe(true);
    const codes = d.filePolicy.findings.map((f: any) => f.ruleCode).sort();
    expect(codes).toEqual(["COMMISSION_ABOVE_MAX", "DEATH_LIMIT_BELOW_MIN", "HEADCOUNT_BELOW_EMPLOYEES", "PER_PERSON_AMOUNT_DIFFERS", "PREVENTION_RATIO_BELOW_FLOOR", "RATE_FLOAT_OUT_OF_BAND"]);
    const death = d.filePolicy.findings.find((f: any) => f.ruleCode === "DEATH_LIMIT_BELOW_MIN");
    expect(death.source).toContain("应急〔2025〕27号 第十五条");
    expect(death.message).toMatch(/^每人死亡伤残限额.* \/ death limit/);
    const floor = d.filePolicy.findings.find((f: any) => f.ruleCode === "PREVENTION_RATIO_BELOW_FLOOR");
    expect(floor.source).toContain("渝府办发〔2017〕182号");
  });

  it("a department sees the findings of its sector, and not another sector's", async () => {
    const q = `{ complianceFindings(filter: { status: "OPEN" }) { totalCount edges { node { ruleCode enterpriseUscc } } } }`;
    const mine = ok(await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", q));
    expect(mine.complianceFindings.totalCount).toBeGreaterThanOrEqual(6);
    expect(ok(await t.run("SECTOR_DEPARTMENT", "500000-HOUSING", q)).complianceFindings.totalCount).toBe(0);
  });

  it("rejects bad input naming the field and the rule, and writes nothing", async () => {
    const before = await rows("policies");
    const bad = { ...goodPolicy("P-X"), insuredEnterprises: [{ uscc: F.chemicals.slice(0, 17) + "0", insuredHeadcount: 0 }], premium: "100.001", endAt: "2025-01-01T00:00:00+08:00" };
    const r = await t.run("INSURER", F.insurerA, FILE, { input: bad, key: "k-x" });
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const problems = (r.errors![0].extensions!.problems as any[]).map((p) => `${p.field} ${p.rule}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        "input.insuredEnterprises[0].uscc uscc:check_digit",
        "input.insuredEnterprises[0].insuredHeadcount positive",
        "input.endAt date-order",
        "input.premium money:2dp",
      ]),
    );
    expect(r.errors![0].extensions!.field).toBeTruthy();
    expect(await rows("policies")).toBe(before);
  });

  it("co-insurance shares must sum to exactly 100% and include the lead", async () => {
    const r = await t.run("INSURER", F.insurerA, FILE, {
      input: { ...goodPolicy("P-CO"), coinsurers: [{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.3" }] },
      key: "k-co",
    });
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.coinsurers", rule: "shares-sum-to-1" });
    const d = ok(
      await t.run("INSURER", F.insurerA, FILE, {
        input: { ...goodPolicy("P-CO", F.xiamenChem, 30), coinsurers: [{ insurerUscc: F.insurerA, share: "0.6" }, { insurerUscc: F.insurerB, share: "0.4" }] },
        key: "k-co",
      }),
    );
    expect(d.filePolicy.accepted).toBe(true);
    // the co-insurer reads it too; a third insurer does not
    const q = `{ policy(insurerId: "${F.insurerA}", policyNo: "P-CO") { coinsurers { insurerUscc share isLead } } }`;
    expect(ok(await t.run("INSURER", F.insurerB, q)).policy.coinsurers).toHaveLength(2);
    expect(ok(await t.run("INSURER", F.insurerSuspended, q)).policy).toBeNull();
  });

  it("an unknown enterprise is a BAD_USER_INPUT; only insurers file", async () => {
    const r = await t.run("INSURER", F.insurerA, FILE, { input: goodPolicy("P-U", "91500112MA5U000000".slice(0, 17) + "X"), key: "k-u" });
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    const d = await t.run("SECTOR_DEPARTMENT", "500000-EMERGENCY", FILE, { input: goodPolicy("P-D"), key: "k-d" });
    expect(d.errors?.[0].extensions?.code).toBe("FORBIDDEN");
  });

  it("a suspended insurer's filing is flagged as not qualified", async () => {
    const d = ok(await t.run("INSURER", F.insurerSuspended, FILE, { input: goodPolicy("P-S", F.construction, 40), key: "k-s" }));
    expect(d.filePolicy.findings.map((f: any) => f.ruleCode)).toContain("INSURER_NOT_QUALIFIED");
  });
});

describe("filePolicies (bulk)", () => {
  const BULK = `mutation($inputs: [PolicyFilingInput!]!) { filePolicies(inputs: $inputs) { idempotencyKey accepted errorCode errors { field rule } policy { policyNo } } }`;

  it("accepts good items and rejects bad ones on their own, each with its own result", async () => {
    const before = await rows("policies");
    const inputs = [
      { idempotencyKey: "b-1", input: goodPolicy("B-1", F.construction, 40) },
      { idempotencyKey: "b-2", input: { ...goodPolicy("B-2"), premium: "-5" } },
      { idempotencyKey: "b-3", input: goodPolicy("B-3", F.xiamenChem, 30) },
      { idempotencyKey: "k-ok-1", input: { ...goodPolicy("P-OK-1"), premium: "1.00" } },
    ];
    const d = ok(await t.run("INSURER", F.insurerA, BULK, { inputs }));
    expect(d.filePolicies.map((r: any) => r.accepted)).toEqual([true, false, true, false]);
    expect(d.filePolicies[1]).toMatchObject({ errorCode: "BAD_USER_INPUT", errors: [{ field: "inputs[1].input.premium", rule: "money:nonnegative" }] });
    expect(d.filePolicies[3].errorCode).toBe("CONFLICT");
    expect(await rows("policies")).toBe(before + 2);
  });
});

describe("amendPolicy and cancelPolicy", () => {
  const AMEND = `mutation($no: String!, $input: PolicyInput!, $reason: String!, $key: String!) {
    amendPolicy(policyNo: $no, input: $input, reason: $reason, idempotencyKey: $key) { policy { version insuredHeadcount versions { version reason } } findings { ruleCode } } }`;
  const CANCEL = `mutation($no: String!, $at: DateTime!, $reason: String!, $key: String!) {
    cancelPolicy(policyNo: $no, cancelledAt: $at, reason: $reason, idempotencyKey: $key) { policy { status cancelReason version } findings { ruleCode } } }`;

  it("an amendment makes a new version, keeps the history and cures findings", async () => {
    // P-BAD-1 covered 80 of 100 workers; the amendment covers all and raises the limit
    const input = { ...goodPolicy("P-BAD-1", F.chemicals, 100), deathLimitPerPerson: "500000.00", commissionRatio: "0.0800", preventionFundRatio: "0.0500", rateFloat: "0.6000" };
    const d = ok(await t.run("INSURER", F.insurerA, AMEND, { no: "P-BAD-1", input, reason: "补足全员投保 / cover every worker", key: "a-1" }));
    expect(d.amendPolicy.policy.version).toBe(2);
    expect(d.amendPolicy.policy.versions.map((v: any) => v.version)).toEqual([1, 2]);
    const codes = d.amendPolicy.findings.map((f: any) => f.ruleCode).sort();
    expect(codes).toEqual(["COMMISSION_ABOVE_MAX", "PREVENTION_RATIO_BELOW_FLOOR", "RATE_FLOAT_OUT_OF_BAND"]);
    const resolved = ((await t.database.db.execute(sql`select rule_code from compliance_findings f join policies p on p.id = f.policy_id
      where p.policy_no = 'P-BAD-1' and f.status = 'RESOLVED' order by rule_code`)) as any).rows.map((r: any) => r.rule_code);
    expect(resolved).toEqual(["DEATH_LIMIT_BELOW_MIN", "HEADCOUNT_BELOW_EMPLOYEES", "PER_PERSON_AMOUNT_DIFFERS"]);
  });

  it("an amendment needs a reason and cannot change the policy number; another insurer cannot amend", async () => {
    const r = await t.run("INSURER", F.insurerA, AMEND, { no: "P-OK-1", input: goodPolicy("P-OK-9"), reason: " ", key: "a-2" });
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason", rule: "required" });
    const r2 = await t.run("INSURER", F.insurerA, AMEND, { no: "P-OK-1", input: goodPolicy("P-OK-9"), reason: "x", key: "a-3" });
    expect(r2.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.policyNo", rule: "same-policy-no" });
    const r3 = await t.run("INSURER", F.insurerB, AMEND, { no: "P-OK-1", input: goodPolicy("P-OK-1"), reason: "x", key: "a-4" });
    expect(r3.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", rule: "known-policy" });
  });

  it("cancelling while the enterprise operates is stored and flagged", async () => {
    const d = ok(await t.run("INSURER", F.insurerA, CANCEL, { no: "P-OK-1", at: "2026-06-01T00:00:00+08:00", reason: "投保人申请退保", key: "c-1" }));
    expect(d.cancelPolicy.policy).toMatchObject({ status: "CANCELLED", cancelReason: "投保人申请退保", version: 2 });
    expect(d.cancelPolicy.findings.map((f: any) => f.ruleCode)).toContain("CANCELLED_WHILE_OPERATING");
    const again = await t.run("INSURER", F.insurerA, CANCEL, { no: "P-OK-1", at: "2026-06-02T00:00:00+08:00", reason: "again", key: "c-2" });
    expect(again.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", rule: "policy-status:cancelled" });
  });

  it("a cancellation needs a reason and a date inside the period", async () => {
    const r = await t.run("INSURER", F.insurerA, CANCEL, { no: "B-1", at: "2026-06-01T00:00:00+08:00", reason: "", key: "c-3" });
    expect(r.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "reason", rule: "required" });
    const r2 = await t.run("INSURER", F.insurerA, CANCEL, { no: "B-1", at: "2028-01-01T00:00:00+08:00", reason: "x", key: "c-4" });
    expect(r2.errors?.[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "cancelledAt", rule: "in-policy-period" });
  });
});

describe("edge cases found by fuzzing", () => {
  const FILE = `mutation($input: PolicyInput!, $key: String!) { filePolicy(input: $input, idempotencyKey: $key) { accepted } }`;
  it("an impossible calendar date is refused, not rolled over", async () => {
    const r = await t.run("INSURER", F.insurerA, FILE, { input: { ...goodPolicy("P-FEB"), startAt: "2026-02-30T00:00:00+08:00" }, key: "feb" });
    expect(r.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
  });
  it("a signed token for an unregistered insurer is refused before anything runs (401 over HTTP), not a 500", async () => {
    await expect(t.run("INSURER", "91110000MA00000000", FILE, { input: goodPolicy("P-NOBODY"), key: "nobody" })).rejects.toThrow(/not a registered insurer/);
  });
});

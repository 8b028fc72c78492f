import { and, eq, sql } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import type { Tx } from "../../db/client.js";
import { FUND_ENTRY_KINDS } from "../../domain/vocabulary.js";
import { conflict, forbidden } from "../../graphql/errors.js";
import { checks, InputError, Problems, requireIdempotencyKey } from "../../graphql/validation.js";
import { evaluateSpend, FUND_RULES, fundSubjectKey, SUBJECT } from "../../rules/prevention-findings.js";
import { compareDecimal, effectiveRules } from "../../rules/profiles.js";
import { fundEntries, policies } from "../../../schema/index.js";
import { once, payloadHash } from "../idempotency/service.js";
import { spendFacts } from "../prevention/sweeps.js";
import { syncFindings } from "../compliance/service.js";
import { FUND_USE_CATEGORIES, type FundEntryInput } from "./inputs.js";
import { requireCaller } from "../access.js";

export interface FundEntryOutcome {
  entryId: number;
  /** the same entry (reference and content) was already booked under another key */
  existing: boolean;
  /** the policy it is booked against, if any */
  policyId: number | null;
}

/** Structural checks that need no database: everything here is a BAD_USER_INPUT. */
export function validateFundEntryInput(input: FundEntryInput, p: Problems): void {
  checks.text(p, "entryRef", input.entryRef, 64);
  const kindOk = p.check((FUND_ENTRY_KINDS as readonly string[]).includes(input.kind), "kind", "enum", `未知台账类型 / unknown kind ${input.kind}`);
  if (kindOk && input.kind === "USE") {
    p.check(input.category != null, "category", "category-required", "使用须填写类别 / a USE entry needs a category");
  }
  if (kindOk && input.kind === "EXTRACTION") {
    p.check(input.category == null, "category", "category-not-allowed", "提取不填类别 / an EXTRACTION entry has no category");
  }
  if (input.category != null && input.kind === "USE") {
    p.check((FUND_USE_CATEGORIES as readonly string[]).includes(input.category), "category", "enum", `未知使用类别 / unknown category ${input.category}`);
  }
  const before = p.list.length;
  checks.money(p, "amount", input.amount);
  if (p.list.length === before) p.check(compareDecimal(input.amount, "0") > 0, "amount", "money:positive", "金额须大于0 / amount must be > 0");
  p.check(input.bookedAt instanceof Date && !Number.isNaN(input.bookedAt.getTime()), "bookedAt", "required", "记账时间必填 / bookedAt is required");
  if (input.policy) {
    checks.uscc(p, "policy.insurerUscc", input.policy.insurerUscc);
    checks.text(p, "policy.policyNo", input.policy.policyNo, 64);
  }
  if (input.note != null) p.check(input.note.length <= 500, "note", "max-length:500", "长度不超过 500 / at most 500 characters");
}

/** The stored content of an entry: what the natural key's payload hash covers. */
function entryRecord(input: FundEntryInput) {
  return {
    entryRef: input.entryRef,
    kind: input.kind,
    category: input.category ?? null,
    amount: input.amount,
    bookedAt: input.bookedAt,
    policy: input.policy ? { insurerUscc: input.policy.insurerUscc, policyNo: input.policy.policyNo } : null,
    note: input.note ?? null,
  };
}

/** The policy an entry is booked against: one the caller insures, as lead or co-insurer. */
async function ownPolicy(tx: Tx, insurer: string, ref: { insurerUscc: string; policyNo: string }) {
  const [pol] = await tx
    .select({ id: policies.id })
    .from(policies)
    .where(
      and(
        eq(policies.insurerUscc, ref.insurerUscc),
        eq(policies.policyNo, ref.policyNo),
        sql`exists (select 1 from policy_coinsurers pc_o where pc_o.policy_id = ${policies.id} and pc_o.insurer_uscc = ${insurer})`,
      ),
    );
  if (!pol) {
    throw new InputError([{ field: "input.policy.policyNo", rule: "known-policy", message: `本机构未承保此保单 / no policy ${ref.policyNo} that you insure` }]);
  }
  return pol.id;
}

/**
 * Books one entry in the caller's own ledger: role check → structural validation → the policy in the
 * transaction → idempotency → write → findings. The entry reference is unique per insurer: the same
 * reference with the same content is a replay, with other content a CONFLICT.
 */
export async function recordFundEntryTx(tx: Tx, viewer: Viewer, input: FundEntryInput, key: string, now: Date = new Date()): Promise<{ result: FundEntryOutcome; replayed: boolean }> {
  requireCaller(viewer, "recordFundEntry");
  const insurer = viewer.org;
  requireIdempotencyKey(key);
  const p = new Problems();
  validateFundEntryInput(input, p);
  if (!p.empty) throw new InputError(p.list);
  const policyId = input.policy ? await ownPolicy(tx, insurer, input.policy) : null;

  const record = entryRecord(input);
  const hash = payloadHash("recordFundEntry", record);
  return once(tx, viewer, "recordFundEntry", key, record, async () => {
    const [row] = await tx
      .insert(fundEntries)
      .values({ insurerUscc: insurer, entryRef: input.entryRef, policyId, kind: input.kind, category: record.category, amount: input.amount, bookedAt: input.bookedAt, note: record.note, payloadHash: hash })
      .onConflictDoNothing({ target: [fundEntries.insurerUscc, fundEntries.entryRef] })
      .returning({ id: fundEntries.id });
    if (!row) {
      const [existing] = await tx
        .select({ id: fundEntries.id, hash: fundEntries.payloadHash })
        .from(fundEntries)
        .where(and(eq(fundEntries.insurerUscc, insurer), eq(fundEntries.entryRef, input.entryRef)));
      if (existing.hash === hash) return { entryId: existing.id, existing: true, policyId };
      throw conflict(`台账编号 ${input.entryRef} 已存在且内容不同 / ledger entry ${input.entryRef} exists with different content`);
    }
    if (policyId !== null) await evaluateSpendFindings(tx, policyId, insurer, now);
    return { entryId: row.id, existing: false, policyId };
  });
}

/** Re-evaluates the caller's spending on one policy (once its period has ended): a USE entry may cure it. */
async function evaluateSpendFindings(tx: Tx, policyId: number, insurer: string, now: Date) {
  // one row per insured enterprise (a park policy is judged under each member's regional floor)
  for (const f of await spendFacts(tx, now, { policyId, insurerUscc: insurer })) {
    await syncFindings(tx, { kind: SUBJECT.fund, key: fundSubjectKey(f.policyId, f.insurerUscc, f.enterpriseUscc) }, FUND_RULES, evaluateSpend(f, effectiveRules(f.regionCode), now));
  }
}

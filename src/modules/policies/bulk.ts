import { sql, type SQL } from "drizzle-orm";
import type { Viewer } from "../../auth/viewer.js";
import { isDatabaseUnavailable, type Db, type Tx } from "../../db/client.js";
import { forbidden } from "../../graphql/errors.js";
import { InputError, Problems, requireIdempotencyKey } from "../../graphql/validation.js";
import type { PolicyFacts } from "../../rules/findings.js";
import { idempotencyKeys } from "../../../schema/index.js";
import { canonicalHash, canonicalJson, keyReused } from "../idempotency/service.js";
import { insertFindingsSql } from "../compliance/service.js";
import { filePolicyTx, INITIAL_FILING, knownParties, numberTaken, policyValues, referenceProblems, validatePolicyInput, type KnownParties } from "./commands.js";
import { draftPolicyFindings, judgingFactsSql, parseJudgingFacts, type FactsScope, type JudgingFacts } from "./findings.js";
import type { PolicyInput } from "./inputs.js";
import { requireCaller } from "../access.js";

/**
 * filePolicies, set-based: a batch costs seven round trips (begin, registry, keys, stored numbers
 * and facts, policies, the rest, commit; one more when some keys were used before), however many
 * filings it holds. The one-by-one path took about nineteen statements per filing.
 *
 * The contract is the one-by-one filing (fileOneByOne: filePolicyTx for each item in order, each in
 * its own savepoint): every item gets exactly the answer and leaves exactly the rows it would have
 * left there, ids included. The batch path reaches it by validating every item in JS, reading what
 * the batch needs up front, replaying the one-by-one order in memory (an earlier item's key or
 * policy number is seen by the later ones), and writing the outcome in two statements.
 * test/modules/policies-bulk.test.ts holds the two paths to that on random colliding batches.
 *
 * Concurrency: the idempotency keys are claimed first, sorted, and the policy numbers inserted
 * sorted, so two batches (or a batch and single filings) wait on each other in one order and never
 * deadlock. A policy number another transaction filed while this one waited is re-read and the
 * batch replayed again; anything the database refuses that validation did not foresee rolls the
 * whole batch back and files it one by one instead, which answers it exactly.
 */
export interface FilingItem {
  idempotencyKey: string;
  input: PolicyInput;
}

export type ItemOutcome = { ok: true; policyId: number; replayed: boolean } | { ok: false; error: unknown };

export async function filePolicies(db: Db, viewer: Viewer, items: readonly FilingItem[], onFallback: (e: unknown) => void = reportFallback): Promise<ItemOutcome[]> {
  if (!items.length) return [];
  try {
    return await db.transaction((tx) => fileBatchTx(tx, viewer, items));
  } catch (e) {
    if (isDatabaseUnavailable(e)) throw e;
    onFallback(e);
    return db.transaction((tx) => fileOneByOne(tx, viewer, items));
  }
}

function reportFallback(e: unknown): void {
  console.error(`批量报送改为逐项处理 / filePolicies batch refiled item by item: ${(e as Error)?.message ?? e}`);
}

/** One transaction, one savepoint per item: a bad item rolls back only itself. */
export async function fileOneByOne(tx: Tx, viewer: Viewer, items: readonly FilingItem[]): Promise<ItemOutcome[]> {
  const out: ItemOutcome[] = [];
  for (const item of items) {
    try {
      const { result, replayed } = await tx.transaction((sp) => filePolicyTx(sp, viewer, item.input, item.idempotencyKey));
      out.push({ ok: true, policyId: result.policyId, replayed });
    } catch (error) {
      out.push({ ok: false, error });
    }
  }
  return out;
}

/** A policy the batch refers to: stored already (id), or the n-th one this batch files (slot). */
type Ref = { id: number } | { slot: number };
/** What an item comes to, decided before anything of the batch is written. */
type Step = { error: unknown } | { replay: Ref } | { same: Ref } | { slot: number };
interface KeyRow {
  hash: string;
  operation: string;
  policy: Ref;
}

const OPERATION = "filePolicy";
const json = (v: unknown) => JSON.stringify(v);
const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The batch path, in the caller's transaction; throws when only the one-by-one path can answer. */
export async function fileBatchTx(tx: Tx, viewer: Viewer, items: readonly FilingItem[]): Promise<ItemOutcome[]> {
  try {
    requireCaller(viewer, "filePolicy"); // each item is a filing: the gate of filePolicy (and its message), as on the one-by-one path
  } catch (error) {
    return items.map(() => ({ ok: false, error: error as Error }));
  }
  const lead = viewer.org;
  const steps = new Map<number, Step>();
  const { valid, known } = await validate(tx, lead, items, steps);
  if (!known) return items.map(() => ({ ok: false, error: forbidden("未登记的保险机构 / your organisation is not a registered insurer") }));
  // the canonical JSON of an input is its key's hash and, as jsonb, its version snapshot
  const canonical = new Map(valid.map((i) => [i, canonicalJson(items[i].input)]));
  const hashes = new Map(valid.map((i) => [i, canonicalHash(OPERATION, canonical.get(i)!)]));
  const { claimed, earlier } = await claimKeys(tx, lead, valid.map((i) => ({ key: items[i].idempotencyKey, hash: hashes.get(i)! })));

  // what the items with claimed keys may meet: their policy numbers as stored now, and the facts
  // the rules read about their enterprises (one statement)
  const open = valid.filter((i) => !earlier.has(items[i].idempotencyKey));
  const numbers = [...new Set(open.map((i) => items[i].input.policyNo))];
  const scope = open.length ? factsScopeOf(lead, open.map((i) => items[i].input)) : null;
  let read = await storedPolicies(tx, lead, numbers, scope);
  for (let attempt = 1; ; attempt++) {
    const { steps: decided, keyRows, fresh } = replay(items, valid, hashes, earlier, read.stored);
    const written = await insertPolicies(tx, lead, fresh.map((i) => ({ input: items[i].input, hash: hashes.get(i)! })));
    if (written.size === fresh.length) {
      const filed = fresh.map((i) => ({ ...written.get(items[i].input.policyNo)!, input: items[i].input, snapshot: canonical.get(i)! }));
      const ids = filed.map((f) => f.id);
      const findings = judgeNew(lead, known, read.facts, filed);
      await writeRest(tx, viewer, filed, settledKeys(claimed, keyRows, ids), findings);
      for (const [i, s] of decided) steps.set(i, s);
      return items.map((_, i) => outcome(steps.get(i), ids));
    }
    // Another transaction filed some of these numbers while the insert waited on them (ON CONFLICT
    // waits for it, then skips). Undo this attempt's rows; the re-read sees the committed ones.
    await tx.execute(sql`delete from policies where id in (select json_array_elements_text(${json([...written.values()].map((w) => w.id))}::json)::bigint)`);
    if (attempt === 3) throw new Error("policy numbers kept being filed concurrently");
    read = await storedPolicies(tx, lead, numbers, scope);
  }
}

/**
 * The checks of filePolicyTx for every item: structure in JS first (so that only well-formed
 * values reach SQL), then the registry in one statement. Records the rejected items in `steps` and
 * returns the valid ones with what the registry knows; `known` is null when the caller is not a
 * registered insurer (the one-by-one path checks that before anything else, so it decides every item).
 */
async function validate(tx: Tx, lead: string, items: readonly FilingItem[], steps: Map<number, Step>): Promise<{ valid: number[]; known: KnownParties | null }> {
  const formed: number[] = [];
  items.forEach(({ idempotencyKey, input }, i) => {
    try {
      requireIdempotencyKey(idempotencyKey);
    } catch (error) {
      return steps.set(i, { error });
    }
    const p = new Problems();
    validatePolicyInput(input, p);
    if (!p.empty) return steps.set(i, { error: new InputError(p.list) });
    formed.push(i);
  });
  const known = await knownParties(tx, formed.map((i) => items[i].input), [lead]);
  if (!known.insurers.has(lead)) return { valid: [], known: null };
  const valid = formed.filter((i) => {
    const p = new Problems();
    referenceProblems(items[i].input, lead, known, p);
    if (!p.empty) steps.set(i, { error: new InputError(p.list) });
    return p.empty;
  });
  return { valid, known };
}

/**
 * Claims the batch's keys in one insert, sorted (a fixed lock order): a key a running transaction
 * holds is waited for. Returns the keys claimed and, for the others, their stored rows.
 */
async function claimKeys(tx: Tx, lead: string, uses: { key: string; hash: string }[]): Promise<{ claimed: string[]; earlier: Map<string, KeyRow> }> {
  const firstHash = new Map<string, string>();
  for (const u of uses) if (!firstHash.has(u.key)) firstHash.set(u.key, u.hash);
  const keys = [...firstHash.keys()].sort(byCodeUnits);
  if (!keys.length) return { claimed: [], earlier: new Map() };
  const inserted = await tx.execute(sql`insert into idempotency_keys (org, key, operation, payload_hash, result)
    select ${lead}::text, k->>'key', ${OPERATION}::text, k->>'hash', '{}'::jsonb from json_array_elements(${json(keys.map((key) => ({ key, hash: firstHash.get(key) })))}::json) as k
    on conflict do nothing returning key`);
  const claimed = new Set(rowsOf<{ key: string }>(inserted).map((r) => r.key));
  const taken = keys.filter((k) => !claimed.has(k));
  const earlier = new Map<string, KeyRow>();
  if (taken.length) {
    const rows = await tx
      .select({ key: idempotencyKeys.key, operation: idempotencyKeys.operation, hash: idempotencyKeys.payloadHash, result: idempotencyKeys.result })
      .from(idempotencyKeys)
      .where(sql`${idempotencyKeys.org} = ${lead} and ${idempotencyKeys.key} in (select json_array_elements_text(${json(taken)}::json))`);
    for (const r of rows) earlier.set(r.key, { hash: r.hash, operation: r.operation, policy: { id: (r.result as { policyId: number }).policyId } });
    // a key that blocked us and then vanished: the one-by-one path re-reads it item by item
    if (rows.length !== taken.length) throw new Error("an idempotency key was released while this batch waited for it");
  }
  return { claimed: keys.filter((k) => claimed.has(k)), earlier };
}

function outcome(step: Step | undefined, ids: number[]): ItemOutcome {
  if (!step) throw new Error("filePolicies: an item was left undecided");
  const id = (r: Ref) => ("id" in r ? r.id : ids[r.slot]);
  if ("error" in step) return { ok: false, error: step.error };
  if ("replay" in step) return { ok: true, policyId: id(step.replay), replayed: true };
  if ("same" in step) return { ok: true, policyId: id(step.same), replayed: false };
  return { ok: true, policyId: ids[step.slot], replayed: false };
}

type Stored = Map<string, { id: number; hash: string | null }>;

/** The facts the findings of these inputs (filed by `lead`) may need. */
function factsScopeOf(lead: string, inputs: PolicyInput[]): FactsScope {
  return {
    usccs: [...new Set(inputs.flatMap((i) => i.insuredEnterprises.map((e) => e.uscc)))],
    insurerUsccs: [lead],
    from: new Date(Math.min(...inputs.map((i) => i.startAt.getTime()))),
    to: new Date(Math.max(...inputs.map((i) => i.endAt.getTime()))),
  };
}

/** The lead's policies with these numbers, and (with a scope) the judging facts, in one statement. */
async function storedPolicies(tx: Tx, lead: string, numbers: string[], scope: FactsScope | null): Promise<{ stored: Stored; facts: JudgingFacts | null }> {
  if (!scope) return { stored: new Map(), facts: null };
  const res = await tx.execute(sql`select
    (select coalesce(json_agg(json_build_object('id', id, 'policyNo', policy_no, 'hash', payload_hash)), '[]') from policies
      where insurer_uscc = ${lead}::text and policy_no in (select json_array_elements_text(${json(numbers)}::json))) as stored,
    f.others, f.quals, f.accs, f.majors
    from (${judgingFactsSql(scope)}) f`);
  const [row] = rowsOf<Record<string, unknown>>(res);
  const stored = row.stored as { id: number; policyNo: string; hash: string | null }[];
  return { stored: new Map(stored.map((r) => [r.policyNo, { id: r.id, hash: r.hash }])), facts: parseJudgingFacts(row) };
}

/**
 * The one-by-one filing of the valid items, in memory: each item sees the keys and policy numbers
 * of the items before it. `fresh` lists the items that file a new policy, in order (their slots).
 */
function replay(items: readonly FilingItem[], valid: number[], hashes: Map<number, string>, earlier: Map<string, KeyRow>, existing: Stored) {
  const keyRows = new Map(earlier);
  const numbers = new Map<string, { policy: Ref; hash: string | null }>([...existing].map(([no, p]) => [no, { policy: { id: p.id }, hash: p.hash }]));
  const steps = new Map<number, Step>();
  const fresh: number[] = [];
  for (const i of valid) {
    const { idempotencyKey: key, input } = items[i];
    const hash = hashes.get(i)!;
    const prior = keyRows.get(key);
    if (prior) {
      steps.set(i, prior.hash === hash && prior.operation === OPERATION ? { replay: prior.policy } : { error: keyReused(key) });
      continue;
    }
    const filed = numbers.get(input.policyNo);
    if (filed) {
      // the same filing under a new key is the same policy; other content is a CONFLICT (and, as the
      // savepoint would, leaves the key unclaimed)
      if (filed.hash !== hash) steps.set(i, { error: numberTaken(input.policyNo) });
      else {
        steps.set(i, { same: filed.policy });
        keyRows.set(key, { hash, operation: OPERATION, policy: filed.policy });
      }
      continue;
    }
    const slot = fresh.push(i) - 1;
    steps.set(i, { slot });
    numbers.set(input.policyNo, { policy: { slot }, hash });
    keyRows.set(key, { hash, operation: OPERATION, policy: { slot } });
  }
  return { steps, keyRows, fresh };
}

/** What the findings need of a stored policy, in the database's own notation ("500000.00"). */
interface StoredFigures {
  rateFloat: string;
  commissionRatio: string;
  preventionFundRatio: string;
  deathLimitPerPerson: string;
}

interface Written extends StoredFigures {
  id: number;
}

/**
 * One insert for all new policies. Their ids are drawn from the table's sequence in item order
 * (as one-by-one inserts would draw them), and the rows go in sorted by policy number (a fixed lock
 * order). Returns the rows written by policy number: a number another transaction holds is
 * waited for and, once that commits, skipped.
 * Here and below, rows travel as one json parameter, read with json_array_elements and ->>: a
 * few times faster than jsonb or json_to_recordset on a 500-row batch. They go in in array order
 * (a function scan keeps it).
 */
async function insertPolicies(tx: Tx, lead: string, rows: { input: PolicyInput; hash: string }[]): Promise<Map<string, Written>> {
  if (!rows.length) return new Map();
  const values = rows.map((r) => policyValues(r.input, lead, r.hash));
  // nextval in a subquery (never flattened, being volatile) runs in array order, before the sort
  const res = await tx.execute(sql`insert into policies (id, insurer_uscc, policy_no, broker_uscc, start_at, end_at, premium, base_rate, rate_float, commission_ratio,
      prevention_fund_ratio, insured_headcount, death_limit_per_person, medical_limit_per_person, third_party_limit, coverage_items, is_group_policy, payload_hash)
    overriding system value
    select n.id, r->>'insurerUscc', r->>'policyNo', r->>'brokerUscc', (r->>'startAt')::timestamptz, (r->>'endAt')::timestamptz,
      (r->>'premium')::numeric, (r->>'baseRate')::numeric, (r->>'rateFloat')::numeric, (r->>'commissionRatio')::numeric, (r->>'preventionFundRatio')::numeric,
      (r->>'insuredHeadcount')::int, (r->>'deathLimitPerPerson')::numeric, (r->>'medicalLimitPerPerson')::numeric, (r->>'thirdPartyLimit')::numeric,
      array(select json_array_elements_text(r->'coverageItems')), (r->>'isGroupPolicy')::boolean, r->>'payloadHash'
    from (select r, nextval(pg_get_serial_sequence('policies', 'id')) as id from json_array_elements(${json(values)}::json) as r) n
    order by n.r->>'policyNo' collate "C"
    on conflict (insurer_uscc, policy_no) do nothing
    returning id::text, policy_no, rate_float::text, commission_ratio::text, prevention_fund_ratio::text, death_limit_per_person::text`);
  const out = new Map<string, Written>();
  for (const r of rowsOf<Record<string, string>>(res)) {
    out.set(r.policy_no, { id: Number(r.id), rateFloat: r.rate_float, commissionRatio: r.commission_ratio, preventionFundRatio: r.prevention_fund_ratio, deathLimitPerPerson: r.death_limit_per_person });
  }
  return out;
}

/**
 * Everything else a batch writes, in one statement (each data-modifying CTE runs once, and the
 * foreign keys see the policies just inserted): what writeChildren and the version row hold for
 * each new policy, the keys' final rows, and the new policies' findings.
 */
async function writeRest(tx: Tx, viewer: Viewer, rows: { id: number; input: PolicyInput; snapshot: string }[], keys: SettledKeys, findings: SQL | null): Promise<void> {
  if (!rows.length && !keys.kept.length && !keys.dropped.length) return;
  const lead = viewer.org!;
  const members = rows.flatMap(({ id, input }) => input.insuredEnterprises.map((e) => ({ id, uscc: e.uscc, headcount: e.insuredHeadcount })));
  const shares = rows.flatMap(({ id, input }) =>
    (input.coinsurers?.length ? input.coinsurers : [{ insurerUscc: lead, share: "1" }]).map((c) => ({ id, uscc: c.insurerUscc, share: c.share, lead: c.insurerUscc === lead })),
  );
  const plans = rows.flatMap(({ id, input }) => (input.servicePlan ?? []).map((s) => ({ id, kind: s.kind, frequency: s.yearlyFrequency })));
  const orgs = rows.flatMap(({ id, input }) => (input.serviceOrgUsccs ?? []).map((uscc) => ({ id, uscc })));
  // the snapshot is the input as filePolicyTx stores it: the canonical JSON differs only in key order, which jsonb drops
  const versions = `[${rows.map(({ id, snapshot }) => `{"id":${id},"snapshot":${snapshot}}`).join(",")}]`;
  await tx.execute(sql`with
    members as (insert into policy_enterprises (policy_id, enterprise_uscc, insured_headcount)
      select (r->>'id')::bigint, r->>'uscc', (r->>'headcount')::int from json_array_elements(${json(members)}::json) as r),
    shares as (insert into policy_coinsurers (policy_id, insurer_uscc, share, is_lead)
      select (r->>'id')::bigint, r->>'uscc', (r->>'share')::numeric, (r->>'lead')::boolean from json_array_elements(${json(shares)}::json) as r),
    plans as (insert into policy_service_plans (policy_id, kind, yearly_frequency)
      select (r->>'id')::bigint, r->>'kind', (r->>'frequency')::int from json_array_elements(${json(plans)}::json) as r),
    orgs as (insert into policy_service_orgs (policy_id, service_org_uscc)
      select (r->>'id')::bigint, r->>'uscc' from json_array_elements(${json(orgs)}::json) as r),
    kept as (update idempotency_keys k set payload_hash = r->>'hash', result = (r->'result')::jsonb
      from json_array_elements(${json(keys.kept)}::json) as r where k.org = ${lead}::text and k.key = r->>'key'),
    dropped as (delete from idempotency_keys where org = ${lead}::text and key in (select json_array_elements_text(${json(keys.dropped)}::json))),
    findings as (${findings ?? sql`select 1`})
    insert into policy_versions (policy_id, version, reason, snapshot, created_by)
      select (r->>'id')::bigint, 1, ${INITIAL_FILING}::text, (r->'snapshot')::jsonb, ${viewer.sub}::text from json_array_elements(${versions}::json) as r`);
}

/**
 * The findings of the new policies, as a one-by-one filing leaves them: each policy is judged
 * against the policies stored before the batch and those filed before it in the batch, not after.
 * Their ids come from the sequence in this transaction, so no finding names them yet: the insert
 * is all syncFindingsOf would do.
 */
function judgeNew(lead: string, known: KnownParties, facts: JudgingFacts | null, rows: ({ id: number; input: PolicyInput } & StoredFigures)[]): SQL | null {
  if (!rows.length || !facts) return null;
  const slotOf = new Map(rows.map((r, slot) => [r.id, slot]));
  const list = rows.map(({ id, input, ...stored }) => ({
    pol: { id, insurerUscc: lead, startAt: input.startAt, endAt: input.endAt, cancelledAt: null, rateFloat: stored.rateFloat, commissionRatio: stored.commissionRatio, preventionFundRatio: stored.preventionFundRatio, deathLimitPerPerson: stored.deathLimitPerPerson } satisfies PolicyFacts,
    members: [...input.insuredEnterprises].sort((a, b) => byCodeUnits(a.uscc, b.uscc)).map((m) => ({ e: known.enterpriseFacts.get(m.uscc)!, headcount: m.insuredHeadcount })),
  }));
  // the batch's own policies join the others, in id order like the stored ones
  const mine = rows.flatMap((r) => r.input.insuredEnterprises.map((m) => ({ uscc: m.uscc, id: r.id, startAt: r.input.startAt, endAt: r.input.endAt, limit: r.deathLimitPerPerson })));
  const others = [...facts.others, ...mine].sort((a, b) => a.id - b.id);
  const records = draftPolicyFindings(list, { ...facts, others }, (pol, otherId) => !slotOf.has(otherId) || slotOf.get(otherId)! < slotOf.get(pol.id)!);
  return insertFindingsSql("POLICY", records);
}

interface SettledKeys {
  kept: { key: string; hash: string; result: { policyId: number } }[];
  dropped: string[];
}

/** The claimed keys end as the one-by-one path leaves them: the result of the item that used them, or gone. */
function settledKeys(claimed: string[], keyRows: Map<string, KeyRow>, ids: number[]): SettledKeys {
  return {
    kept: claimed.filter((k) => keyRows.has(k)).map((key) => {
      const { hash, policy } = keyRows.get(key)!;
      return { key, hash, result: { policyId: "id" in policy ? policy.id : ids[policy.slot] } };
    }),
    dropped: claimed.filter((k) => !keyRows.has(k)),
  };
}

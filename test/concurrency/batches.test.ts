/**
 * filePolicies' batch path under concurrency, on real PostgreSQL (two pools = two hub processes'
 * worth of connections):
 * - a batch that meets a policy number another transaction is filing waits for it, re-reads it
 *   once it commits and answers that item as a one-by-one filing would (same content: that policy;
 *   other content: CONFLICT), without falling back;
 * - batches sending the same keys, or the same policy numbers under other keys, in opposite
 *   orders at the same time neither deadlock nor file anything twice.
 */
import { sql } from "drizzle-orm";
import { GraphQLError } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "../../src/auth/viewer.js";
import { openDatabase, type Database } from "../../src/db/client.js";
import { filePolicies, type FilingItem, type ItemOutcome } from "../../src/modules/policies/bulk.js";
import { filePolicyTx } from "../../src/modules/policies/commands.js";
import { ENTERPRISES, integrity, loadRegistry, scratchDatabase, SKIP_REASON, sleep, TEST_DATABASE_URL } from "../faults/hub.js";
import { F, goodPolicy } from "../support/fixture.js";

const viewer: Viewer = { sub: "race", role: "INSURER", org: F.insurerA, purpose: null, jurisdiction: null };
const filing = (no: string, i: number, premium = "12000.00") =>
  ({ ...goodPolicy(no, ENTERPRISES[i % ENTERPRISES.length], 50), premium, startAt: new Date("2026-01-01T00:00:00+08:00"), endAt: new Date("2027-01-01T00:00:00+08:00") }) as unknown as FilingItem["input"];

let scratch: { url: string; drop: () => Promise<void> } | undefined;
let a: Database;
let b: Database;
const fellBack: unknown[] = [];
const file = (d: Database, items: FilingItem[]) => filePolicies(d.db, viewer, items, (e) => fellBack.push(e));

beforeAll(async () => {
  if (!TEST_DATABASE_URL) return;
  scratch = await scratchDatabase(TEST_DATABASE_URL);
  a = await openDatabase({ url: scratch.url, poolSize: 4 });
  b = await openDatabase({ url: scratch.url, poolSize: 4 });
  await a.migrate();
  await loadRegistry(a.db);
}, 120_000);

afterAll(async () => {
  await a?.close().catch(() => undefined);
  await b?.close().catch(() => undefined);
  await scratch?.drop();
});

/** Files `input` under `key` in a transaction that stays open until `release` resolves. */
function holdFiling(d: Database, key: string, input: FilingItem["input"], release: Promise<void>) {
  let filedId!: (id: number) => void;
  const filed = new Promise<number>((r) => (filedId = r));
  const done = d.db.transaction(async (tx) => {
    const { result } = await filePolicyTx(tx, viewer, input, key);
    filedId(result.policyId);
    await release;
  });
  return { filed, done };
}

const code = (o: ItemOutcome) => (o.ok ? null : (o.error as GraphQLError).extensions?.code);

describe.skipIf(!TEST_DATABASE_URL)(`batches racing — ${TEST_DATABASE_URL ? "PostgreSQL" : SKIP_REASON}`, () => {
  it("a policy number filed by another transaction while the batch waits: the same policy, or CONFLICT", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const heldSame = holdFiling(a, "held-1", filing("R-1", 1), released);
    const heldOther = holdFiling(a, "held-2", filing("R-2", 2), released);
    const [sameId] = await Promise.all([heldSame.filed, heldOther.filed]);
    const batch = file(b, [
      { idempotencyKey: "race-0", input: filing("R-0", 0) },
      { idempotencyKey: "race-1", input: filing("R-1", 1) },
      { idempotencyKey: "race-2", input: filing("R-2", 2, "1.00") },
      { idempotencyKey: "race-3", input: filing("R-3", 3) },
    ]);
    await sleep(300); // the batch now waits on
    release();
    await Promise.all([heldSame.done, heldOther.done]);
    const out = await batch;
    expect(fellBack).toEqual([]);
    expect(out.map(code)).toEqual([null, null, "CONFLICT", null]);
    expect(out[1]).toEqual({ ok: true, policyId: sameId, replayed: false });
    const keys = ((await a.db.execute(sql`select key, result->>'policyId' id from idempotency_keys where key like 'race-%' order by key`)) as unknown as { rows: { key: string; id: string }[] }).rows;
    expect(keys.map((k) => k.key)).toEqual(["race-0", "race-1", "race-3"]);
    expect(Number(keys[1].id)).toBe(sameId);
  });

  it("batches of the same keys, and of the same numbers under other keys, in opposite orders at once: no deadlock, one policy each", async () => {
    const N = 100;
    const ROUNDS = 4;
    const items = (prefix: string, round: number) =>
      Array.from({ length: N }, (_, i) => ({ idempotencyKey: `${prefix}-${round}-${String(i).padStart(3, "0")}`, input: filing(`OPP-${round}-${i}`, i) }));
    for (let round = 0; round < ROUNDS; round++) {
      const forward = items("opp", round);
      const rekeyed = items("alt", round);
      // a single filing of the middle item holds its key and number until every batch has queued
      // up behind it, so that the four batches really take their locks at the same time
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      const held = holdFiling(a, forward[N / 2].idempotencyKey, forward[N / 2].input, released);
      await held.filed;
      const sent = [forward, [...forward].reverse(), [...rekeyed].reverse(), items("alt2", round)];
      const running = Promise.all(sent.map((batch, k) => file(k % 2 ? b : a, batch)));
      await sleep(300);
      release();
      await held.done;
      const outs = await running;
      for (const out of outs) expect(out.filter((o) => !o.ok).map((o) => String((o as { error: unknown }).error))).toEqual([]);
      // every number names one policy, whoever sent it under whichever key
      const ids = new Map<string, Set<number>>();
      outs.forEach((out, k) => out.forEach((o, i) => {
        const no = sent[k][i].input.policyNo;
        ids.set(no, (ids.get(no) ?? new Set()).add((o as { policyId: number }).policyId));
      }));
      expect([...ids.values()].filter((s) => s.size !== 1)).toEqual([]);
      // each key files (or finds) its number once: an opp key's twin in the other order replays it
      // (the held one was first in its own transaction); alt and alt2 keys are each used once
      const firsts = outs.flatMap((out) => out.filter((o) => o.ok && !o.replayed)).length;
      expect(firsts).toBe(3 * N - 1);
    }
    expect(fellBack).toEqual([]);
    const check = await integrity(a.db, "OPP-");
    expect(check).toMatchObject({ policies: N * ROUNDS, distinctPolicyNos: N * ROUNDS, incomplete: [], orphans: 0, keysWithoutPolicy: [] });

    await a.close();
    await b.close();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await sleep(500);
      const { rows } = await admin.query(`select deadlocks::int from pg_stat_database where datname = $1`, [new URL(scratch!.url).pathname.slice(1)]);
      expect(rows[0].deadlocks).toBe(0);
    } finally {
      await admin.end();
    }
  }, 120_000);
});

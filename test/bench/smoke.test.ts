import { describe, expect, it } from "vitest";
import { benchOptions } from "../../scripts/bench/run.js";
import { runBench } from "../../scripts/bench/suite.js";

/**
 * The benchmark's smoke mode (scripts/bench/, `npm run bench -- --smoke`) on a real PostgreSQL:
 * a tiny data set, 1-second runs, every server in this process. No timing is asserted (2 shared
 * cores): only that every measurement produced numbers and that the hub's nested read returns the
 * same answer as the SQL floor.
 */
const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)("benchmark smoke run", () => {
  it("measures every server and the hub answers like the SQL floor", { timeout: 300_000 }, async () => {
    const opts = benchOptions(["--smoke", "--in-process", "--database-url", base!, "--database", `anze_bench_smoke_${process.pid}`], () => {});
    const res = await runBench({ ...opts, dropAfter: true });

    const finite = (x: unknown) => typeof x === "number" && Number.isFinite(x);
    for (const kind of ["floor", "postgraphile", "hub", "hub-no-rules"] as const) {
      const n = res.nested[kind]!;
      expect(n.runs.map((r) => r.connections)).toEqual([1, 32]);
      for (const r of n.runs) {
        expect(r.requests, `${kind} c=${r.connections}`).toBeGreaterThan(0);
        for (const x of [r.rps, r.p50, r.p99]) expect(finite(x)).toBe(true);
        expect(r.errors + r.non2xx).toBe(0);
      }
      expect(finite(n.roundTripsPerRequest)).toBe(true);
      expect(n.peakMb.every(finite)).toBe(true);
    }
    expect(finite(res.nested.hub!.statementsPerRequest)).toBe(true);
    expect(res.nested.hub!.counts!.enterprises).toBe(50);
    expect(res.nested.hub!.sameAsFloor).toBe(true);
    expect(res.nested["hub-no-rules"]!.sameAsFloor).toBe(true);

    expect(res.reports).toHaveLength(2);
    for (const rep of res.reports) {
      for (const r of [...rep.hub, ...rep.floor]) expect(r.requests).toBeGreaterThan(0);
      expect(rep.hub).toHaveLength(1);
      expect(rep.floor).toHaveLength(1);
    }

    expect(res.ingest).toHaveLength(1);
    expect(res.ingest[0].accepted).toBe(res.ingest[0].policies);
    expect(finite(res.ingest[0].perSecond)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { benchOptions } from "../../scripts/bench/run.js";
import { renderMarkdown } from "../../scripts/bench/report.js";
import { ROLE_KEYS, SHAPE_IDS } from "../../scripts/bench/shapes.js";
import { runBench } from "../../scripts/bench/suite.js";

/**
 * The benchmark's smoke mode (scripts/bench/, `npm run bench -- --smoke`) on a real PostgreSQL:
 * a tiny data set, every shape once per role through the floor, PostGraphile and the hub, two
 * requests per connection, every server in this process. No timing is asserted (2 shared cores):
 * only that every measurement produced numbers and that every answer equals the floor's.
 */
const base = process.env.TEST_DATABASE_URL;

describe.skipIf(!base)("benchmark smoke run", () => {
  it("runs every shape as every role through each server, with the same answers as the floor", { timeout: 600_000 }, async () => {
    const opts = benchOptions(["--smoke", "--in-process", "--database-url", base!, "--database", `anze_bench_smoke_${process.pid}`], () => {});
    const res = await runBench({ ...opts, dropAfter: true });

    const finite = (x: unknown) => typeof x === "number" && Number.isFinite(x);
    expect(res.shapes).toHaveLength(SHAPE_IDS.length * ROLE_KEYS.length * 3);
    for (const r of res.shapes) {
      const tag = `${r.shape}/${r.role}/${r.server}`;
      const conns = r.runs.map((x) => x.connections);
      expect(conns, tag).toEqual(r.shape === "b" ? [1, 8, 32] : [1, 32]);
      for (const x of r.runs) {
        expect(x.requests, tag).toBeGreaterThan(0);
        for (const v of [x.rps, x.p50, x.p99]) expect(finite(v), tag).toBe(true);
        expect(x.errors + x.non2xx, tag).toBe(0);
      }
      expect(finite(r.roundTripsPerRequest), tag).toBe(true);
      if (r.server === "hub") expect(finite(r.statementsPerRequest), tag).toBe(true);
      // the list at the top of every answer has rows (g: the enterprise's policies)
      expect(Object.values(r.counts ?? {}).some((n) => n > 0), tag).toBe(true);
      if (r.server !== "floor") expect(r.sameAsFloor, `${tag}: ${r.difference}`).toBe(true);
      // only refused fields may answer errors: the department's premium, the insurer's contactName
      expect(r.errorCodes, tag).toEqual(r.server === "hub" && r.shape === "b" && r.role !== "committee" ? ["FORBIDDEN"] : []);
    }
    for (const k of ["floor", "postgraphile", "hub"] as const) expect(res.memory[k]!.peakMb.every(finite)).toBe(true);

    expect(res.reports).toHaveLength(2);
    for (const rep of res.reports) {
      for (const r of [...rep.hub, ...rep.floor]) expect(r.requests).toBeGreaterThan(0);
      expect(rep.hub).toHaveLength(1);
      expect(rep.floor).toHaveLength(1);
    }
    expect(res.ingest).toHaveLength(1);
    expect(res.ingest[0].accepted).toBe(res.ingest[0].policies);

    const md = renderMarkdown(res, "", "npm run bench -- --smoke");
    for (const id of SHAPE_IDS) expect(md).toContain(`### (${id})`);
    expect(md).toContain("| goal | measured | |");
  });
});

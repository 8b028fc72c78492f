import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { complianceFindings, policies } from "../../../schema/index.js";
import { evaluatePolicyFindings } from "../policies/commands.js";
import { sweepFundFindings, sweepHazardFindings, sweepServiceFindings } from "../prevention/sweeps.js";
import { sweepLapses } from "./sweeps.js";

/**
 * The time-driven rules (lapses, overdue major hazards, services behind plan, spending below the
 * floor) change with the calendar, not with a write: the hub sweeps them at start-up and hourly.
 */
export async function runSweeps(db: Db, asOf: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await sweepLapses(tx, asOf);
    await sweepHazardFindings(tx, asOf);
    await sweepServiceFindings(tx, asOf);
    await sweepFundFindings(tx, asOf);
  });
}

/**
 * Re-evaluates every stored record's findings: after a bulk load (the demo seed, a migration that
 * adds a rule). Policies go in batches of 500, one transaction each, so a large database never
 * holds one huge transaction. Returns the number of open findings.
 */
export async function recomputeFindings(db: Db, asOf: Date): Promise<number> {
  const ids = (await db.select({ id: policies.id }).from(policies).orderBy(asc(policies.id))).map((r) => r.id);
  for (let i = 0; i < ids.length; i += 500) await db.transaction((tx) => evaluatePolicyFindings(tx, ids.slice(i, i + 500)));
  await runSweeps(db, asOf);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(complianceFindings).where(eq(complianceFindings.status, "OPEN"));
  return n;
}

import { sql, type SQL } from "drizzle-orm";
import { expect } from "vitest";
import type { Database, Db } from "../../src/db/client.js";
import { serviceOrgs } from "../../schema/index.js";
import { F, goodPolicy, uscc } from "./fixture.js";
import { asRole, ok } from "./graphql.js";

/** Extra registry rows for the prevention and fund tests: a service org no policy names. */
export const P = {
  otherServiceOrg: uscc("500112", 901),
};

export async function loadPreventionFixture(db: Db): Promise<void> {
  await db.insert(serviceOrgs).values([{ uscc: P.otherServiceOrg, name: "重庆另一安全技术服务有限公司" }]);
}

/** A compliant filing whose period lies wholly in the past (2025), so "now" never changes what is due. */
export function pastPolicy(policyNo: string, enterprise = F.chemicals, headcount = 100) {
  return { ...goodPolicy(policyNo, enterprise, headcount), startAt: "2025-01-01T00:00:00+08:00", endAt: "2026-01-01T00:00:00+08:00" };
}

const FILE = `mutation($input: PolicyInput!, $key: String!) { filePolicy(input: $input, idempotencyKey: $key) { policy { id } } }`;
const CANCEL = `mutation($no: String!, $at: DateTime!, $key: String!) { cancelPolicy(policyNo: $no, cancelledAt: $at, reason: "投保人申请退保", idempotencyKey: $key) { policy { id } } }`;

/** Files a policy through the API as its lead insurer; returns its id. */
export async function filePolicyAs(run: ReturnType<typeof asRole>, lead: string, input: Record<string, unknown>): Promise<number> {
  const d = ok(await run("INSURER", lead, FILE, { input, key: `file-${input.policyNo}` }));
  return Number(d.filePolicy.policy.id);
}

export async function cancelPolicyAs(run: ReturnType<typeof asRole>, lead: string, policyNo: string, at: string): Promise<void> {
  ok(await run("INSURER", lead, CANCEL, { no: policyNo, at, key: `cancel-${policyNo}` }));
}

/** Rows of a query, the same shape on PGlite and node-postgres. */
export async function query<T = any>(db: Db, q: SQL): Promise<T[]> {
  return ((await db.execute(q)) as any).rows as T[];
}

export async function countRows(db: Db, table: string): Promise<number> {
  return Number((await query<{ n: string }>(db, sql.raw(`select count(*) n from ${table}`)))[0].n);
}

/** Counts of every table a prevention or fund push writes: a rejected push must leave all unchanged. */
export async function writeCounts(db: Db) {
  const tables = ["prevention_services", "hazards", "fund_entries", "idempotency_keys", "compliance_findings"];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await countRows(db, t);
  return counts;
}

/** Runs a push expected to fail with `code` (and for BAD_USER_INPUT the field and rule), proving nothing was written. */
export function rejecter(database: Database, run: ReturnType<typeof asRole>) {
  return async (
    who: [Parameters<ReturnType<typeof asRole>>[0], string | null],
    doc: string,
    variables: Record<string, unknown>,
    expected: { code: string; field?: string; rule?: string },
  ) => {
    const before = await writeCounts(database.db);
    const r = await run(who[0], who[1], doc, variables);
    expect(r.errors?.[0]?.extensions, JSON.stringify(r.errors ?? r.data)).toMatchObject(expected);
    expect(await writeCounts(database.db)).toEqual(before);
    return r;
  };
}

/** Open findings of a rule, as rows. */
export function openFindings(db: Db, ruleCode: string) {
  return query<{ subject_key: string; enterprise_uscc: string; insurer_uscc: string; policy_id: string; source: string; message: string; severity: string }>(
    db,
    sql`select subject_key, enterprise_uscc, insurer_uscc, policy_id, source, message, severity from compliance_findings
        where rule_code = ${ruleCode} and status = 'OPEN' order by subject_key`,
  );
}

/**
 * database.close(), but on PostgreSQL it first waits until every pooled connection has really closed:
 * pg-pool's end() resolves before its clients' sockets finish, and the forced drop of the test
 * database would otherwise kill them mid-close ("terminating connection due to administrator command").
 */
export async function closeDatabase(database: Database | undefined): Promise<void> {
  if (!database) return;
  const pool = (database.db as any).$client;
  if (database.kind === "postgres" && pool && typeof pool.end === "function" && typeof pool.totalCount === "number") {
    const n: number = pool.totalCount;
    let removed = 0;
    const allClosed = new Promise<void>((resolve) => {
      if (n === 0) resolve();
      pool.on("remove", () => {
        if (++removed >= n) resolve();
      });
    });
    const end = pool.end.bind(pool);
    pool.end = async () => {
      await end();
      await allClosed;
    };
  }
  await database.close();
}

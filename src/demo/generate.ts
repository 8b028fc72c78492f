/**
 * The demo data set: the five seed regions, their agencies, the 12 insurers of seed 001, and about
 * 2,000 × scale enterprises with two policy years of policies, accidents, claims, prevention
 * services, hazards and fund entries covering every case the hub handles (the non-compliant ones
 * included). The same seed and scale give byte-identical rows: a seeded PRNG, fixed instants
 * (created_at included) and explicit ids.
 */
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import * as s from "../../schema/index.js";
import type { Db, Tx } from "../db/client.js";
import { makeAccidents, makeClaims } from "./claims.js";
import { EnterpriseFactory } from "./enterprises.js";
import { rate6, ratio4, yuan } from "./money.js";
import { PolicyFactory, premiumFen, snapshot, type Pol } from "./policies.js";
import { PreventionFactory, showcaseHazards } from "./prevention.js";
import { Rng } from "./random.js";
import { AGENCIES, BROKER, INSURERS, QUALIFICATIONS, REGIONS, SERVICE_ORGS } from "./registry.js";
import { cst } from "./time.js";
import { Counter } from "./types.js";

export const DEFAULT_SEED = 2025;

/** Rows written per table, by SQL table name. */
export type SeedSummary = Record<string, number>;

export interface DemoTable { table: PgTable; rows: object[]; identity: boolean }

/** No regions yet: the database has never been seeded (nor loaded with real data). */
export async function isEmpty(db: Db): Promise<boolean> {
  return (await db.select({ code: s.regions.code }).from(s.regions).limit(1)).length === 0;
}

/** The whole data set in memory, in insertion order (parents first). Pure: no database, no clock. */
export function buildDemo(opts: { scale?: number; seed?: number } = {}): DemoTable[] {
  const scale = opts.scale ?? 1;
  if (!(scale > 0)) throw new RangeError(`scale must be positive, got ${scale}`);
  const rng = new Rng(opts.seed ?? DEFAULT_SEED);
  const counter = new Counter();

  const ef = new EnterpriseFactory(rng.fork("enterprises"));
  const showcase = ef.showcase();
  const park = ef.parkMembers();
  const ordinary = Array.from({ length: Math.round(2000 * scale) }, () => ef.random());
  const ents = [showcase, ...park, ...ordinary];

  const pf = new PolicyFactory(rng.fork("policies"), counter);
  pf.showcase(showcase);
  pf.park(park);
  for (const e of ordinary) pf.history(e);
  const accidents = makeAccidents(rng.fork("accidents"), pf, ents, scale, counter);
  pf.amend();
  const claims = makeClaims(rng.fork("claims"), pf, accidents, scale, counter, showcase);
  const prevention = new PreventionFactory(rng.fork("prevention"), counter);
  for (const p of pf.policies) prevention.policy(p);
  showcaseHazards(prevention, pf.policies.filter((p) => p.members[0].ent === showcase)[1], showcase);

  const registeredAt = new Date(cst(2024, 11, 1, 9));
  const pols = pf.policies;
  const plain = (table: PgTable, rows: object[]): DemoTable => ({ table, rows, identity: false });
  const withIds = (table: PgTable, rows: object[]): DemoTable => ({ table, rows, identity: true });
  return [
    plain(s.regions, REGIONS.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent, level: r.level }))),
    plain(s.agencies, AGENCIES.map((a) => ({ id: `${a.region}-${a.kind}`, regionCode: a.region, kind: a.kind, name: a.name, createdAt: registeredAt }))),
    plain(s.agencySectors, AGENCIES.flatMap((a) => a.sectors.map((sector) => ({ agencyId: `${a.region}-${a.kind}`, sector })))),
    plain(s.insurers, INSURERS.map((i) => ({ uscc: i.uscc, name: i.name, shortName: i.shortName, createdAt: registeredAt }))),
    plain(s.brokers, [{ ...BROKER, createdAt: registeredAt }]),
    plain(s.serviceOrgs, SERVICE_ORGS.map((o) => ({ uscc: o.uscc, name: o.name, createdAt: registeredAt }))),
    plain(s.qualifications, QUALIFICATIONS.map((q) => ({ orgUscc: q.orgUscc, orgKind: q.orgKind, regionCode: q.region, status: q.status, since: q.since }))),
    plain(s.enterprises, ents.map((e) => e.row)),
    withIds(s.policies, pols.map(policyRow)),
    plain(s.policyEnterprises, pols.flatMap((p) => p.members.map((m) => ({ policyId: p.id, enterpriseUscc: m.ent.row.uscc, insuredHeadcount: m.headcount })))),
    plain(s.policyCoinsurers, pols.flatMap((p) => p.coinsurers.map((c, k) => ({ policyId: p.id, insurerUscc: c.insurer.uscc, share: ratio4(c.bp), isLead: k === 0 })))),
    plain(s.policyServicePlans, pols.flatMap((p) => p.plan.map(([kind, yearlyFrequency]) => ({ policyId: p.id, kind, yearlyFrequency })))),
    plain(s.policyServiceOrgs, pols.filter((p) => p.serviceOrg).map((p) => ({ policyId: p.id, serviceOrgUscc: p.serviceOrg!.uscc }))),
    withIds(s.policyVersions, versionRows(pols)),
    withIds(s.accidents, accidents.map((a) => a.row)),
    withIds(s.claims, claims.claims),
    withIds(s.claimants, claims.claimants),
    withIds(s.claimPayments, claims.payments),
    withIds(s.preventionServices, prevention.out.services),
    withIds(s.hazards, prevention.out.hazards),
    withIds(s.fundEntries, prevention.out.funds),
  ];
}

function policyRow(p: Pol) {
  return {
    id: p.id, insurerUscc: p.insurer.uscc, policyNo: p.policyNo, brokerUscc: p.broker ? BROKER.uscc : null,
    startAt: new Date(p.start), endAt: new Date(p.end), cancelledAt: p.cancelled === null ? null : new Date(p.cancelled), cancelReason: p.cancelReason,
    premium: yuan(premiumFen(p)), baseRate: rate6(p.baseMicro), rateFloat: ratio4(p.floatBp), commissionRatio: ratio4(p.commissionBp),
    preventionFundRatio: ratio4(p.fundBp), insuredHeadcount: p.members.reduce((n, m) => n + m.headcount, 0),
    deathLimitPerPerson: yuan(p.deathLimitYuan * 100), medicalLimitPerPerson: yuan(p.medicalLimitYuan * 100),
    thirdPartyLimit: p.thirdPartyLimitYuan === null ? null : yuan(p.thirdPartyLimitYuan * 100), coverageItems: p.coverage,
    isGroupPolicy: p.members.length > 1, version: p.amendment ? 2 : 1,
    createdAt: new Date(p.filed), updatedAt: new Date(p.amendment?.at ?? p.filed),
  };
}

function versionRows(pols: Pol[]) {
  let id = 0;
  return pols.flatMap((p) => {
    const v1 = { id: ++id, policyId: p.id, version: 1, reason: "首次承保 / initial filing", snapshot: p.amendment?.before ?? snapshot(p), createdBy: "seed", createdAt: new Date(p.filed) };
    if (!p.amendment) return [v1];
    return [v1, { id: ++id, policyId: p.id, version: 2, reason: p.amendment.reason, snapshot: snapshot(p), createdBy: "seed", createdAt: new Date(p.amendment.at) }];
  });
}

/**
 * Bulk insert, 5,000 rows per statement, each chunk sent as ONE json parameter and expanded by
 * json_populate_recordset. Binding every value separately (a drizzle multi-row VALUES) is about
 * three times slower on PGlite, which marshals each of the thousands of parameters in JavaScript, and
 * would have to stay under PostgreSQL's 65,535 bind parameters; this form has no such limit and runs
 * unchanged on PostgreSQL.
 */
async function insertAll(tx: Tx, { table, rows, identity }: DemoTable): Promise<void> {
  if (!rows.length) return;
  const columns = getTableColumns(table);
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const names = keys.map((k) => columns[k].name);
  const list = sql.raw(names.map((n) => `"${n}"`).join(", "));
  const target = sql.identifier(getTableName(table));
  for (let i = 0; i < rows.length; i += 5000) {
    const json = JSON.stringify(
      rows.slice(i, i + 5000).map((row) => {
        const out: Record<string, unknown> = {};
        keys.forEach((k, j) => {
          const v = (row as Record<string, unknown>)[k];
          out[names[j]] = v instanceof Date ? v.toISOString() : v;
        });
        return out;
      }),
    );
    // explicit ids keep children's references known before insert and identical across runs
    await tx.execute(sql`insert into ${target} (${list}) ${sql.raw(identity ? "overriding system value" : "")}
      select ${list} from json_populate_recordset(null::${target}, ${json}::json)`);
  }
  if (identity) {
    const maxId = rows.reduce((m: number, r) => Math.max(m, (r as { id: number }).id), 0);
    await tx.execute(sql`select setval(pg_get_serial_sequence(${getTableName(table)}, 'id'), ${maxId})`);
  }
}

/** Seeds an empty database in one transaction; returns the rows written per table. */
export async function seedDemo(db: Db, opts: { scale?: number; seed?: number } = {}): Promise<SeedSummary> {
  if (!(await isEmpty(db))) throw new Error("演示数据只写入空数据库 / the demo data goes into an empty database only");
  const tables = buildDemo(opts);
  await db.transaction(async (tx) => {
    for (const t of tables) await insertAll(tx, t);
  });
  return Object.fromEntries(tables.map((t) => [getTableName(t.table), t.rows.length]));
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JurisdictionCache } from "../../src/auth/jurisdiction.js";
import type { Database } from "../../src/db/client.js";
import { DEMO } from "../../src/demo/ids.js";
import type { Role } from "../../src/domain/vocabulary.js";
import { createContext } from "../../src/graphql/context.js";
import { policies } from "../../schema/index.js";
import { demoDatabase } from "../support/demo.js";

/**
 * Issue 6 optimisation: a policy's claims with their payments, and its services with their hazards,
 * come in one statement each when the query selects the children. They must be exactly the rows
 * (and the order) of the two-statement path, for every role's scope.
 */
let database: Database;
let ids: number[];

beforeAll(async () => {
  database = await demoDatabase();
  ids = (await database.db.select({ id: policies.id }).from(policies)).map((r) => r.id);
});

afterAll(async () => {
  await database?.close();
});

const viewers: [Role, string][] = [
  ["COMMITTEE_OFFICE", DEMO.committeeOffice],
  ["SECTOR_DEPARTMENT", DEMO.department],
  ["INSURER", DEMO.insurer],
  ["SERVICE_ORG", DEMO.serviceOrg],
  ["ENTERPRISE", DEMO.enterprise],
];

describe("children fetched with their parents", () => {
  it.each(viewers)("as %s: claims with payments and services with hazards equal the separate loaders", async (role, org) => {
    const viewer = await new JurisdictionCache(database.db).viewerFor({ sub: "t", role, org, purpose: null });
    const a = createContext(database.db, viewer).loaders;
    const b = createContext(database.db, viewer).loaders;

    const embeddedClaims = await Promise.all(ids.map((id) => a.claimsWithPaymentsOfPolicy.load(id)));
    const plainClaims = await Promise.all(ids.map((id) => b.claimsOfPolicy.load(id)));
    const separate = await Promise.all(plainClaims.map((cs) => Promise.all(cs.map(async (c) => ({ ...c, payments: await b.paymentsOfClaim.load(c.id) })))));
    expect(embeddedClaims).toEqual(separate);

    const embeddedServices = await Promise.all(ids.map((id) => a.servicesWithHazardsOfPolicy.load(id)));
    const plainServices = await Promise.all(ids.map((id) => b.servicesOfPolicy.load(id)));
    const separateServices = await Promise.all(plainServices.map((ss) => Promise.all(ss.map(async (s) => ({ ...s, hazards: await b.hazardsOfService.load(s.id) })))));
    expect(embeddedServices).toEqual(separateServices);

    // the demo data has claims with payments and services with hazards in every scope that sees policies;
    // a service organisation reads no claims at all (src/auth/scope.ts claimVisible)
    if (role === "SERVICE_ORG") expect(embeddedClaims.flat()).toEqual([]);
    else expect(embeddedClaims.flat().some((c) => c.payments.length > 0)).toBe(true);
    expect(embeddedServices.flat().some((s) => s.hazards.length > 0)).toBe(true);
  });
});

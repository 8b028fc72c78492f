import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { byKey } from "../../graphql/dataloader.js";
import { agencies, brokers, insurers, regions, serviceOrgs } from "../../../schema/index.js";

/** The registry is public reference data (names of regions, agencies and licensed institutions): not scoped. */
export function registryLoaders(db: Db) {
  return {
    region: byKey((keys: readonly string[]) => db.select().from(regions).where(inArray(regions.code, [...keys])), (r) => r.code),
    agency: byKey((keys: readonly string[]) => db.select().from(agencies).where(inArray(agencies.id, [...keys])), (r) => r.id),
    insurer: byKey((keys: readonly string[]) => db.select().from(insurers).where(inArray(insurers.uscc, [...keys])), (r) => r.uscc),
    serviceOrg: byKey((keys: readonly string[]) => db.select().from(serviceOrgs).where(inArray(serviceOrgs.uscc, [...keys])), (r) => r.uscc),
    broker: byKey((keys: readonly string[]) => db.select().from(brokers).where(inArray(brokers.uscc, [...keys])), (r) => r.uscc),
  };
}

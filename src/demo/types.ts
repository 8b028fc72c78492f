/** Insert shapes of the tables the demo writes; identity tables get explicit ids (see generate.ts). */
import type * as s from "../../schema/index.js";

type WithId<T> = T & { id: number };

export type RegionRow = typeof s.regions.$inferInsert;
export type AgencyRow = typeof s.agencies.$inferInsert;
export type EnterpriseRow = typeof s.enterprises.$inferInsert;
export type PolicyRow = WithId<typeof s.policies.$inferInsert>;
export type PolicyEnterpriseRow = typeof s.policyEnterprises.$inferInsert;
export type PolicyCoinsurerRow = typeof s.policyCoinsurers.$inferInsert;
export type PolicyServicePlanRow = typeof s.policyServicePlans.$inferInsert;
export type PolicyServiceOrgRow = typeof s.policyServiceOrgs.$inferInsert;
export type PolicyVersionRow = WithId<typeof s.policyVersions.$inferInsert>;
export type AccidentRow = WithId<typeof s.accidents.$inferInsert>;
export type ClaimRow = WithId<typeof s.claims.$inferInsert>;
export type ClaimantRow = WithId<typeof s.claimants.$inferInsert>;
export type ClaimPaymentRow = WithId<typeof s.claimPayments.$inferInsert>;
export type ServiceRow = WithId<typeof s.preventionServices.$inferInsert>;
export type HazardRow = WithId<typeof s.hazards.$inferInsert>;
export type FundEntryRow = WithId<typeof s.fundEntries.$inferInsert>;

/** Hands out 1, 2, 3 … per table and per insurer reference series. */
export class Counter {
  private next = new Map<string, number>();
  take(key: string): number {
    const n = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, n);
    return n;
  }
}

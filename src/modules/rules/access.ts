import type { AccessSlice } from "../../auth/audiences.js";

/** The rules are public law; any signed-in caller reads them. */
export const rulesAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "ruleProfile" },
    RuleProfileView: { MEMBERS: "regionCode profiles rules" },
    EffectiveRule: { MEMBERS: "key label value sources" },
    RateFloatBand: { MEMBERS: "min max reason source hazardSurchargeAllowed" },
  },
};

import { member } from "../../graphql/rules.js";

/** The rules are public law; any signed-in caller reads them. */
export const rulePermissions = {
  Query: { ruleProfile: member },
  RuleProfileView: member,
  EffectiveRule: member,
  RateFloatBand: member,
};

import { anyone, insurer, member, tradeSecret } from "../../graphql/rules.js";

/** Premiums and rates are insurers' trade secrets: see tradeSecret for who reads them. */
export const policyPermissions = {
  Query: { policy: member, policies: member },
  Policy: {
    "*": member,
    premium: tradeSecret,
    baseRate: tradeSecret,
    rateFloat: tradeSecret,
    commissionRatio: tradeSecret,
    preventionFundRatio: tradeSecret,
  },
  InsuredEnterprise: member,
  CoinsuranceShare: member,
  ServicePlanItem: member,
  PolicyVersion: { "*": member, snapshot: tradeSecret },
  PolicyConnection: member,
  PolicyEdge: member,
};

export const policyWritePermissions = {
  Mutation: { filePolicy: insurer, filePolicies: insurer, amendPolicy: insurer, cancelPolicy: insurer },
  PolicyFilingResult: insurer,
  InputProblem: anyone,
};

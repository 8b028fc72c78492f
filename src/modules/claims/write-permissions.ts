import { department, insurer } from "../../graphql/rules.js";

/**
 * Writers by role; whether the claim or enterprise is theirs (lead insurer of the policy, enterprise
 * inside the department's jurisdiction) is checked by the commands. The records inside the results
 * (Claim, ClaimPayment, Accident) keep the read rules of claimPermissions.
 */
export const claimWritePermissions = {
  Mutation: { reportClaim: insurer, recordClaimPayment: insurer, assessClaim: insurer, settleClaim: insurer, recordAccident: department },
  ClaimResult: insurer,
  ClaimPaymentResult: insurer,
  AccidentRecordResult: department,
};

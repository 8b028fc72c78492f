import { serviceWriter } from "../../graphql/rules.js";

/** Writers by role; whether the policy is theirs (lead insurer, named service org) the command checks. */
export const preventionWritePermissions = {
  Mutation: { recordPreventionService: serviceWriter, recordHazardRectification: serviceWriter },
  PreventionServiceRecordResult: serviceWriter,
  HazardRectificationResult: serviceWriter,
};

import { member } from "../../graphql/rules.js";

export const compliancePermissions = {
  Query: { complianceFindings: member },
  ComplianceFinding: member,
  ComplianceFindingConnection: member,
  ComplianceFindingEdge: member,
};

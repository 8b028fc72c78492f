import type { AccessSlice } from "../../auth/audiences.js";

/** Findings: a message quoting a trade secret is cut for readers who may not read it. */
export const complianceAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "complianceFindings" },
    ComplianceFinding: {
      MEMBERS: "id ruleCode severity source subjectKind subjectKey enterpriseUscc insurerUscc status foundAt resolvedAt",
      FINDING_TEXT: "message",
    },
    ComplianceFindingConnection: { MEMBERS: "edges pageInfo totalCount" },
    ComplianceFindingEdge: { MEMBERS: "node cursor" },
  },
  rows: {
    ComplianceFinding: {
      COMMITTEE_OFFICE: "of an enterprise it sees",
      SECTOR_DEPARTMENT: "of an enterprise it sees",
      FINANCIAL_REGULATOR: "of an enterprise it sees",
      INSURER: "about itself",
      SERVICE_ORG: "none",
      ENTERPRISE: "about itself",
    },
  },
};

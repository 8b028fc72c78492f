import type { AccessSlice } from "../../auth/audiences.js";

/** The audit log: the committee office reads every entry, every other organisation its own. */
export const auditAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "auditLog" },
    AuditEntryConnection: { MEMBERS: "edges pageInfo totalCount" },
    AuditEntryEdge: { MEMBERS: "node cursor" },
    AuditEntry: { MEMBERS: "id at sub role org purpose operation keys requestHash contentHash seq prevHash hash" },
  },
  rows: {
    AuditEntry: {
      COMMITTEE_OFFICE: "every entry",
      SECTOR_DEPARTMENT: "its own organisation's",
      FINANCIAL_REGULATOR: "its own organisation's",
      INSURER: "its own organisation's",
      SERVICE_ORG: "its own organisation's",
      ENTERPRISE: "its own organisation's",
    },
  },
};

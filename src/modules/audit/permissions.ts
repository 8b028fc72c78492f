import { member } from "../../graphql/rules.js";

/** Any signed-in organisation reads the audit log; which entries is row scoping (service.ts: auditRowsVisible). PUBLIC none. */
export const auditPermissions = {
  Query: { auditLog: member },
  AuditEntry: member,
  AuditEntryConnection: member,
  AuditEntryEdge: member,
};

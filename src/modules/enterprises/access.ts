import type { AccessSlice } from "../../auth/audiences.js";

/** Enterprises: base data for every reader of the row, contact details for its supervisors and itself. */
export const enterpriseAccess: AccessSlice = {
  read: {
    Query: { MEMBERS: "enterprise enterprises" },
    Enterprise: {
      MEMBERS:
        "uscc name regionCode address industryCode sector riskTags employeeCount status safetyLicenseNo standardizationGrade blacklisted updatedAt " +
        "claims accidents region mandatory insuredNow policies preventionServices hazards openFindings rateFloatBand",
      CONTACT_DETAILS: "legalRepresentative contactName contactPhone",
    },
    EnterpriseConnection: { MEMBERS: "edges pageInfo totalCount" },
    EnterpriseEdge: { MEMBERS: "node cursor" },
    EnterpriseUpsertResult: { DEPARTMENTS: "uscc accepted created errors errorCode" },
  },
  write: {
    upsertEnterprises: {
      callers: "DEPARTMENTS",
     
      owns: "每家单位在本部门辖区且属本部门主管行业 / each enterprise lies in the department's region subtree and one of its sectors",
    },
  },
  rows: {
    Enterprise: {
      COMMITTEE_OFFICE: "its region subtree",
      SECTOR_DEPARTMENT: "its region subtree × its sectors",
      FINANCIAL_REGULATOR: "its region subtree",
      INSURER: "insured by a policy it lead- or co-insures",
      SERVICE_ORG: "insured by a policy that names it",
      ENTERPRISE: "itself",
    },
  },
};

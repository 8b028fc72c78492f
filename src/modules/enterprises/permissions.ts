import { contactDetails, department, member } from "../../graphql/rules.js";

/** Who may read what of an enterprise (rows: see src/auth/scope.ts). */
export const enterprisePermissions = {
  Query: { enterprise: member, enterprises: member },
  Enterprise: {
    "*": member,
    legalRepresentative: contactDetails,
    contactName: contactDetails,
    contactPhone: contactDetails,
  },
  EnterpriseConnection: member,
  EnterpriseEdge: member,
};

export const enterpriseWritePermissions = {
  Mutation: { upsertEnterprises: department },
  EnterpriseUpsertResult: department,
};

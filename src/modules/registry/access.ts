import type { AccessSlice } from "../../auth/audiences.js";

/** The caller itself and the registry (regions, agencies, licensed institutions): reference data. */
export const registryAccess: AccessSlice = {
  read: {
    Query: { EVERYONE: "viewer" },
    Viewer: { EVERYONE: "sub role org purpose jurisdiction agency" },
    Jurisdiction: { EVERYONE: "regionCode sectors" },
    Agency: { EVERYONE: "id name kind regionCode" },
    Region: { MEMBERS: "code name parentCode level" },
    Insurer: { MEMBERS: "uscc name shortName" },
    Broker: { MEMBERS: "uscc name" },
    ServiceOrg: { MEMBERS: "uscc name" },
    PageInfo: { MEMBERS: "hasNextPage hasPreviousPage startCursor endCursor" },
  },
};

import { anyone, member } from "../../graphql/rules.js";

/** Registry data (regions, agencies, licensed institutions) is reference data for every signed-in caller. */
export const registryPermissions = {
  Query: { viewer: anyone },
  Viewer: anyone,
  Jurisdiction: anyone,
  Region: member,
  Agency: anyone,
  Insurer: member,
  ServiceOrg: member,
  Broker: member,
  PageInfo: member,
};

import { member, tradeSecret } from "../../graphql/rules.js";

export const preventionPermissions = {
  Query: { preventionServices: member, hazards: member },
  PreventionService: { "*": member, cost: tradeSecret },
  Hazard: member,
  PreventionServiceConnection: member,
  PreventionServiceEdge: member,
  HazardConnection: member,
  HazardEdge: member,
};

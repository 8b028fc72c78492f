import type { Viewer } from "../auth/viewer.js";
import type { Db } from "../db/client.js";
import { claimLoaders } from "../modules/claims/loaders.js";
import { complianceLoaders } from "../modules/compliance/loaders.js";
import { enterpriseLoaders } from "../modules/enterprises/loaders.js";
import { fundLoaders } from "../modules/funds/loaders.js";
import { policyLoaders } from "../modules/policies/loaders.js";
import { preventionLoaders } from "../modules/prevention/loaders.js";
import { registryLoaders } from "../modules/registry/loaders.js";

export function createLoaders(db: Db, viewer: Viewer) {
  return {
    ...registryLoaders(db),
    ...enterpriseLoaders(db, viewer),
    ...policyLoaders(db, viewer),
    ...claimLoaders(db, viewer),
    ...preventionLoaders(db, viewer),
    ...fundLoaders(db, viewer),
    ...complianceLoaders(db, viewer),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

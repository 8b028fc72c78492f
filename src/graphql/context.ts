import type { Viewer } from "../auth/viewer.js";
import type { Db } from "../db/client.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** Per request: who asks, the database, and fresh DataLoaders (their caches never outlive a request). */
export interface Context {
  viewer: Viewer;
  /** what the request reads and writes through: a replica for a query when replicas are set (src/http/read-routing.ts) */
  db: Db;
  /** the primary, for what a read itself writes (the audit append); the same as `db` without replicas */
  primary: Db;
  loaders: Loaders;
}

export function createContext(db: Db, viewer: Viewer, primary: Db = db): Context {
  return { viewer, db, primary, loaders: createLoaders(db, viewer) };
}

import type { Viewer } from "../auth/viewer.js";
import type { Db } from "../db/client.js";
import { createLoaders, type Loaders } from "./loaders.js";

/** Per request: who asks, the database, and fresh DataLoaders (their caches never outlive a request). */
export interface Context {
  viewer: Viewer;
  db: Db;
  loaders: Loaders;
}

export function createContext(db: Db, viewer: Viewer): Context {
  return { viewer, db, loaders: createLoaders(db, viewer) };
}

import { and, inArray, sql } from "drizzle-orm";
import DataLoader from "dataloader";
import { enterpriseRows } from "../../auth/scope.js";
import type { Viewer } from "../../auth/viewer.js";
import type { Db } from "../../db/client.js";
import { byKey } from "../../graphql/dataloader.js";
import { enterprises } from "../../../schema/index.js";
import { insuredAt } from "./service.js";

export function enterpriseLoaders(db: Db, viewer: Viewer) {
  return {
    /** scoped: an enterprise outside the viewer's scope loads as null */
    enterprise: byKey(
      (keys: readonly string[]) => db.select().from(enterprises).where(and(inArray(enterprises.uscc, [...keys]), enterpriseRows(viewer))),
      (r) => r.uscc,
    ),
    insuredNow: new DataLoader<string, boolean>(async (keys) => {
      const rows = await db
        .select({ uscc: enterprises.uscc })
        .from(enterprises)
        .where(and(inArray(enterprises.uscc, [...keys]), insuredAt(sql`now()`)));
      const insured = new Set(rows.map((r) => r.uscc));
      return keys.map((k) => insured.has(k));
    }),
  };
}

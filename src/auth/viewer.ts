import type { Role, Sector } from "../domain/vocabulary.js";

/** Who is asking: the verified token plus, for agencies, the jurisdiction looked up from the registry. */
export interface Viewer {
  sub: string;
  role: Role;
  /** agency id, insurer / service org / enterprise USCC; null for PUBLIC */
  org: string | null;
  purpose: string | null;
  /** agencies only: the region subtree and (sector departments) the supervised sectors */
  jurisdiction: { regionCode: string; regionPrefix: string; sectors: Sector[] | "ALL" } | null;
}

export const PUBLIC_VIEWER: Viewer = { sub: "anonymous", role: "PUBLIC", org: null, purpose: null, jurisdiction: null };

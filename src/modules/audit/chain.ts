import { createHash } from "node:crypto";

/**
 * The audit log's hashes. The fields are everything an entry says (at as an ISO string, sub, role,
 * org, purpose, operation, keys, request_hash).
 * - content_hash = sha256(canonical JSON of the fields), written with the entry: the entry verifies
 *   on its own from the moment it is inserted (an edit that does not also recompute it shows).
 * - hash = sha256(prev_hash ‖ canonical JSON of the fields), written when the sealer links the entry
 *   into the chain; prev_hash is the previous entry's hash in seq (seal) order, GENESIS_HASH for the
 *   first. Changing any field breaks the entry's own hashes; removing or reordering sealed entries
 *   breaks the next entry's prev_hash link (verify.ts walks both). Entries from before the sealer
 *   (migration 0004) have the same chain hash and no content_hash.
 */
export const GENESIS_HASH = "0".repeat(64);

/** What an entry says: the hashed fields. */
export interface AuditFields {
  at: Date;
  sub: string;
  role: string;
  org: string | null;
  purpose: string | null;
  operation: string;
  keys: string[];
  requestHash: string;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * JSON with object keys sorted at every level and undefined members left out: the same value always
 * gives the same text. Non-finite numbers become null, as in JSON.stringify.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "string" || typeof value === "boolean") return JSON.stringify(value);
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const members = Object.keys(obj)
      .filter((k) => obj[k] !== undefined && typeof obj[k] !== "function")
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`);
    return `{${members.join(",")}}`;
  }
  return "null";
}

/** The hash of a request: sha256 of the query text, a newline, and the canonical JSON of its variables. */
export function requestHash(query: string, variables: unknown): string {
  return sha256(`${query}\n${canonicalJson(variables ?? {})}`);
}

/** The canonical text of an entry's fields (what its hash covers after prev_hash). */
export function canonicalEntry(f: AuditFields): string {
  return canonicalJson({
    at: f.at.toISOString(),
    sub: f.sub,
    role: f.role,
    org: f.org,
    purpose: f.purpose,
    operation: f.operation,
    keys: f.keys,
    requestHash: f.requestHash,
  });
}

/** The chain hash: sha256(prev_hash ‖ canonical fields). */
export function entryHash(prevHash: string, fields: AuditFields): string {
  return sha256(prevHash + canonicalEntry(fields));
}

/** The content hash: sha256(canonical fields), the entry's own, before it is chained. */
export function contentHash(fields: AuditFields): string {
  return sha256(canonicalEntry(fields));
}

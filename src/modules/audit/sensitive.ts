import { sensitiveFields } from "../access.js";

/**
 * Which fields carry personal data (个人信息) or trade secrets (商业秘密): reading one of them, on any
 * row, whether the caller gets it whole, masked or refused, appends an audit entry (plugin.ts). The
 * permission source decides which (src/modules/access.ts: every field under CONTACT_DETAILS,
 * CLAIMANT_PII or TRADE_SECRET); this file says only how to name the row a field was read on. A field
 * not listed there is not audited on read (every mutation is, whatever it touches).
 *
 * `key` names the row the field was read on, from the resolver's parent row, as `<Type>:<natural key>`
 * or `<Type>:#<internal id>` when the row carries only the id.
 */

export type DataClass = "PERSONAL" | "TRADE_SECRET";

type Row = Record<string, unknown>;

export interface SensitiveType {
  /** field name → what it holds */
  fields: Record<string, DataClass>;
  /** the key of the parent row the field is read on */
  key: (row: Row) => string;
  /** the row properties `key` reads (the read planner selects them alongside the fields) */
  keyColumns: readonly string[];
}

const s = (v: unknown) => (v === null || v === undefined ? "?" : String(v));

/** How the row of each type that has sensitive fields is named in an audit entry. */
const ROW_KEYS: Readonly<Record<string, { key: (row: Row) => string; columns: readonly string[] }>> = {
  /** 索赔人: name and resident ID number (个人信息保护法 sensitive personal information) */
  Claimant: { key: (r) => `Claim:#${s(r.claimId)}`, columns: ["claimId"] },
  /** 企业联系人: names and a phone number of natural persons */
  Enterprise: { key: (r) => `Enterprise:${s(r.uscc)}`, columns: ["uscc"] },
  /** 保费与费率: the insurer's pricing */
  Policy: { key: (r) => `Policy:${s(r.insurerUscc)}/${s(r.policyNo)}`, columns: ["insurerUscc", "policyNo"] },
  /** 批改快照: a whole filing, premium and rates included */
  PolicyVersion: { key: (r) => `Policy:#${s(r.policyId)}`, columns: ["policyId"] },
  /** 事故预防费用台账金额 */
  FundEntry: { key: (r) => `FundEntry:${s(r.insurerUscc)}/${s(r.entryRef)}`, columns: ["insurerUscc", "entryRef"] },
  /** 服务费用 */
  PreventionService: { key: (r) => `PreventionService:${s(r.insurerUscc)}/${s(r.serviceRef)}`, columns: ["insurerUscc", "serviceRef"] },
};

export const SENSITIVE: Readonly<Record<string, SensitiveType>> = Object.fromEntries(
  [...sensitiveFields()].map(([type, fields]) => {
    const k = ROW_KEYS[type];
    if (!k) throw new Error(`audit: ${type} has sensitive fields (${[...fields.keys()].join(", ")}) but no row key in audit/sensitive.ts`);
    return [type, { fields: Object.fromEntries(fields), key: k.key, keyColumns: k.columns }];
  }),
);

/** type name → the set of its sensitive fields: the per-field check is one Map get and one Set has. */
export const SENSITIVE_FIELDS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(SENSITIVE).map(([type, t]) => [type, new Set(Object.keys(t.fields))]),
);

/** The data class of `type.field`, or undefined when it is not sensitive. */
export function dataClassOf(type: string, field: string): DataClass | undefined {
  return SENSITIVE[type]?.fields[field];
}

/** Every sensitive field as `Type.field`, e.g. for SECURITY.md or a matrix cross-check. */
export function sensitiveFieldList(): string[] {
  return Object.entries(SENSITIVE).flatMap(([type, t]) => Object.keys(t.fields).map((f) => `${type}.${f}`));
}

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUDIENCES, entries, MUTATIONS, permissionsMarkdown, ROWS } from "../../src/modules/access.js";
import { SENSITIVE } from "../../src/modules/audit/sensitive.js";
import { fieldRules } from "../../src/graphql/permissions.js";

describe("the permission source", () => {
  it("docs/permissions.md is what `npm run permissions:doc` writes from it", () => {
    const onDisk = readFileSync(new URL("../../docs/permissions.md", import.meta.url), "utf8");
    expect(onDisk, "docs/permissions.md is stale: run npm run permissions:doc").toBe(permissionsMarkdown());
  });

  it("every mutation has callers and a named ownership check; every row rule names a known type", () => {
    for (const [m, w] of Object.entries(MUTATIONS)) {
      expect(AUDIENCES[w.callers], m).toBeDefined();
      expect(w.owns, m).toMatch(/[\u4e00-\u9fff].* \/ [a-z]/);
    }
    const types = new Set([...entries()].map(([t]) => t));
    for (const t of Object.keys(ROWS)) expect(types.has(t), t).toBe(true);
  });

  it("the audit's sensitive fields are exactly the fields under CONTACT_DETAILS, CLAIMANT_PII and TRADE_SECRET", () => {
    const fromSource = [...entries()].filter(([, , a]) => a === "CONTACT_DETAILS" || a === "CLAIMANT_PII" || a === "TRADE_SECRET").map(([t, f]) => `${t}.${f}`).sort();
    const audited = Object.entries(SENSITIVE).flatMap(([t, s]) => Object.keys(s.fields).map((f) => `${t}.${f}`)).sort();
    expect(audited).toEqual(fromSource);
    expect(audited).toContain("Enterprise.contactPhone");
    expect(audited).toContain("Policy.premium");
  });

  it("the field rules list every field of the source, and nothing else", () => {
    const rules = fieldRules();
    const fromRules = Object.entries(rules).flatMap(([t, fs]) => Object.keys(fs).map((f) => `${t}.${f}`)).sort();
    expect(fromRules).toEqual([...entries()].map(([t, f]) => `${t}.${f}`).sort());
  });
});

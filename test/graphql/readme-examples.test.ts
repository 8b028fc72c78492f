import { readFileSync } from "node:fs";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { buildHubSchema } from "../../src/graphql/schema.js";

describe("README", () => {
  it("every GraphQL example a department would paste is valid against the schema", async () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThan(0);
    const schema = await buildHubSchema();
    for (const block of blocks) {
      // a block may hold several operations, one per paragraph
      for (const op of block.split(/\n\s*\n/).filter((s) => s.replace(/#.*$/gm, "").trim())) {
        expect(validate(schema, parse(op)).map((e) => e.message), op).toEqual([]);
      }
    }
  });
});

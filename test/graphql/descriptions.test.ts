import { isEnumType, isInputObjectType, isObjectType } from "graphql";
import { describe, expect, it } from "vitest";
import { buildBaseSchema } from "../../src/graphql/schema.js";

const CJK = /[\u4e00-\u9fff]/;
const RELAY = new Set(["edges", "node", "cursor", "pageInfo", "hasNextPage", "hasPreviousPage", "startCursor", "endCursor"]);

describe("GraphiQL in Chinese", () => {
  it("every type and field departments read has a Chinese description (with the English term)", async () => {
    const schema = await buildBaseSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["Query", "Mutation"].includes(type.name)) continue;
      if (!isObjectType(type) && !isInputObjectType(type) && !isEnumType(type)) continue;
      if (!CJK.test(type.description ?? "")) missing.push(type.name);
      if (isEnumType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!RELAY.has(field.name) && !CJK.test(field.description ?? "")) missing.push(`${type.name}.${field.name}`);
      }
    }
    for (const root of [schema.getQueryType()!, schema.getMutationType()!]) {
      for (const field of Object.values(root.getFields())) if (!CJK.test(field.description ?? "")) missing.push(`${root.name}.${field.name}`);
    }
    expect(missing).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { buildHubSchema } from "../../src/graphql/schema.js";

describe("GraphiQL's default query", () => {
  it("is a valid document against the hub's schema (GraphQL names are ASCII; Chinese goes in comments)", async () => {
    const init = readFileSync(new URL("../../src/http/graphiql-init.js", import.meta.url), "utf8");
    const body = /var defaultQuery =([\s\S]*?);\n/.exec(init)![1];
    const query = body.split("+").map((part) => JSON.parse(part.trim())).join("");
    expect(validate(await buildHubSchema(), parse(query))).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { printHubSdl } from "../../src/graphql/schema.js";

describe("checked-in SDL", () => {
  it("schema/schema.graphql matches the code (run `npm run schema:print` after changing types)", async () => {
    const checkedIn = readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8");
    expect(await printHubSdl()).toBe(checkedIn);
  });
});

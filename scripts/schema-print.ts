import { writeFileSync } from "node:fs";
import { printHubSdl } from "../src/graphql/schema.js";

// schema/schema.graphql is the checked-in contract; test/graphql/sdl.test.ts fails when it drifts.
const target = new URL(import.meta.url.includes("/dist/") ? "../../schema/schema.graphql" : "../schema/schema.graphql", import.meta.url);
writeFileSync(target, await printHubSdl());
console.log(`wrote ${target.pathname}`);

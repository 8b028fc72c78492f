import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // one graphql module for the whole run, or type-graphql and graphql-js disagree ("another module or realm")
    alias: { graphql: require.resolve("graphql/index.js") },
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores: each file has its own database; two at a time keeps PGlite's memory in check
    maxWorkers: 2,
    pool: "forks",
  },
});

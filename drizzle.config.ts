import { defineConfig } from "drizzle-kit";

// Migrations are generated from schema/ and applied unchanged to PGlite and PostgreSQL.
export default defineConfig({
  dialect: "postgresql",
  schema: "./schema/index.ts",
  out: "./migrations",
});

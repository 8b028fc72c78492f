import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("../..", import.meta.url).pathname;

describe("migrations", () => {
  it("are in sync with schema/: drizzle-kit generates nothing new", () => {
    const out = mkdtempSync(join(tmpdir(), "anze-migrations-"));
    try {
      cpSync(join(root, "migrations"), out, { recursive: true });
      const before = readdirSync(out).filter((f) => f.endsWith(".sql"));
      // drizzle-kit prefixes "./" to --out, so it must be relative to the repository
      const printed = execFileSync(join(root, "node_modules/.bin/drizzle-kit"), ["generate", "--dialect", "postgresql", "--schema", "./schema/index.ts", "--out", relative(root, out)], {
        cwd: root,
        encoding: "utf8",
        stdio: "pipe",
      });
      const after = readdirSync(out).filter((f) => f.endsWith(".sql"));
      expect(after, printed).toEqual(before);
      expect(printed).toMatch(/No schema changes/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});

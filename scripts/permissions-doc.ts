/**
 * npm run permissions:doc — writes docs/permissions.md from the permission source
 * (src/modules/access.ts). test/auth/permissions-doc.test.ts fails when the file is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { permissionsMarkdown } from "../src/modules/access.js";

const target = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../docs/permissions.md" : "../docs/permissions.md", import.meta.url));
writeFileSync(target, permissionsMarkdown());
console.log(`wrote ${target}`);

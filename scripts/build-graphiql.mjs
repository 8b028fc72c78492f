// Copies GraphiQL's offline assets into dist/graphiql-assets/ after `tsc`: graphiql, react and
// react-dom are devDependencies, so a production install has only these copies.
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(join(root, "package.json"));
const pkgDir = (pkg) => {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    return join(root, "node_modules", pkg); // reported as missing below
  }
};

const files = {
  "react.production.min.js": join(pkgDir("react"), "umd/react.production.min.js"),
  "react-dom.production.min.js": join(pkgDir("react-dom"), "umd/react-dom.production.min.js"),
  "graphiql.min.js": join(pkgDir("graphiql"), "graphiql.min.js"),
  "graphiql.min.css": join(pkgDir("graphiql"), "graphiql.min.css"),
  "init.js": join(root, "src/http/graphiql-init.js"),
};

const missing = Object.entries(files).filter(([, from]) => !existsSync(from));
if (missing.length) {
  for (const [name, from] of missing) console.error(`build-graphiql: missing ${name} (${from})`);
  process.exit(1);
}
const out = join(root, "dist/graphiql-assets");
mkdirSync(out, { recursive: true });
for (const [name, from] of Object.entries(files)) copyFileSync(from, join(out, name));
console.log(`build-graphiql: ${Object.keys(files).length} files → ${out}`);

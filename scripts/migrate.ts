import { loadConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";

// The same migrations/ the hub applies at start-up, for deployments that migrate as a separate step.
const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const started = Date.now();
await database.migrate();
console.log(`migrations applied to ${database.kind} in ${Date.now() - started} ms`);
await database.close();

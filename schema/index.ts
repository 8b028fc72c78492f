// The database, one file per module. drizzle-kit reads this barrel to generate migrations/.
export * from "./registry.js";
export * from "./enterprises.js";
export * from "./policies.js";
export * from "./claims.js";
export * from "./prevention.js";
export * from "./funds.js";
export * from "./reporting.js";
export * from "./compliance.js";
export * from "./audit.js";

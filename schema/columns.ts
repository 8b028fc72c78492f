import { numeric, timestamp } from "drizzle-orm/pg-core";

/** Money in yuan: exact numeric(16,2), read and written as decimal strings, never JS floats. */
export const money = (name: string) => numeric(name, { precision: 16, scale: 2 });
/** A ratio or share 0–1 with four decimals (e.g. 0.0500 commission, 0.3333 co-insurance share). */
export const ratio = (name: string) => numeric(name, { precision: 7, scale: 4 });
/** Every instant is a timestamptz; dates shown to users are China Standard Time. */
export const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => instant("created_at").notNull().defaultNow();
/** A premium rate such as 0.001500 (1.5‰) needs more places than a share. */
export const rate = (name: string) => numeric(name, { precision: 10, scale: 6 });
/** 费率浮动: -0.4000 = 40 % below the guide rate, 1.5000 = 150 % above. */
export const rateFloat = (name: string) => numeric(name, { precision: 7, scale: 4 });

import { sql, type Column, type SQL } from "drizzle-orm";

/**
 * `column = any($1::type[])`: the keys of a DataLoader batch as ONE array parameter. drizzle's
 * inArray() binds one parameter per key, and building each one (typing, entity checks) cost more
 * CPU than anything else drizzle does on a nested read of a few hundred rows (issue 6 profile);
 * PostgreSQL also parses and plans one parameter instead of hundreds. Same rows, same order.
 */
export function anyOf(column: Column, keys: readonly (string | number)[]): SQL {
  return sql`${column} = any(${sql.param([...keys])}::${sql.raw(column.getSQLType())}[])`;
}

import type { Database, Statement } from 'better-sqlite3';

/**
 * `prepare` memoised by SQL text (least recently used dropped beyond `size`). Kysely prepares every
 * query it runs, and compiling the SQL costs more than running a point lookup; the store's queries
 * repeat the same few texts. Sharing a statement is safe because Kysely runs one query at a time on
 * SQLite's single connection.
 */
export function cacheSqliteStatements(database: Database, size = 256): (sql: string) => Statement<unknown[], unknown> {
  const statements = new Map<string, Statement<unknown[], unknown>>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement) {
      statements.delete(sql);
    } else {
      statement = database.prepare<unknown[], unknown>(sql);
      if (statements.size >= size) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    return statement;
  };
}

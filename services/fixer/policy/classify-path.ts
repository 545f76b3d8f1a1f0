import picomatch from 'picomatch';

// Common layouts: Django/Knex/Prisma/TypeORM `migrations/`, Rails `db/migrate/`, Flyway `db/migration/`, Alembic.
const MIGRATION_GLOBS = ['**/migrations/**', '**/db/migrate/**', '**/db/migration/**', '**/alembic/versions/**'];

const TEST_GLOBS = [
  '**/__tests__/**',
  '**/test/**',
  '**/tests/**',
  '**/spec/**',
  '**/*.{test,spec}.*',
  '**/*_{test,spec}.*',
  '**/test_*.py',
  '**/*{Test,Tests,IT}.{java,kt,scala,cs}',
];

const options = { dot: true };
const migration = picomatch(MIGRATION_GLOBS, options);
const testFile = picomatch(TEST_GLOBS, options);

/** A database migration, which a fix must not add or edit unless the policy allows it. */
export function isMigrationPath(path: string): boolean {
  return migration(path);
}

/** A test file by the usual naming conventions of JS/TS, Python, Go, Ruby, the JVM and .NET. */
export function isTestPath(path: string): boolean {
  return testFile(path);
}

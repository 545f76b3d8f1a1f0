import { NightshiftError } from '../errors.js';

/** An update named a record that does not exist. */
export class NotFoundError extends NightshiftError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} does not exist`);
  }
}

/** A create collided with an existing record (same id or same unique key). */
export class ConflictError extends NightshiftError {
  constructor(message: string, cause: unknown) {
    super('CONFLICT', message, { cause });
  }
}

/** A record points at an incident, attempt or alert that does not exist. */
export class MissingReferenceError extends NightshiftError {
  constructor(message: string, cause: unknown) {
    super('MISSING_REFERENCE', message, { cause });
  }
}

/** Lock contention (SQLite busy, PostgreSQL deadlock or serialization failure): trying again can succeed. */
export class StoreBusyError extends NightshiftError {
  constructor(message: string, cause: unknown) {
    super('STORE_BUSY', message, { cause, retriable: true });
  }
}

/** The database could not be reached or dropped the connection: trying again can succeed. */
export class StoreUnavailableError extends NightshiftError {
  constructor(message: string, cause: unknown) {
    super('STORE_UNAVAILABLE', message, { cause, retriable: true });
  }
}

/** A value the store cannot keep faithfully (an unparseable timestamp, a value JSON cannot encode). */
export class InvalidRecordError extends NightshiftError {
  constructor(message: string, cause?: unknown) {
    super('INVALID_RECORD', message, { cause });
  }
}

/**
 * The store was used in a way that would deadlock (SQLite) or silently escape a transaction
 * (PostgreSQL): the outer store inside `transaction()`, or a `tx` store after its transaction ended.
 */
export class StoreUsageError extends NightshiftError {
  constructor(message: string) {
    super('STORE_USAGE', message);
  }
}

/** A schema migration failed; the store was not opened. */
export class MigrationError extends NightshiftError {
  constructor(migration: string | undefined, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('STORE_MIGRATION_FAILED', `store migration ${migration ?? '(setup)'} failed: ${detail}`, { cause });
  }
}

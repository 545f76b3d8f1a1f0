import { NightshiftError } from '../errors.js';
import {
  ConflictError,
  MissingReferenceError,
  StoreBusyError,
  StoreUnavailableError,
} from './store-errors.js';

// better-sqlite3 codes are extended result codes (SQLITE_BUSY_SNAPSHOT …); pg codes are SQLSTATEs.
const UNIQUE = new Set(['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', '23505']);
const FOREIGN_KEY = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']);
const BUSY = new Set(['40001', '40P01', '55P03']);
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '53300']);

/**
 * Maps a driver error to the store's typed errors so callers see the same `code` (and the
 * `retriable` flag the retry logic reads) on SQLite and PostgreSQL. Anything else passes through.
 */
export function translateDbError(error: unknown): unknown {
  if (error instanceof NightshiftError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error;
  if (UNIQUE.has(code)) return new ConflictError(`record already exists: ${error.message}`, error);
  if (FOREIGN_KEY.has(code)) return new MissingReferenceError(`referenced record does not exist: ${error.message}`, error);
  if (BUSY.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreBusyError(`database busy: ${error.message}`, error);
  }
  // SQLSTATE class 08 is "connection exception".
  if (UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code)) {
    return new StoreUnavailableError(`database unavailable: ${error.message}`, error);
  }
  return error;
}

/** The same object with every method's rejections passed through `translateDbError`. */
export function withTranslatedErrors<T extends object>(target: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(target)) {
    if (typeof member !== 'function') {
      wrapped[name] = member;
      continue;
    }
    const method = member as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw translateDbError(error);
      }
    };
  }
  return wrapped as T;
}

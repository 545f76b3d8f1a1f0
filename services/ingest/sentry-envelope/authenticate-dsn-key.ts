import { createHash, timingSafeEqual } from 'node:crypto';
import type { RawDelivery, Rejection } from '../receiver.js';
import { parseJsonObject } from './read-json-values.js';

/** A project whose SDKs may send to Nightshift, and its DSN public key (the DSN's user name). */
export interface DsnKey {
  projectId: string;
  publicKey: string;
}

export type DsnKeyCheck = { ok: true; projectId: string } | { ok: false; rejection: Rejection };

/** `X-Sentry-Auth: Sentry sentry_key=…, sentry_version=7, …` (older SDKs send it as `Authorization`). */
function readAuthHeaderKey(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string' || !/^sentry\s/i.test(value)) return undefined;
  for (const part of value.replace(/^sentry\s+/i, '').split(',')) {
    const [name, ...rest] = part.split('=');
    if (name?.trim() === 'sentry_key') return rest.join('=').trim() || undefined;
  }
  return undefined;
}

/** The user name of the `dsn` in the envelope header; only the first line is read. */
function readEnvelopeDsnKey(body: Buffer): string | undefined {
  const end = body.indexOf(0x0a);
  const dsn = parseJsonObject(end === -1 ? body : body.subarray(0, end))?.dsn;
  if (typeof dsn !== 'string') return undefined;
  try {
    return decodeURIComponent(new URL(dsn).username) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The DSN public key the sender presented: the auth header, else the `sentry_key` query parameter
 * (what the JavaScript SDKs send), else the `dsn` in the envelope header.
 */
export function readDsnKey(delivery: RawDelivery): string | undefined {
  return (
    readAuthHeaderKey(delivery.headers['x-sentry-auth']) ??
    readAuthHeaderKey(delivery.headers.authorization) ??
    (delivery.query.sentry_key || undefined) ??
    readEnvelopeDsnKey(delivery.body)
  );
}

function sameKey(a: string, b: string): boolean {
  // Digests have equal length, so timingSafeEqual applies whatever the sender's key length.
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function unauthorized(reason: string, detail: string): DsnKeyCheck {
  return { ok: false, rejection: { status: 401, reason, detail } };
}

/**
 * Checks the presented DSN public key against the keys configured for the project in the path, in
 * constant time. Every failure is a 401, so a probe learns nothing beyond "not accepted".
 */
export function authenticateDsnKey(delivery: RawDelivery, dsnKeys: readonly DsnKey[]): DsnKeyCheck {
  if (dsnKeys.length === 0) {
    return unauthorized(
      'not-configured',
      'no Sentry DSN keys are configured: set NIGHTSHIFT_SENTRY_DSN_KEYS="<projectId>:<publicKey>" (from the DSN https://<publicKey>@<host>/<projectId>)',
    );
  }
  const projectId = delivery.params.projectId ?? '';
  const presented = readDsnKey(delivery)?.toLowerCase();
  if (!presented) return unauthorized('bad-dsn-key', 'no DSN public key: send sentry_key in X-Sentry-Auth or the query, or a dsn in the envelope header');
  const candidates = dsnKeys.filter((key) => key.projectId === projectId);
  if (candidates.length === 0) return unauthorized('bad-dsn-key', `project ${JSON.stringify(projectId)} has no DSN key configured`);
  let matched = false;
  for (const key of candidates) matched = sameKey(key.publicKey, presented) || matched;
  if (!matched) return unauthorized('bad-dsn-key', `the DSN public key is not one configured for project ${projectId}`);
  return { ok: true, projectId };
}

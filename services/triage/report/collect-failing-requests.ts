import type { LogRecord } from '../evidence/log-record.js';
import { extractLoggedRequest } from './extract-logged-request.js';
import type { LoggedRequest } from './triage-report.js';

/**
 * Gathers the failing requests the incident window's log lines describe, a few distinct ones per
 * service (first seen first), so that a replay is possible when the alert carried no request.
 */
export function createFailingRequestCollector({ perService = 5, maxServices = 20 } = {}) {
  const byService = new Map<string, Map<string, LoggedRequest>>();
  return {
    add(record: LogRecord): void {
      const known = byService.get(record.service);
      if (known !== undefined && known.size >= perService) return;
      if (known === undefined && byService.size >= maxServices) return;
      const request = extractLoggedRequest(record);
      if (request === null) return;
      const requests = known ?? new Map<string, LoggedRequest>();
      byService.set(record.service, requests);
      const key = `${request.method} ${request.path}`;
      if (!requests.has(key)) requests.set(key, request);
    },
    list(): LoggedRequest[] {
      return [...byService.values()].flatMap((requests) => [...requests.values()]);
    },
  };
}

const tokenSplit = /[^a-z0-9_-]+/;
const serviceSuffix = /-(?:svc|service|api)$/;
// URL paths (`GET /api/orders/7`, `http://inventory/reserve/orders`) name routes, not the services called.
const urlPath = /(^|[\s("'=])\/[^\s"')]*|(\/\/[^/\s"')]+)\/[^\s"')]*/g;

/**
 * Finds the known services a message names, as whole tokens (`inventory`, `inventory:8080`,
 * `http://inventory-svc/reserve`), other than the service that logged it.
 */
export function createServiceNamer(services: Iterable<string>): (message: string, self: string) => string[] {
  const byToken = new Map<string, string>();
  const odd: string[] = [];
  for (const service of services) {
    const lower = service.toLowerCase();
    if (tokenSplit.test(lower)) odd.push(service);
    else byToken.set(lower, service);
  }
  return (message, self) => {
    const found = new Set<string>();
    const text = message.replace(urlPath, '$1$2');
    for (const token of text.toLowerCase().split(tokenSplit)) {
      if (token.length === 0) continue;
      const service = byToken.get(token) ?? byToken.get(token.replace(serviceSuffix, ''));
      if (service !== undefined && service !== self) found.add(service);
    }
    // Names with dots or spaces cannot be tokens; a plain substring test is the honest fallback.
    for (const service of odd) if (service !== self && text.includes(service)) found.add(service);
    return [...found];
  };
}

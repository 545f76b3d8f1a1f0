const nameChar = /[a-z0-9_-]/;
const serviceSuffixes = ['', '-svc', '-service', '-api'];
// URL paths (`GET /api/orders/7`, `http://inventory/reserve/orders`) name routes, not the services called.
const urlPath = /(^|[\s("'=])\/[^\s"')]*|(\/\/[^/\s"')]+)\/[^\s"')]*/g;
const memoLimit = 5_000;

function isBoundary(text: string, index: number): boolean {
  return index < 0 || index >= text.length || !nameChar.test(text[index]!);
}

function mentions(text: string, name: string): boolean {
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    if (!isBoundary(text, at - 1)) continue;
    const end = at + name.length;
    if (serviceSuffixes.some((suffix) => text.startsWith(suffix, end) && isBoundary(text, end + suffix.length))) return true;
  }
  return false;
}

/**
 * Finds the known services a message names as whole words (`inventory`, `inventory:8080`,
 * `http://inventory-svc/reserve`), other than the service that logged it. Scanning for each known name
 * allocates nothing, and templated messages repeat, so answers are memoised.
 */
export function createServiceNamer(services: Iterable<string>): (message: string, self: string) => string[] {
  const names = [...new Set(services)].map((service) => ({ service, lower: service.toLowerCase() }));
  const memo = new Map<string, string[]>();
  return (message, self) => {
    let found = memo.get(message);
    if (found === undefined) {
      const text = (message.includes('/') ? message.replace(urlPath, '$1$2') : message).toLowerCase();
      found = names.filter(({ lower }) => mentions(text, lower)).map(({ service }) => service);
      if (memo.size >= memoLimit) memo.clear();
      memo.set(message, found);
    }
    return found.includes(self) ? found.filter((service) => service !== self) : found;
  };
}

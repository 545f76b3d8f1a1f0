const urlHost = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/:?#]+)/i;
const bareHost = /^([a-z0-9][a-z0-9_.-]*)(?::\d+)?(?:[/?#]|$)/i;
const serviceSuffix = /-(?:svc|service|api)$/;
const plainName = /^[a-z][a-z0-9_-]*$/i;
const cacheLimit = 10_000;

/** Services as small integers, so per-record bookkeeping compares numbers rather than strings. */
export interface ServiceRegistry {
  readonly names: readonly string[];
  /** The index of a service that logged a record. */
  intern(service: string): number;
  /** The index of the service a peer hint (`peer.service`, `upstream`, a URL) names, or -1. */
  resolvePeer(hint: string, isUrl: boolean): number;
}

/**
 * Hosts match on the whole host or its first label (`inventory.prod.svc.cluster.local`, `inventory-svc:8080`),
 * because in-cluster DNS names carry the service name first. A plain name given as a peer service is a
 * service even if it never logs (a database, a crashed service), so it is registered; URLs and addresses
 * of unknown hosts are ignored rather than invented as services.
 */
export function createServiceRegistry(): ServiceRegistry {
  const names: string[] = [];
  const exact = new Map<string, number>();
  const lower = new Map<string, number>();
  // Hint → index; a miss stores -(services known then) - 1, and is retried once more services are known.
  const caches = { name: new Map<string, number>(), url: new Map<string, number>() };

  function register(service: string): number {
    const index = names.push(service) - 1;
    exact.set(service, index);
    if (!lower.has(service.toLowerCase())) lower.set(service.toLowerCase(), index);
    return index;
  }

  function lookupHost(host: string): number {
    const name = host.toLowerCase();
    const found = lower.get(name);
    if (found !== undefined) return found;
    const label = name.split('.')[0] ?? name;
    return lower.get(label) ?? lower.get(label.replace(serviceSuffix, '')) ?? -1;
  }

  function resolve(hint: string, isUrl: boolean): number {
    if (!isUrl) {
      const direct = lower.get(hint.toLowerCase());
      if (direct !== undefined) return direct;
    }
    const host = urlHost.exec(hint)?.[1] ?? bareHost.exec(hint)?.[1];
    const known = host === undefined ? -1 : lookupHost(host);
    if (known >= 0 || isUrl || !plainName.test(hint)) return known;
    return register(hint);
  }

  return {
    names,
    intern: (service) => exact.get(service) ?? register(service),
    resolvePeer(hint, isUrl) {
      const cache = isUrl ? caches.url : caches.name;
      const cached = cache.get(hint);
      if (cached !== undefined && (cached >= 0 || -cached - 1 === names.length)) return cached >= 0 ? cached : -1;
      const index = resolve(hint, isUrl);
      // URLs carry ids, so the cache would grow with the input; starting over keeps memory flat.
      if (cache.size >= cacheLimit) cache.clear();
      cache.set(hint, index >= 0 ? index : -names.length - 1);
      return index;
    },
  };
}

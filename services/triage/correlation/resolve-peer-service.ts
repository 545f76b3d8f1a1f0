const urlHost = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(\[[^\]]*\]|[^/:?#]+)/i;
const bareHost = /^([a-z0-9][a-z0-9_.-]*)(?::\d+)?(?:[/?#]|$)/i;
const serviceSuffix = /-(?:svc|service|api)$/;
const plainName = /^[a-z][a-z0-9_-]*$/i;
const cacheLimit = 10_000;

/**
 * Maps a peer hint (`peer.service`, `upstream`, a URL) to the index of a service, or -1.
 * Hosts match on the whole host or its first label (`inventory.prod.svc.cluster.local`, `inventory-svc:8080`),
 * because in-cluster DNS names carry the service name first. A plain name given as a peer service is a
 * service even if it never logs (a database, a crashed service), so it is appended to `services`; URLs
 * and addresses of unknown hosts are ignored rather than invented as services.
 */
export function createPeerServiceResolver(services: string[]): (hint: string, isUrl: boolean) => number {
  const byName = new Map<string, number>();
  services.forEach((service, index) => byName.set(service.toLowerCase(), index));
  const cache = new Map<string, number>();

  function lookupHost(host: string): number {
    const lower = host.toLowerCase();
    const exact = byName.get(lower);
    if (exact !== undefined) return exact;
    const label = lower.split('.')[0] ?? lower;
    return byName.get(label) ?? byName.get(label.replace(serviceSuffix, '')) ?? -1;
  }

  function resolve(hint: string, isUrl: boolean): number {
    if (!isUrl) {
      const direct = byName.get(hint.toLowerCase());
      if (direct !== undefined) return direct;
    }
    const host = urlHost.exec(hint)?.[1] ?? bareHost.exec(hint)?.[1];
    const known = host === undefined ? -1 : lookupHost(host);
    if (known >= 0 || isUrl || !plainName.test(hint)) return known;
    byName.set(hint.toLowerCase(), services.length);
    return services.push(hint) - 1;
  }

  return (hint, isUrl) => {
    const key = isUrl ? `u${hint}` : `s${hint}`;
    let index = cache.get(key);
    if (index === undefined) {
      index = resolve(hint, isUrl);
      // URLs carry ids, so the cache would grow with the input; starting over keeps memory flat.
      if (cache.size >= cacheLimit) cache.clear();
      cache.set(key, index);
    }
    return index;
  };
}

import v8 from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for the server process. V8 allocates objects straight
 * into the old generation from allocation sites whose objects mostly survived young collections. A
 * delivery's objects live for its few milliseconds in flight, often long enough to survive one, so
 * sites on the request path get pretenured, and from then on every request fills old space. At
 * 1,000 deliveries/s on Kafka with every role, the HTTP thread of a fresh `nightshift start` ran 5-6
 * full (mark-compact) collections a second, of 4-12 ms each, its old space growing by about 10 MB
 * between them; without pretenuring it ran 4-5 young collections a second of at most 5 ms, and no
 * full one (--trace-gc, one machine). The flag is process-wide: it covers the worker threads too.
 */
export function preferYoungCollections(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}

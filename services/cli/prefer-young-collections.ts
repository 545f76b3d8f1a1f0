import v8 from 'node:v8';

/**
 * Turns off V8's allocation-site pretenuring for the server process. V8 allocates objects straight
 * into the old generation from allocation sites whose objects mostly survived young collections. A
 * delivery's objects live for its few milliseconds in flight, which is long enough to survive one
 * when the rate is low, so sites get pretenured during start-up and keep allocating per request in
 * old space afterwards. At 1,000 deliveries/s on Kafka with every role, the HTTP thread then ran 5-6
 * full (mark-compact) collections a second, of 4-12 ms each, between which its old space grew by
 * about 10 MB; without pretenuring it ran 4-5 young collections a second of at most 5 ms, and no
 * full one (bench/ingest, --trace-gc). The flag is process-wide, so it covers the worker threads too.
 */
export function preferYoungCollections(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}

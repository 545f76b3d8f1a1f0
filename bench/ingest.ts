// Ingest throughput and latency: signed Sentry webhooks over loopback at `bin/nightshift start`
// (embedded bus, and Kafka when NIGHTSHIFT_KAFKA_BROKERS is set), against a bare express app
// answering 202 measured in the same run. Afterwards the server is SIGKILLed and every accepted
// delivery must be found, once, among the alert events stored on the bus and in the ledger.
//
// Run: npm run build && npm run bench:ingest
//   NIGHTSHIFT_KAFKA_BROKERS=127.0.0.1:19092  also run the Kafka bus (`bash scripts/kafka.sh start`)
//   BENCH_CONCURRENCY=128 BENCH_SECONDS=10    saturation: fixed concurrency, keep-alive
//   BENCH_RATE=1000 BENCH_RATE_SECONDS=10     fixed rate (open loop)
//   BENCH_WARMUP_SECONDS=5                    at the fixed rate first, unmeasured: a fresh server is slow for its
//                                             first 2-3 s (JIT in every thread, the SQLite logs growing to size)
//   BENCH_ROLES=ingest                        only these roles (default: all, like `nightshift start`)
//   BENCH_WORKERS=2                           `--workers 2` (needs BENCH_ROLES=ingest); bare express then also runs 2 processes
//   BENCH_RECEIVE_THREADS=0                   `ingest.receiveThreads` (default: one per core beyond the first, at most 4)
//   BENCH_LOG_LEVEL=info                      the server's log level (default info, its default)
//   BENCH_BUSES=embedded,kafka                which buses to run (Kafka only with brokers)
//   BENCH_SERVER_LOG=/tmp/server.log          keep what the servers wrote
//   BENCH_BROKER_GC_LOG=<file>                the broker's GC log, whose pauses over the fixed-rate run are printed
//                                             (default: the one of the broker scripts/kafka.sh started, while it runs)
//   BENCH_SERVER_NODE_OPTIONS='--import /tmp/probe.mjs'  NODE_OPTIONS for the Nightshift server only: a preload that
//                                             samples GC or profiles through node:inspector (--cpu-prof is refused in
//                                             NODE_OPTIONS, and a SIGKILLed server would not write its profile anyway)
//   BENCH_DRIVER=undici                       the load driver: undici's Pool, or node-http (Node's http.Agent, heavier)
//   BENCH_ROUNDS=3                            repeat everything; the targets are judged on the medians
//   BENCH_BROKER_WARMUP_SECONDS=60            before the first Kafka round, Nightshift on Kafka at the fixed rate, unmeasured,
//                                             so that the broker has compiled its hot paths (0: skip)
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDiskFlushProbe, type DiskFlushes } from './ingest-disk-probe.js';
import { runAtConcurrency, runAtRate, summarise, type DriverName, type LoadResult, type LoadSummary } from './ingest-load.js';
import { deleteKafkaTopics, findLedgerMismatches, readEmbeddedAlertIds, readKafkaAlertIds, warmGroupCoordinator } from './ingest-read-back.js';
import { createSentryDeliveries, type SignedDelivery } from './ingest-sentry-deliveries.js';
import { describeBrokerPauses, markBrokerGcLog } from './ingest-broker-gc.js';
import { describeHttpThreadGc, describeServerLatencies, readServerLatencies } from './ingest-server-metrics.js';
import { startBareExpressTarget, startNightshiftTarget, type RunningTarget } from './ingest-targets.js';
import { tempDir } from '../tests/helpers/wait.js';

function parseDriver(name: string): DriverName {
  if (name === 'undici' || name === 'node-http') return name;
  throw new Error(`BENCH_DRIVER=${name}: expected undici or node-http`);
}

const settings = {
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 128),
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  rate: Number(process.env.BENCH_RATE ?? 1000),
  rateSeconds: Number(process.env.BENCH_RATE_SECONDS ?? 10),
  warmupSeconds: Number(process.env.BENCH_WARMUP_SECONDS ?? 5),
  roles: (process.env.BENCH_ROLES ?? '').split(',').map((r) => r.trim()).filter(Boolean),
  logLevel: process.env.BENCH_LOG_LEVEL ?? 'info',
  workers: Number(process.env.BENCH_WORKERS ?? 1),
  receiveThreads: process.env.BENCH_RECEIVE_THREADS === undefined ? undefined : Number(process.env.BENCH_RECEIVE_THREADS),
  kafkaBrokers: process.env.NIGHTSHIFT_KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean),
  buses: (process.env.BENCH_BUSES ?? 'embedded,kafka').split(',').map((b) => b.trim()),
  rounds: Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3)),
  brokerWarmupSeconds: Number(process.env.BENCH_BROKER_WARMUP_SECONDS ?? 60),
  driver: parseDriver(process.env.BENCH_DRIVER ?? 'undici'),
};
const clientSecret = randomBytes(32).toString('hex');

interface Measured {
  name: string;
  saturation: LoadSummary;
  atRate: LoadSummary;
  driverCpu: number;
  /** Server CPU time per accepted delivery at saturation, in microseconds. */
  serverCpuUs: number;
  logBytes: number;
  /** Delivery id → event id of every 202 (warm-up included): what must be stored. */
  accepted: Map<string, string>;
  /** The server's own publish and produce latencies over the fixed-rate run, where it has /metrics. */
  serverLatencies: string | undefined;
  /** At the fixed rate, the HTTP thread's time on a CPU and waiting for one, per answered request, in microseconds (Linux, one process). */
  httpThreadUs: { run: number; wait: number } | undefined;
  /** The disk's flush latencies during the fixed-rate run, probed beside a target that writes nothing. */
  diskFlushes: DiskFlushes | undefined;
  /** The HTTP thread's GC pauses over the fixed-rate run (its /metrics; one process). */
  httpThreadGc: string | undefined;
  /** The broker's GC pauses over the fixed-rate run, where its GC log is known (a broker scripts/kafka.sh started). */
  brokerPauses: string | undefined;
}

/** Warm-up, the fixed-rate run, then saturation (last: it leaves the triage consumer a backlog). */
async function measure(name: string, target: RunningTarget, { probeDisk = false, onKafka = false } = {}): Promise<Measured> {
  const accepted = new Map<string, string>();
  const onAccepted = (delivery: SignedDelivery, body: string) => {
    const answer = JSON.parse(body) as { eventId: string | null; duplicate: boolean };
    accepted.set(delivery.deliveryId, answer.eventId ?? '(none)');
  };
  const load = { url: target.url, next: createSentryDeliveries(clientSecret), onAccepted };
  const warmUp = runAtRate(load, { rate: settings.rate, durationMs: settings.warmupSeconds * 1000, driver: settings.driver });
  // A server's first /metrics scrape costs its HTTP thread several times a later one (18 against 4 ms
  // on Kafka, code run for the first time), and the requests queued behind it were the first of the
  // measured run. Scraped once halfway through the warm-up, the reading before the run is an ordinary one.
  await sleep((settings.warmupSeconds * 1000) / 2);
  await readServerLatencies(target.url);
  await warmUp;
  const latenciesBefore = await readServerLatencies(target.url);
  const schedBefore = target.mainThreadSchedstat();
  const diskProbe = probeDisk ? await startDiskFlushProbe() : undefined;
  const brokerGcLog = onKafka ? await markBrokerGcLog() : undefined;
  const atRate = await runAtRate(load, { rate: settings.rate, durationMs: settings.rateSeconds * 1000, driver: settings.driver });
  const schedAfter = target.mainThreadSchedstat();
  const diskFlushes = await diskProbe?.stop();
  const brokerPauses = await brokerGcLog?.read();
  const latenciesAfter = await readServerLatencies(target.url);
  const serverLatencies = describeServerLatencies(latenciesBefore, latenciesAfter);
  // With --workers the main thread is the primary's, which serves no request.
  const answered = atRate.latenciesMs.length;
  const httpThreadUs =
    schedBefore && schedAfter && settings.workers === 1 && answered > 0
      ? { run: (schedAfter.runNs - schedBefore.runNs) / 1000 / answered, wait: (schedAfter.waitNs - schedBefore.waitNs) / 1000 / answered }
      : undefined;
  const cpuBefore = process.cpuUsage();
  const serverCpuBefore = target.cpuSeconds();
  const saturation: LoadResult = await runAtConcurrency(load, { concurrency: settings.concurrency, durationMs: settings.seconds * 1000, driver: settings.driver });
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpu = target.cpuSeconds() - serverCpuBefore;
  return {
    name,
    saturation: summarise(saturation),
    atRate: summarise(atRate),
    driverCpu: (cpu.user + cpu.system) / 1000 / saturation.elapsedMs,
    serverCpuUs: (serverCpu * 1e6) / saturation.accepted,
    logBytes: target.logBytes(),
    accepted,
    serverLatencies,
    httpThreadUs,
    diskFlushes,
    // With --workers, /metrics is the primary's and the workers' GC summed: no one HTTP thread's.
    httpThreadGc: settings.workers === 1 ? describeHttpThreadGc(latenciesBefore, latenciesAfter) : undefined,
    brokerPauses: brokerPauses && describeBrokerPauses(brokerPauses),
  };
}

/** Every accepted delivery's event stored exactly once on the bus, nothing else there, and each in the ledger. */
function describeStored(accepted: Map<string, string>, storedIds: string[], ledgerMismatches: number): { ok: boolean; text: string } {
  const stored = new Set(storedIds);
  const expected = new Set(accepted.values());
  const missing = [...expected].filter((id) => !stored.has(id)).length;
  const unexpected = [...stored].filter((id) => !expected.has(id)).length;
  const copies = storedIds.length - stored.size;
  const ok = missing === 0 && unexpected === 0 && copies === 0 && ledgerMismatches === 0 && expected.size === accepted.size;
  const text =
    `${accepted.size} accepted, ${storedIds.length} alert events stored on the bus ` +
    `(${missing} missing, ${unexpected} never acknowledged, ${copies} duplicate copies), ${ledgerMismatches} missing from the ledger`;
  return { ok, text };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-').padStart(8);

function printRow(m: Measured, baselinePerSecond: number) {
  const ratio = m.saturation.acceptedPerSecond / baselinePerSecond;
  console.log(
    `${m.name.padEnd(26)}${fmt(m.saturation.acceptedPerSecond, 0)}/s${fmt(m.saturation.p50Ms)}${fmt(m.saturation.p99Ms)}${fmt(ratio, 2)}  ` +
      `| ${fmt(m.atRate.acceptedPerSecond, 0)}/s${fmt(m.atRate.p50Ms)}${fmt(m.atRate.p99Ms)}  | ${fmt(m.serverCpuUs, 0)} µs ${(m.driverCpu * 100).toFixed(0).padStart(3)}%  ${m.logBytes} B`,
  );
  for (const [what, s] of [['saturation', m.saturation], ['fixed rate', m.atRate]] as const) {
    if (s.failures !== 'none') console.log(`  ${what} failures: ${s.failures}`);
  }
  // Keep-alive at work: a run should open about as many connections as it has concurrent senders.
  console.log(`  connections opened: ${m.saturation.connections} at saturation, ${m.atRate.connections} at the fixed rate`);
  // The driver shares the machine too: a request it sends late counts from when it was due (see runAtRate).
  const late = m.atRate.issuedLate;
  if (late) {
    console.log(
      `  at the fixed rate, the driver sent requests p99 ${late.p99Ms.toFixed(1)} ms (at most ${late.maxMs.toFixed(1)} ms) after they were due, ` +
        `${late.over5Ms} over 5 ms late; p99 counted from when sent: ${m.atRate.p99FromSentMs.toFixed(1)} ms`,
    );
  }
  if (m.serverLatencies) console.log(`  at the fixed rate, the server's own histograms: ${m.serverLatencies}`);
  const disk = m.diskFlushes;
  if (disk) {
    console.log(
      `  at the fixed rate, the disk (4 KiB fdatasync'd every 5 ms beside this target, which writes nothing): p99 ${disk.p99Ms.toFixed(1)} ms, ` +
        `at most ${disk.maxMs.toFixed(1)} ms, ${disk.over25Ms} of ${disk.count} over 25 ms`,
    );
  }
  // Pauses a request waits out: the HTTP thread's own collections, and on Kafka the broker's (every produce waits for it).
  const pauses = [m.httpThreadGc && `the HTTP thread's ${m.httpThreadGc}`, m.brokerPauses && `the broker's (its GC log): ${m.brokerPauses}`].filter(Boolean);
  if (pauses.length > 0) console.log(`  at the fixed rate, GC pauses: ${pauses.join('; ')}`);
  // Time waiting for a CPU is preemption: on a machine shared with the driver (and the broker), the tail's usual cause.
  if (m.httpThreadUs) console.log(`  at the fixed rate, the HTTP thread per request: ${m.httpThreadUs.run.toFixed(0)} µs on a CPU, ${m.httpThreadUs.wait.toFixed(0)} µs runnable but waiting for one`);
}

function startNightshift(dir: string, topicPrefix: string, kafkaBrokers: string[] | undefined): ReturnType<typeof startNightshiftTarget> {
  const receiveThreads = settings.receiveThreads === undefined ? {} : { receiveThreads: settings.receiveThreads };
  return startNightshiftTarget({ dir, clientSecret, topicPrefix, roles: settings.roles, logLevel: settings.logLevel, workers: settings.workers, ...receiveThreads, ...(kafkaBrokers ? { kafkaBrokers } : {}) });
}

/**
 * Nightshift on Kafka at the fixed rate, unmeasured, in a server and topics of its own. A broker just
 * started runs Kafka's hot paths interpreted while its JIT compiles them, which takes CPU from everything
 * else on the machine: after a fresh start, it used 12.8 s of CPU in the first run of this bench (6.0 s
 * in its compiler threads) and 8.2 s in the second, against 4.9-5.4 s once warm, and the first run's p99
 * measured the broker's start-up. A production broker has long been warm.
 */
async function warmBroker(kafkaBrokers: string[]): Promise<void> {
  const dir = await tempDir('nightshift-bench-broker-warm-up-');
  const topicPrefix = `bench-warm-up-${randomBytes(4).toString('hex')}.`;
  try {
    const target = await startNightshift(dir.path, topicPrefix, kafkaBrokers);
    try {
      await runAtRate({ url: target.url, next: createSentryDeliveries(clientSecret), onAccepted: () => {} }, { rate: settings.rate, durationMs: settings.brokerWarmupSeconds * 1000, driver: settings.driver });
    } finally {
      await target.kill();
    }
    await deleteKafkaTopics(kafkaBrokers, topicPrefix);
  } finally {
    await dir.cleanup();
  }
}

async function benchNightshift(bus: 'embedded' | 'kafka'): Promise<{ measured: Measured; stored: { ok: boolean; text: string } }> {
  const dir = await tempDir('nightshift-bench-ingest-');
  try {
    const topicPrefix = `bench-${randomBytes(4).toString('hex')}.`;
    const kafkaBrokers = bus === 'kafka' ? settings.kafkaBrokers : undefined;
    const target = await startNightshift(dir.path, topicPrefix, kafkaBrokers);
    let measured: Measured;
    try {
      measured = await measure(`nightshift, ${bus} bus${workersLabel}`, target, { onKafka: bus === 'kafka' });
    } finally {
      await target.kill();
    }
    const storedIds = kafkaBrokers ? await readKafkaAlertIds(kafkaBrokers, topicPrefix) : readEmbeddedAlertIds(target.dataDir);
    if (kafkaBrokers) await deleteKafkaTopics(kafkaBrokers, topicPrefix);
    const ledger = await findLedgerMismatches(target.dataDir, measured.accepted);
    return { measured, stored: describeStored(measured.accepted, storedIds, ledger) };
  } finally {
    await dir.cleanup();
  }
}

const roles = (settings.roles.length ? settings.roles.join(',') : 'all roles') + (settings.receiveThreads === undefined ? '' : `, ${settings.receiveThreads} receive threads`);
const workersLabel = settings.workers > 1 ? ` ×${settings.workers}` : '';
console.log(`bench/ingest: signed Sentry webhooks over loopback keep-alive; nightshift start (${roles}${workersLabel}, log level ${settings.logLevel})`);
console.log(`saturation: ${settings.concurrency} concurrent, ${settings.seconds} s; fixed rate: ${settings.rate}/s, ${settings.rateSeconds} s (after a ${settings.warmupSeconds} s warm-up at that rate)\n`);
console.log('columns: saturation (accepted/s, p50, p99, ratio to the bare express runs just before and after) | fixed rate');
console.log('(accepted/s, p50, p99) | server CPU per accepted delivery at saturation (all its threads), the load driver\'s');
console.log('CPU, bytes the server logged over the whole run\n');
console.log(`${''.padEnd(26)}  accepted   p50 ms   p99 ms    ratio  |  at rate   p50 ms   p99 ms  |   server  driver  logs`);

async function benchBareExpress(): Promise<Measured> {
  const bare = await startBareExpressTarget(settings.workers);
  try {
    return await measure(`bare express (202)${workersLabel}`, bare, { probeDisk: true });
  } finally {
    await bare.kill();
  }
}

// The baseline is measured before and after each Nightshift run, and the ratio taken to their mean,
// so that a machine getting busier or quieter during the run skews the ratio less. Rounds repeat the
// whole sequence, and the targets are judged on the medians: on a shared machine a single run swings
// by a third, which is more than the margin any change here is worth.
interface Round {
  measured: Measured;
  stored: { ok: boolean; text: string };
  ratio: number;
}
const rounds = new Map<string, Round[]>();
if (settings.buses.includes('kafka') && settings.kafkaBrokers?.length) {
  await warmGroupCoordinator(settings.kafkaBrokers);
  if (settings.brokerWarmupSeconds > 0) {
    console.log(`(the broker is warmed first: Nightshift on Kafka at ${settings.rate}/s for ${settings.brokerWarmupSeconds} s, unmeasured)\n`);
    await warmBroker(settings.kafkaBrokers);
  }
}
let before = await benchBareExpress();
printRow(before, before.saturation.acceptedPerSecond);
const diskMaxima = [before.diskFlushes?.maxMs ?? Number.NaN];
for (let round = 1; round <= settings.rounds; round++) {
  if (settings.rounds > 1) console.log(`round ${round} of ${settings.rounds}`);
  for (const bus of ['embedded', 'kafka'] as const) {
    if (!settings.buses.includes(bus)) continue;
    if (bus === 'kafka' && !settings.kafkaBrokers?.length) {
      if (round === 1) console.log('nightshift, kafka bus      skipped: set NIGHTSHIFT_KAFKA_BROKERS (e.g. from `bash scripts/kafka.sh start`)');
      continue;
    }
    const { measured, stored } = await benchNightshift(bus);
    const after = await benchBareExpress();
    const baseline = (before.saturation.acceptedPerSecond + after.saturation.acceptedPerSecond) / 2;
    printRow(measured, baseline);
    printRow(after, after.saturation.acceptedPerSecond);
    diskMaxima.push(after.diskFlushes?.maxMs ?? Number.NaN);
    measured.accepted.clear(); // read back already: the next rounds need the memory, not the ids
    const runs = rounds.get(measured.name) ?? [];
    runs.push({ measured, stored, ratio: measured.saturation.acceptedPerSecond / baseline });
    rounds.set(measured.name, runs);
    before = after;
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const list = (values: number[], digits: number) => values.map((v) => v.toFixed(digits)).join(', ');

console.log('\nafter SIGKILL of the server, read back from the bus and the ledger:');
for (const [name, runs] of rounds) for (const { stored } of runs) console.log(`  ${name}: ${stored.ok ? 'OK' : 'LOST OR DUPLICATED ALERTS'}: ${stored.text}`);
console.log(`\ntargets (median of ${settings.rounds} round${settings.rounds > 1 ? 's' : ''}): accepted/s >= 0.5x bare express at saturation; p99 < 25 ms at the fixed rate`);
for (const [name, runs] of rounds) {
  const ratios = runs.map((r) => r.ratio);
  const p99s = runs.map((r) => r.measured.atRate.p99Ms);
  const ratio = median(ratios);
  const p99 = median(p99s);
  const failed = runs.filter((r) => r.measured.atRate.failures !== 'none').length;
  const rateOk = p99 < 25 && failed === 0;
  console.log(
    `  ${name}: throughput ${ratio >= 0.5 ? 'met' : 'MISSED'} (${ratio.toFixed(2)}x; rounds ${list(ratios, 2)}), ` +
      `latency ${rateOk ? 'met' : 'MISSED'} (p99 ${p99.toFixed(1)} ms; rounds ${list(p99s, 1)}${failed ? `; ${failed} with failed requests` : ''})`,
  );
}
// A durable acknowledgement waits for a flush: where the disk stalls, the embedded bus's p99 cannot be better.
console.log(`  the disk's slowest fdatasync beside each bare express run: ${list(diskMaxima, 1)} ms`);
if ([...rounds.values()].flat().some((r) => !r.stored.ok)) process.exitCode = 1;

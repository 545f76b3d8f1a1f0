/**
 * Work a client is waiting for (HTTP requests) in this process, so that background work (bus
 * consumers) can give way to it. Process-wide: the HTTP server and the bus are built apart, and
 * the consumers may run in another thread (see startConsumerThread), so the counts live in shared
 * memory that a thread can adopt.
 */
export interface ForegroundState {
  /** [0]: requests in flight. */
  inFlight: Int32Array;
  /** [0]: when the last one started, in ms since the epoch (threads have different `performance.now()` origins). */
  lastStarted: Float64Array;
}

function createState(): ForegroundState {
  const lastStarted = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  lastStarted[0] = Number.NEGATIVE_INFINITY;
  return { inFlight: new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT)), lastStarted };
}

let state = createState();

/** How long after the last request started the process still counts as serving a stream of them. */
const STREAM_GAP_MS = 20;

const epochMs = (now: number) => performance.timeOrigin + now;

/** This thread's counts, to hand to another thread (they are shared, not copied). */
export function shareForegroundWork(): ForegroundState {
  return state;
}

/** In another thread: count the foreground work of the thread that shared its state. */
export function adoptForegroundWork(shared: ForegroundState): void {
  state = shared;
}

/** Marks one piece of foreground work begun; call the returned function once when it ends. */
export function beginForegroundWork(): () => void {
  Atomics.add(state.inFlight, 0, 1);
  state.lastStarted[0] = epochMs(performance.now());
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    Atomics.sub(state.inFlight, 0, 1);
  };
}

/** Foreground work in flight now: more than a few means requests are queueing for the loop. */
export function foregroundInFlight(): number {
  return Atomics.load(state.inFlight, 0);
}

/** True while foreground work runs or arrived moments ago (a steady stream has short gaps). */
export function foregroundBusy(now = performance.now()): boolean {
  return foregroundInFlight() > 0 || epochMs(now) - state.lastStarted[0]! < STREAM_GAP_MS;
}

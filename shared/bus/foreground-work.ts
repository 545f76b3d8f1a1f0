/**
 * Work a client is waiting for (HTTP requests) in this process, so that background work (the
 * embedded bus's consumers) can give way to it. Process-wide: the HTTP server and the bus are
 * built apart, and there is one event loop to share.
 */
let inFlight = 0;
let lastStarted = Number.NEGATIVE_INFINITY;

/** How long after the last request started the process still counts as serving a stream of them. */
const STREAM_GAP_MS = 20;

/** Marks one piece of foreground work begun; call the returned function once when it ends. */
export function beginForegroundWork(): () => void {
  inFlight += 1;
  lastStarted = performance.now();
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight -= 1;
  };
}

/** Foreground work in flight now: more than a few means requests are queueing for the loop. */
export function foregroundInFlight(): number {
  return inFlight;
}

/** True while foreground work runs or arrived moments ago (a steady stream has short gaps). */
export function foregroundBusy(now = performance.now()): boolean {
  return inFlight > 0 || now - lastStarted < STREAM_GAP_MS;
}

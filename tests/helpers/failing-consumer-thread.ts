// A consumer thread (see startConsumerThread) that starts, writes one log line, and then fails
// with an exception nothing catches, as a bug in a role's handler would.
import { parentPort } from 'node:worker_threads';
import type { FromConsumerThread } from '../../services/runtime/consumer-thread/consumer-thread-messages.js';

const send = (message: FromConsumerThread) => parentPort!.postMessage(message);
send({ type: 'log', line: `${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, hostname: 'here', thread: 'consumers', msg: 'about to fail' })}\n` });
send({ type: 'started' });
setTimeout(() => {
  throw new Error('the consumer thread failed on purpose');
}, 20);

'use strict';
// Preloaded (node --require) into each sample service the demo starts, which it spawns with an IPC channel:
// when the demo exits — even on SIGKILL, when no cleanup of its own can run — the channel disconnects and
// the service exits instead of lingering on its port. (Not stdin: a flowing stdin hangs @sentry/node's init
// on Node 20 while it registers its module hooks.)
process.on('disconnect', () => process.exit(0));

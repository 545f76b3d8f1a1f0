import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';

/** What of the host a sandboxed step sees, read-only: enough to run node, sh and the usual tools. */
export interface HostLayout {
  /** Directories bound read-only at the same path. */
  directories: string[];
  /** Top-level links such as `/bin -> usr/bin` on merged-/usr systems, recreated inside. */
  symlinks: Array<{ path: string; target: string }>;
  /** Files and directories under /etc a process needs (users, hosts, TLS roots) — not shadow, not secrets. */
  etc: string[];
  /** Device nodes bound from the host. */
  devices: string[];
  /** PATH inside the sandbox: node's own directory first. */
  path: string;
}

const TOP_LEVEL = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
const ETC_ENTRIES = [
  '/etc/passwd',
  '/etc/group',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/localtime',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/alternatives',
  '/etc/ssl',
  '/etc/ca-certificates',
];
const DEVICES = ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom'];

/** Reads the host's layout once; `nodeExecPath` is the node that runs Nightshift (and the steps). */
export function readHostLayout(nodeExecPath = process.execPath): HostLayout {
  const directories: string[] = [];
  const symlinks: Array<{ path: string; target: string }> = [];
  for (const path of TOP_LEVEL) {
    if (!existsSync(path)) continue;
    if (lstatSync(path).isSymbolicLink()) symlinks.push({ path, target: readlinkSync(path) });
    else directories.push(path);
  }
  // A node installed outside /usr (nvm, /opt/node) is bound at its own prefix.
  const nodeBin = dirname(nodeExecPath);
  const nodePrefix = dirname(nodeBin);
  if (!['/usr', '/'].some((root) => nodePrefix === root || nodePrefix.startsWith('/usr/'))) {
    directories.push(nodePrefix);
  }
  const path = [...new Set([nodeBin, '/usr/local/bin', '/usr/bin', '/bin'])].join(':');
  return {
    directories,
    symlinks,
    etc: ETC_ENTRIES.filter((entry) => existsSync(entry)),
    devices: DEVICES.filter((device) => existsSync(device)),
    path,
  };
}

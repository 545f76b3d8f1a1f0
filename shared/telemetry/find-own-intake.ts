import { hostname, networkInterfaces } from 'node:os';

/** Where this Nightshift listens and which DSN keys its own Sentry intake accepts. */
export interface OwnIntake {
  host: string;
  port: number;
  dsnKeys: readonly { projectId: string; publicKey: string }[];
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Every name this machine answers to: the listen host, its host name, loopback and (for a wildcard) every interface. */
function ownHosts(listenHost: string): Set<string> {
  const hosts = new Set([listenHost.toLowerCase(), hostname().toLowerCase()]);
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) hosts.add(address.address.toLowerCase());
  }
  return hosts;
}

/**
 * Why `dsn` would send Nightshift's own errors into its own intake, or undefined when it would not.
 * Such a DSN makes a loop: an error while handling an envelope becomes an envelope. Caught by address
 * (same port on a local name, loopback or interface) and by key (the DSN's key is one the intake
 * accepts, which also catches a DSN that reaches us through a load balancer or Service name).
 */
export function findOwnIntake(dsn: string, own: OwnIntake): string | undefined {
  const url = new URL(dsn);
  const projectId = url.pathname.split('/').filter(Boolean).at(-1) ?? '';
  const publicKey = decodeURIComponent(url.username);
  if (own.dsnKeys.some((key) => key.projectId === projectId && key.publicKey === publicKey)) {
    return `its project ${projectId} and key are in ingest.sentry.dsnKeys, so it names Nightshift's own intake`;
  }
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (port === own.port && (isLoopback(host) || ownHosts(own.host).has(host))) {
    return `${host}:${port} is Nightshift's own server address`;
  }
  return undefined;
}

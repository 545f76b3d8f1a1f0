import { installationEvent } from './github-payload-schemas.js';
import { readForgeCommon, type ForgeReading } from './read-forge-common.js';

/** An `installation` delivery (created, deleted, suspend, …): every action changes what Nightshift may touch. */
export function readInstallationEvent(body: unknown, deliveryId: string): ForgeReading {
  const parsed = installationEvent.safeParse(body);
  if (!parsed.success) return { ok: false, error: parsed.error };
  const { id, account } = parsed.data.installation;
  return {
    ok: true,
    event: {
      key: `installation:${id}`,
      payload: {
        ...readForgeCommon(parsed.data, deliveryId),
        kind: 'installation',
        installation: { id, account: account?.login ?? account?.slug ?? account?.name ?? '' },
      },
    },
  };
}

import type { Subscription } from '../../shared/bus/bus.js';
import { bindHandler } from './bind-handler.js';
import type { Role, RoleContext } from './role.js';
import { settleAll } from './settle-all.js';

/** The bus handlers and background work of some roles, running; the consumer thread's handle has the same shape. */
export interface RoleHandlers {
  /** "ok" once every handler is subscribed and the roles' background work started; else what it waits for. */
  status(): string;
  /** Settles when everything started, or rejects (having stopped what had started) when something could not. */
  started: Promise<void>;
  /** Stops the background work, lets in-flight handlers finish and commit, and leaves the groups. */
  stop(): Promise<void>;
}

/**
 * Subscribes every handler of the roles, all at once so that consumer group joins wait in parallel,
 * then starts the roles' background work. `onStatus` hears each change of `status()`.
 */
export function startRoleHandlers(
  roles: Role[],
  ctx: RoleContext,
  { onStatus = () => {} }: { onStatus?: (status: string) => void } = {},
): RoleHandlers {
  const bindings = roles.flatMap((role) => role.handlers);
  const subscriptions: Subscription[] = [];
  const stops: (() => void)[] = [];
  let status = `joining (0 of ${bindings.length} subscribed)`;
  const setStatus = (next: string) => {
    status = next;
    onStatus(next);
  };
  const stop = async () => {
    for (const stopRole of stops.splice(0)) stopRole();
    await settleAll(subscriptions.splice(0).map((subscription) => subscription.stop()));
  };

  const started = (async () => {
    try {
      await settleAll(
        bindings.map(async (binding) => {
          subscriptions.push(await bindHandler(binding, ctx));
          if (subscriptions.length < bindings.length) setStatus(`joining (${subscriptions.length} of ${bindings.length} subscribed)`);
        }),
      );
    } catch (error) {
      await stop().catch(() => {});
      throw error;
    }
    for (const role of roles) if (role.start) stops.push(role.start(ctx));
    setStatus('ok');
  })();
  return { status: () => status, started, stop };
}

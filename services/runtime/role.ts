import type { Router } from 'express';
import type { Logger } from 'pino';
import type { NightshiftConfig } from '../../shared/config/index.js';
import type { Metrics } from '../../shared/telemetry/create-metrics.js';
import type { Bus } from '../../shared/bus/bus.js';
import type { Store } from '../../shared/store/store.js';
import type { HandlerBinding } from './bind-handler.js';

export const roleNames = ['ingest', 'triage', 'fixer', 'verifier', 'console'] as const;
export type RoleName = (typeof roleNames)[number];

export interface RoleContext {
  bus: Bus;
  store: Store;
  config: NightshiftConfig;
  metrics: Metrics;
  log: Logger;
  now: () => Date;
}

/** What one service role contributes to a process: HTTP routes and bus handlers. */
export interface Role {
  name: RoleName;
  /** Mounted on the process's HTTP server, beside /healthz and /readyz. */
  router?: (ctx: RoleContext) => Router;
  /**
   * Tried before express, on Node's plain request and response (see createHttpApp): for the routes
   * that carry the load. Its handlers get `req.params` from the router and nothing of express's.
   */
  plainRouter?: (ctx: RoleContext) => Router;
  handlers: HandlerBinding[];
  /** Background work of the role (watching files); returns how to stop it. */
  start?: (ctx: RoleContext) => () => void;
}

/**
 * The roles whose work is bus handlers and background jobs, with no HTTP routes: what a consumer
 * thread can take off the HTTP thread (see startConsumerThread).
 */
export const consumingRoles: readonly RoleName[] = ['triage', 'fixer', 'verifier'];

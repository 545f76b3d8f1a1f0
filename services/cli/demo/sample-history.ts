/**
 * The sample shop's history, oldest first: each commit names its author, how long before the demo it
 * landed, and the repository files it writes, each from a template under `sample-system/`. The last
 * commit is the bad deploy: inventory reads stock per warehouse, and a product the default warehouse
 * does not stock crashes it. Its tests still pass, which is how it slipped through review.
 */

export interface SampleAuthor {
  name: string;
  email: string;
}

export interface SampleCommit {
  author: SampleAuthor;
  /** Minutes before the demo starts; the committer date too, as a squash merge would leave it. */
  minutesAgo: number;
  message: string;
  /** Repository path → template path under `sample-system/`. */
  files: Record<string, string>;
}

const alice = { name: 'Alice Moreau', email: 'alice@shop.example' };
const bilal = { name: 'Bilal Okafor', email: 'bilal@shop.example' };
const chen = { name: 'Chen Wei', email: 'chen@shop.example' };
const dana = { name: 'Dana Smith', email: 'dana@shop.example' };
const eve = { name: 'Eve Novak', email: 'eve@shop.example' };

const DAY = 24 * 60;

export const SAMPLE_HISTORY: readonly SampleCommit[] = [
  {
    author: alice,
    minutesAgo: 9 * DAY,
    message: 'Initial import: gateway, orders and inventory services',
    files: {
      'package.json': 'package.json',
      'README.md': 'README.md',
      '.gitignore': 'gitignore.txt',
      'lib/observability.js': 'lib/observability.v1.js',
      'services/gateway/server.js': 'services/gateway/server.v1.js',
      'services/orders/server.js': 'services/orders/server.v1.js',
      'services/inventory/server.js': 'services/inventory/server.v1.js',
      'test/orders.test.js': 'test/orders.v1.test.js',
      'test/inventory.test.js': 'test/inventory.test.js',
    },
  },
  {
    author: bilal,
    minutesAgo: 6 * DAY,
    message: 'orders: 10% volume discount from three items of one product',
    files: { 'services/orders/server.js': 'services/orders/server.v2.js', 'test/orders.test.js': 'test/orders.v2.test.js' },
  },
  {
    author: chen,
    minutesAgo: 4 * DAY,
    message: 'gateway: health check, and 400 for a checkout without a sku',
    files: { 'services/gateway/server.js': 'services/gateway/server.v2.js' },
  },
  {
    author: dana,
    minutesAgo: 2 * DAY,
    message: 'lib: log how long each request took',
    files: { 'lib/observability.js': 'lib/observability.v2.js' },
  },
  {
    author: alice,
    minutesAgo: 5 * 60,
    message: 'inventory: add the grinder and the kettle to the catalogue',
    files: { 'services/inventory/server.js': 'services/inventory/server.v2.js' },
  },
  {
    author: eve,
    minutesAgo: 35,
    message: 'inventory: read stock levels per warehouse, net of reservations',
    files: { 'services/inventory/server.js': 'services/inventory/server.v3.js' },
  },
];

/** The three services: where their code lives, which environment variable names the service they call. */
export const SAMPLE_SERVICES = {
  gateway: { sourceRoot: 'services/gateway', entry: 'services/gateway/server.js', calls: 'orders', upstreamEnv: 'ORDERS_URL' },
  orders: { sourceRoot: 'services/orders', entry: 'services/orders/server.js', calls: 'inventory', upstreamEnv: 'INVENTORY_URL' },
  inventory: { sourceRoot: 'services/inventory', entry: 'services/inventory/server.js', calls: undefined, upstreamEnv: undefined },
} as const;

export type SampleServiceName = keyof typeof SAMPLE_SERVICES;

/** Products the traffic asks for; the default warehouse does not stock the grinder since the bad deploy. */
export const SAMPLE_SKUS = ['espresso-beans', 'grinder', 'kettle'] as const;

/** The request that fails on the guilty commit and answers 200 on its parent, on each service it crosses. */
export const SAMPLE_REGRESSION = {
  gateway: { method: 'GET', path: '/checkout?sku=grinder&qty=1', expectStatus: 200 },
  orders: { method: 'GET', path: '/quote?sku=grinder&qty=1', expectStatus: 200 },
  inventory: { method: 'GET', path: '/stock/grinder', expectStatus: 200 },
} as const;

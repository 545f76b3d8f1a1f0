import { createTestGitRepo, lines } from '../../helpers/git-repo.js';

/** The repository the reliability config maps the alerting service to, and the commit triage must suspect. */
export interface SuspectRepository {
  path: string;
  guiltySha: string;
  /** The fix branches pushed into it so far (`nightshift/<incident id>`). */
  fixBranches(): Promise<string[]>;
  cleanup(): Promise<void>;
}

/** Files of the Sentry fixture's stack (`/app/dist/…`, crash at orders/compute-total.js:27). */
function computeTotal(line27: string): string {
  const padding = Array.from({ length: 22 }, (_, i) => `// pricing note ${i + 1}`);
  return lines(
    "'use strict';",
    '// Sums an order\'s lines after the discount.',
    ...padding,
    'function computeTotal(lines, discount) {',
    '  return lines.reduce((sum, line) => {',
    line27,
    '  }, 0) * (1 - discount);',
    '}',
    'module.exports = { computeTotal };',
  );
}

/**
 * A shop repository whose latest commit (before the fixture's alerts, 2026-11-21T02:47Z) rewrites the
 * line the Sentry fixture crashes on: triage names it, and a revert of it is the fix the rule drafts.
 */
export async function createSuspectRepository(): Promise<SuspectRepository> {
  const repo = await createTestGitRepo();
  await repo.commit({
    message: 'checkout: import the orders service',
    date: new Date('2026-11-19T09:00:00Z'),
    files: {
      'README.md': '# shop\n',
      'http/with-request-context.js': lines("'use strict';", ...Array.from({ length: 15 }, (_, i) => `// context ${i + 1}`), 'module.exports = async (handler, req, res) => {', '    return await handler(req, res);', '};'),
      'orders/checkout-handler.js': lines("'use strict';", ...Array.from({ length: 40 }, (_, i) => `// handler ${i + 1}`), '  const total = computeTotal(order.lines, discount);'),
      'orders/compute-total.js': computeTotal('    return sum + (line.price ? line.price.amount : 0) * line.quantity;'),
    },
  });
  const guiltySha = await repo.commit({
    message: 'orders: drop the price guard in computeTotal',
    date: new Date('2026-11-21T01:30:00Z'),
    author: { name: 'Eve Novak', email: 'eve@shop.example' },
    files: { 'orders/compute-total.js': computeTotal('    return sum + line.price.amount * line.quantity;') },
  });
  const fixBranches = async () => (await repo.git(['for-each-ref', '--format=%(refname:short)', 'refs/heads/nightshift/'])).split('\n').filter(Boolean);
  return { path: repo.path, guiltySha, fixBranches, cleanup: () => repo.cleanup() };
}

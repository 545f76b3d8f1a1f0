import { describe, type TestContext } from 'node:test';
import type { Store } from '../../shared/store/store.js';
import { defineAlertTests } from './store-contract-alerts.js';
import { defineControlTests } from './store-contract-controls.js';
import { defineDeliveryTests, defineFixTests } from './store-contract-fixes.js';
import { createManualClock, type OpenStore } from './store-contract-helpers.js';
import { defineIncidentTests } from './store-contract-incidents.js';
import { defineResolutionTests } from './store-contract-resolution.js';
import { defineTransactionTests } from './store-contract-transactions.js';

export { createManualClock, type ManualClock } from './store-contract-helpers.js';

/** Opens a fresh, empty store for one test and registers its cleanup on `t`; undefined after `t.skip`. */
export type MakeStore = (t: TestContext, clock: () => Date) => Promise<Store | undefined>;

/**
 * The behaviour every Store must have, whatever database is underneath. Each test gets a fresh store
 * from `makeStore` and a manual clock, so timestamps can be asserted exactly.
 */
export function defineStoreContract(name: string, makeStore: MakeStore): void {
  describe(`Store contract: ${name}`, () => {
    const open: OpenStore = async (t) => {
      const clock = createManualClock();
      const store = await makeStore(t, clock);
      return store && { store, clock };
    };
    defineAlertTests(open);
    defineIncidentTests(open);
    defineFixTests(open);
    defineDeliveryTests(open);
    defineTransactionTests(open);
    defineControlTests(open);
    defineResolutionTests(open);
  });
}

export { createRevertStrategy, type CreateRevertStrategyOptions } from './create-revert-strategy.js';

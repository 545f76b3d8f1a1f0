import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLlmBudget, MAX_COMPLETION_TOKENS } from '../../services/fixer/strategies/llm/create-llm-budget.js';
import { resolveLlmModels } from '../../services/fixer/strategies/llm/resolve-llm-models.js';
import { DEFAULT_FIXER_CONFIG } from '../../shared/config/fixer-schema.js';

const model = { id: 'm', inputPerMillion: 2, outputPerMillion: 8 };

describe('the llm budget', () => {
  test('caps each answer at what is left and refuses a call that could not fit a minimal answer', () => {
    const budget = createLlmBudget({ maxTokens: 10_000, maxUsd: 100 });
    assert.deepEqual(budget.allow(model, 1000), { maxCompletionTokens: MAX_COMPLETION_TOKENS });
    budget.record(model, 6000, 1000);
    assert.deepEqual(budget.allow(model, 2000), { maxCompletionTokens: 1000 });
    assert.equal(budget.allow(model, 2900), null);
  });

  test('dollars bound the answer too, priced per model', () => {
    const budget = createLlmBudget({ maxTokens: 1_000_000, maxUsd: 0.01 });
    // $0.01 - 1000 prompt tokens at $2/M leaves $0.008: 1000 output tokens at $8/M.
    assert.deepEqual(budget.allow(model, 1000), { maxCompletionTokens: 1000 });
    budget.record(model, 1000, 1000);
    assert.deepEqual(budget.usage(), [{ model: 'm', promptTokens: 1000, completionTokens: 1000, costUsd: 0.01 }]);
    assert.equal(budget.allow(model, 10), null);
  });

  test('usage is summed per model', () => {
    const budget = createLlmBudget({ maxTokens: 1_000_000, maxUsd: 100 });
    budget.record(model, 10, 1);
    budget.record({ ...model, id: 'other' }, 5, 5);
    budget.record(model, 10, 1);
    assert.deepEqual(budget.usage().map((u) => [u.model, u.promptTokens, u.completionTokens]), [['m', 20, 2], ['other', 5, 5]]);
    assert.deepEqual(budget.spent().tokens, 32);
  });

  test('models resolve through tiers, and an unknown tier or an unpriced model is refused', () => {
    const config = DEFAULT_FIXER_CONFIG.llm;
    const ok = resolveLlmModels(config, 'large');
    assert.ok(ok.ok);
    assert.equal(ok.summary.id, 'gpt-4o-mini');
    assert.equal(ok.patch.id, 'gpt-4o');
    assert.match((resolveLlmModels(config, 'huge') as { reason: string }).reason, /tier "huge" is not in fixer.llm.models/);
    const unpriced = resolveLlmModels({ ...config, models: { ...config.models, large: 'gpt-5' } }, 'large');
    assert.match((unpriced as { reason: string }).reason, /"gpt-5" has no price/);
  });
});

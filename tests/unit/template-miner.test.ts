import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTemplateMiner } from '../../services/triage/templates/create-template-miner.js';
import { extractLogMessage } from '../../services/triage/templates/extract-log-message.js';
import { mergeIntoTemplate, similarity } from '../../services/triage/templates/match-cluster.js';
import { hashTemplateId } from '../../services/triage/templates/hash-template-id.js';
import { defaultTemplateMinerOptions } from '../../services/triage/templates/template-miner-options.js';

test('messages that differ in a variable word merge into one template with <*>', () => {
  const miner = createTemplateMiner();
  const first = miner.add('Invalid user webmaster from 173.234.31.186');
  assert.deepEqual(first, { templateId: first.templateId, template: 'Invalid user webmaster from <*>', isNew: true });
  const second = miner.add('Invalid user chen from 202.100.179.208');
  assert.equal(second.isNew, false);
  assert.equal(second.templateId, first.templateId);
  assert.equal(second.template, 'Invalid user <*> from <*>');
  assert.deepEqual(miner.templates(), [{ templateId: first.templateId, template: 'Invalid user <*> from <*>', count: 2 }]);
});

test('a cluster id is fixed at creation and stays while its template generalises', () => {
  const miner = createTemplateMiner();
  const { templateId } = miner.add('session closed for user alice');
  assert.equal(templateId, hashTemplateId('session closed for user alice'), 'the hash of the first template');
  assert.match(templateId, /^[0-9a-f]{8}$/);
  for (const user of ['bob', 'carol', 'dave']) assert.equal(miner.add(`session closed for user ${user}`).templateId, templateId);
  assert.equal(miner.templateOf(templateId), 'session closed for user <*>');
  assert.equal(miner.templateOf('nope'), undefined);
  // Another miner fed the same first line names the cluster the same.
  assert.equal(createTemplateMiner().add('session closed for user alice').templateId, templateId);
});

test('the parse tree separates token counts and leading tokens before any similarity is computed', () => {
  const miner = createTemplateMiner({ similarityThreshold: 0.1 });
  const a = miner.add('Connection closed by 10.0.0.1 [preauth]');
  const b = miner.add('Connection closed by 10.0.0.2');
  const c = miner.add('cache hit for key users');
  const d = miner.add('cache miss for key users');
  const e = miner.add('Connection closed by 10.0.0.3 [preauth]');
  assert.notEqual(a.templateId, b.templateId, 'different token counts never merge');
  assert.notEqual(c.templateId, d.templateId, 'different second tokens never merge, even at a low threshold');
  assert.equal(e.templateId, a.templateId);
  assert.equal(miner.templates().length, 4);
});

test('a node with maxChildren branches sends further tokens down its wildcard branch', () => {
  const miner = createTemplateMiner({ maxChildren: 3 });
  const [alpha, beta, gamma, delta] = ['alpha', 'beta', 'gamma', 'delta'].map((word) => miner.add(`${word} job finished cleanly`));
  assert.equal(new Set([alpha!.templateId, beta!.templateId, gamma!.templateId]).size, 3);
  assert.equal(delta!.templateId, gamma!.templateId, 'gamma and delta share the wildcard branch, where they merge');
  assert.equal(delta!.template, '<*> job finished cleanly');
});

test('the similarity threshold decides within a leaf: one differing word in three is another event', () => {
  const miner = createTemplateMiner();
  const start = miner.add('cupsd daemon startup succeeded');
  const stop = miner.add('cupsd daemon shutdown failed');
  assert.notEqual(start.templateId, stop.templateId, '2 of 4 tokens agree: below 0.7');
  const loose = createTemplateMiner({ similarityThreshold: 0.5 });
  assert.equal(loose.add('cupsd daemon startup succeeded').templateId, loose.add('cupsd daemon shutdown failed').templateId);
  assert.equal(defaultTemplateMinerOptions.similarityThreshold, 0.7);
});

test('different format fragments at one position are different events', () => {
  const miner = createTemplateMiner();
  const a = miner.add('session opened for user news by (uid=0)');
  const b = miner.add('session opened for user root by LOGIN(uid=0)');
  const c = miner.add('session opened for user cyrus by (uid=509)');
  assert.notEqual(a.templateId, b.templateId);
  assert.equal(c.templateId, a.templateId);
  assert.equal(c.template, 'session opened for user <*> by (uid=<*>)');
  assert.equal(similarity(['uid=<*>'], ['LOGIN(uid=<*>)']).score, -1);
});

test('similarity does not count positions where both sides are masked, and merging only adds wildcards', () => {
  assert.equal(similarity(['a', '<*>', 'b', 'c'], ['a', '<*>', 'b', 'x']).score, 2 / 3);
  assert.equal(similarity(['a', '<*>', 'b'], ['a', 'word', 'b']).score, 2 / 3, 'a generalised position still counts against a constant');
  const template = ['a', '<*>', 'b', 'c'];
  assert.equal(mergeIntoTemplate(template, ['a', 'x', 'b', 'd']), true);
  assert.deepEqual(template, ['a', '<*>', 'b', '<*>']);
  assert.equal(mergeIntoTemplate(template, ['a', 'y', 'b', 'z']), false, 'nothing left to generalise');
});

test('a routing token that takes three values in otherwise alike templates becomes a variable; the oldest id survives', () => {
  const miner = createTemplateMiner();
  const alice = miner.add('User alice logged in from 10.0.0.1');
  const bob = miner.add('User bob logged in from 10.0.0.2');
  assert.notEqual(alice.templateId, bob.templateId, 'two values may be two events');
  const carol = miner.add('User carol logged in from 10.0.0.3');
  assert.deepEqual(carol, { templateId: alice.templateId, template: 'User <*> logged in from <*>', isNew: false });
  assert.equal(miner.resolve(bob.templateId), alice.templateId);
  assert.equal(miner.templateOf(bob.templateId), 'User <*> logged in from <*>');
  assert.equal(miner.resolve('nope'), undefined);
  const dave = miner.add('User dave logged in from 10.0.0.4');
  assert.equal(dave.templateId, alice.templateId);
  assert.equal(miner.add('User alice logged in from 10.0.0.9').templateId, alice.templateId, 'a line seen before follows its cluster into the merge');
  assert.deepEqual(miner.templates(), [{ templateId: alice.templateId, template: 'User <*> logged in from <*>', count: 5 }]);

  // A leaf keeping other clusters of the same length still lets the variable value reach the merged cluster.
  assert.notEqual(miner.add('User erin changed password from 10.0.0.5').templateId, alice.templateId);
  assert.equal(miner.add('User erin logged in from 10.0.0.5').templateId, alice.templateId);
});

test('two values at a routing position stay two events, and short messages never merge that way', () => {
  const miner = createTemplateMiner();
  const ids = ['cupsd startup succeeded', 'cupsd shutdown succeeded', 'cupsd startup succeeded'].map((m) => miner.add(m).templateId);
  assert.notEqual(ids[0], ids[1]);
  assert.equal(ids[0], ids[2]);
  const short = ['isScreenOn true', 'isScreenOn false', 'isScreenOn unknown'].map((m) => miner.add(m).templateId);
  assert.equal(new Set(short).size, 3, 'only the first token is left to compare: too little evidence');
});

test('a masked line always lands where it landed before; empty lines have their own template', () => {
  const miner = createTemplateMiner();
  const ids = ['GET /api/orders/1 200 12ms', 'GET /api/orders/2 500 3ms', '', 'GET /api/orders/3 200 1ms', ''].map((m) => miner.add(m).templateId);
  assert.equal(ids[0], ids[1]);
  assert.equal(ids[0], ids[3]);
  assert.equal(ids[2], ids[4]);
  assert.notEqual(ids[0], ids[2]);
  assert.deepEqual(
    miner.templates().map((t) => [t.template, t.count]),
    [['GET <*>', 3], ['', 2]],
  );
});

test('pino and bunyan lines are mined by their msg/message field; other lines whole', () => {
  const pino = JSON.stringify({ level: 30, time: 1, pid: 7, hostname: 'h', orderId: 5, msg: 'order 5 shipped' });
  assert.equal(extractLogMessage(pino), 'order 5 shipped');
  assert.equal(extractLogMessage(`  ${JSON.stringify({ message: 'disk full', level: 'error' })}`), 'disk full');
  assert.equal(extractLogMessage(JSON.stringify({ msg: 'a', message: 'b' })), 'a', 'msg wins');
  for (const line of ['plain text line', '{not json', JSON.stringify({ level: 30, text: 'no msg' }), '[1,2]', JSON.stringify({ msg: 5 }), '']) {
    assert.equal(extractLogMessage(line), line);
  }
});

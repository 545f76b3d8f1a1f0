import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createEvent, deriveEventId, InvalidEventError, parseEvent, topicOf, topics } from '../../shared/events/index.js';
import { makeAlertEvent } from '../helpers/events.js';

const now = () => new Date('2026-11-21T03:00:00Z');

function rejection(raw: unknown): InvalidEventError {
  try {
    parseEvent(raw);
  } catch (error) {
    assert.ok(error instanceof InvalidEventError);
    return error;
  }
  assert.fail('the event was accepted');
}

describe('event contracts', () => {
  test('a valid alert.received.v1 event round-trips through JSON', () => {
    const event = makeAlertEvent(1);
    assert.deepEqual(parseEvent(JSON.parse(JSON.stringify(event))), event);
  });

  test('an invalid field is rejected with its dotted path', () => {
    const event = makeAlertEvent(1);
    const error = rejection({ ...event, payload: { ...event.payload, traceIds: ['t', 7] } });
    assert.equal(error.code, 'EVENT_INVALID');
    assert.deepEqual(error.issues.map((i) => i.path), ['payload.traceIds.1']);
    assert.match(error.message, /^invalid alert\.received\.v1 event: payload\.traceIds\.1: /);
  });

  test('every offending field is named, envelope and payload alike', () => {
    const event = makeAlertEvent(1);
    const { fingerprint: _dropped, ...payload } = event.payload;
    const error = rejection({ ...event, id: 'not-a-uuid', occurredAt: 'yesterday', payload: { ...payload, severity: 'urgent' } });
    assert.deepEqual(error.issues.map((i) => i.path).sort(), ['id', 'occurredAt', 'payload.fingerprint', 'payload.severity']);
  });

  test('unknown envelope keys and unknown types are rejected', () => {
    assert.deepEqual(rejection({ ...makeAlertEvent(1), extra: true }).issues, [{ path: 'extra', message: 'unknown field' }]);
    const unknown = rejection({ ...makeAlertEvent(1), type: 'alert.received.v9' });
    assert.equal(unknown.issues[0]?.path, 'type');
    assert.match(unknown.message, /unknown event type "alert\.received\.v9" \(known: alert\.received\.v1/);
  });

  test('forge.event.v1 is a union on kind: a comment command is checked against its kind', () => {
    const comment = createEvent(
      'forge.event.v1',
      {
        key: 'acme/shop#42',
        payload: {
          provider: 'github',
          deliveryId: 'd-1',
          action: 'created',
          kind: 'issue_comment',
          repository: { owner: 'acme', name: 'shop' },
          issueNumber: 42,
          isPullRequest: true,
          comment: { id: 1, body: '/nightshift retry', author: 'oncall' },
          command: { name: 'retry', args: '' },
        },
      },
      { now },
    );
    assert.equal(comment.payload.kind, 'issue_comment');
    const broken = { ...comment, payload: { ...comment.payload, command: { name: 'deploy', args: '' } } };
    assert.deepEqual(rejection(broken).issues.map((i) => i.path), ['payload.command.name']);
  });

  test('createEvent validates what it builds', () => {
    assert.throws(
      () =>
        createEvent(
          'fix.verified.v1',
          {
            key: 'k',
            payload: {
              incidentId: 'i',
              attemptId: 'a',
              repository: 'acme/shop',
              pullRequest: { number: 0, url: 'u' },
              verdict: 'passed',
              replay: { base: 'failed', fix: 'passed' },
              steps: [],
              readyForReview: true,
              summary: '',
            },
          },
          { now },
        ),
      /payload\.pullRequest\.number/,
    );
  });

  test('every event type has a topic, and the dead-letter topic exists', () => {
    assert.equal(topicOf('alert.received.v1'), 'alerts');
    assert.equal(topicOf('forge.event.v1'), 'forge-events');
    assert.ok(topics.includes('dead-letter'));
    assert.equal(new Set(topics).size, topics.length);
  });

  test('derived event ids are stable per (parent, index), distinct otherwise, and valid uuids', () => {
    const parent = makeAlertEvent(1).id;
    assert.equal(deriveEventId(parent, 0), deriveEventId(parent, 0));
    assert.notEqual(deriveEventId(parent, 0), deriveEventId(parent, 1));
    assert.notEqual(deriveEventId(parent, 0), deriveEventId(makeAlertEvent(2).id, 0));
    assert.doesNotThrow(() => parseEvent({ ...makeAlertEvent(3), id: deriveEventId(parent, 5) }));
  });
});

import { z } from 'zod';
import { alertReceivedV1 } from './alert-received.js';
import { eventDeadLetteredV1 } from './event-dead-lettered.js';
import { fixDraftedV1 } from './fix-drafted.js';
import { fixOutcomeV1 } from './fix-outcome.js';
import { fixVerifiedV1 } from './fix-verified.js';
import { forgeEventV1 } from './forge-event.js';
import { incidentChangedV1 } from './incident-changed.js';
import { incidentTriagedV1 } from './incident-triaged.js';

/** Every event type with its schema and the topic it travels on. */
export const eventRegistry = {
  'alert.received.v1': { schema: alertReceivedV1, topic: 'alerts' },
  'forge.event.v1': { schema: forgeEventV1, topic: 'forge-events' },
  'incident.changed.v1': { schema: incidentChangedV1, topic: 'incidents' },
  'incident.triaged.v1': { schema: incidentTriagedV1, topic: 'incidents' },
  // On `incidents`, beside the incident's other events, where the fixer already listens.
  'fix.outcome.v1': { schema: fixOutcomeV1, topic: 'incidents' },
  'fix.drafted.v1': { schema: fixDraftedV1, topic: 'fixes' },
  'fix.verified.v1': { schema: fixVerifiedV1, topic: 'verifications' },
  'event.dead-lettered.v1': { schema: eventDeadLetteredV1, topic: 'dead-letter' },
} as const;

export type EventType = keyof typeof eventRegistry;
export type Topic = (typeof eventRegistry)[EventType]['topic'];
export const topics = [...new Set(Object.values(eventRegistry).map((entry) => entry.topic))] as Topic[];

export const nightshiftEvent = z.discriminatedUnion('type', [
  alertReceivedV1,
  forgeEventV1,
  incidentChangedV1,
  incidentTriagedV1,
  fixOutcomeV1,
  fixDraftedV1,
  fixVerifiedV1,
  eventDeadLetteredV1,
]);

export type NightshiftEvent = z.infer<typeof nightshiftEvent>;
export type EventOf<T extends EventType> = Extract<NightshiftEvent, { type: T }>;
export type PayloadOf<T extends EventType> = EventOf<T>['payload'];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(eventRegistry, value);
}

export function topicOf(type: EventType): Topic {
  return eventRegistry[type].topic;
}

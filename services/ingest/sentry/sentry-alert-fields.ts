import type { AlertReceivedPayload } from '../../../shared/events/alert-received.js';
import type { ParsedPayload } from './parse-sentry-payload.js';

/** What a normaliser derives from a Sentry body; the receiver adds delivery, receipt time and raw body. */
export type SentryAlertFields = Omit<AlertReceivedPayload, 'source' | 'channel' | 'deliveryId' | 'receivedAt' | 'raw'>;

/** A normaliser's answer: the alert fields, or the field the payload lacks. */
export type NormalisedSentryAlert = ParsedPayload<SentryAlertFields>;

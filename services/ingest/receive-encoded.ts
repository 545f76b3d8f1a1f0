import { encodeEvent, type EncodedEvent } from '../../shared/events/encode-event.js';
import type { RawDelivery, Receiver, Rejection } from './receiver.js';

/**
 * A receiver's verdict with its event already encoded (`encodeEvent`): plain data, so it crosses
 * from a receive thread to the HTTP thread as is, and holds text rather than the parsed payload.
 */
export type EncodedVerdict = { ok: true; deliveryId: string; event: EncodedEvent | null } | { ok: false; rejection: Rejection };

export async function receiveEncoded(receiver: Receiver, delivery: RawDelivery, now: Date): Promise<EncodedVerdict> {
  const verdict = await receiver.receive(delivery, now);
  if (!verdict.ok) return verdict;
  const { deliveryId, event } = verdict.accepted;
  // The receiver made the event with createEvent, which validated it: encoding only serialises.
  return { ok: true, deliveryId, event: event && encodeEvent(event) };
}

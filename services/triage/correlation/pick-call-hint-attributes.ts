import { correlateDefaults } from './correlate-logs.js';

const NO_ATTRIBUTES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

export interface CallHintAttributeNames {
  parentSpanAttributes: readonly string[];
  peerServiceAttributes: readonly string[];
  peerUrlAttributes: readonly string[];
}

/**
 * What correlation will read of a record's attributes, and nothing else: the top-level keys that hold a
 * parent span, a peer service or a URL, flat or nested (`http.url` keeps `http.url` and `http`). Most
 * records carry none and share one frozen empty object, so a window of records held for correlation
 * costs its ids and messages, not every field its loggers wrote.
 */
export function createCallHintAttributePicker(names: CallHintAttributeNames = correlateDefaults): (attributes: Record<string, unknown>) => Record<string, unknown> {
  const wanted = new Set<string>();
  for (const key of [...names.parentSpanAttributes, ...names.peerServiceAttributes, ...names.peerUrlAttributes]) {
    wanted.add(key);
    wanted.add(key.split('.')[0]!);
  }
  return (attributes) => {
    let picked: Record<string, unknown> | undefined;
    for (const key in attributes) {
      if (!wanted.has(key)) continue;
      (picked ??= {})[key] = attributes[key];
    }
    return picked ?? NO_ATTRIBUTES;
  };
}

/**
 * Deep-merges configuration layers, later layers winning: mappings merge key by key, anything else
 * (scalars, lists) replaces. A layer's mapping never replaces an earlier non-mapping value, so a
 * wrong type in the file (`server: 8080`) is still there for validation to report even when the
 * environment sets `server.port`.
 */
export function mergeConfigLayers(base: unknown, ...layers: readonly unknown[]): unknown {
  return layers.reduce(mergeLayer, base);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

// defineProperty: a YAML key named `__proto__` must stay a key (and be reported as unknown), not
// become the merged object's prototype.
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function mergeLayer(current: unknown, layer: unknown): unknown {
  if (layer === undefined) return current;
  if (!isPlainObject(layer)) return layer;
  if (current !== undefined && !isPlainObject(current)) return current;
  const merged: Record<string, unknown> = {};
  if (current !== undefined) for (const key of Object.keys(current)) setOwn(merged, key, current[key]);
  for (const key of Object.keys(layer)) {
    setOwn(merged, key, mergeLayer(Object.hasOwn(merged, key) ? merged[key] : undefined, layer[key]));
  }
  return merged;
}

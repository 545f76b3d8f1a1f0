import { visit, type Document } from 'yaml';

/** Where aliases are used: the first one, and any that point into their own anchored node. */
export interface AliasReport {
  first: { name: string; offset: number } | undefined;
  recursive: { name: string; offset: number }[];
}

/**
 * An alias inside the node it refers to (`a: &x { b: *x }`) is legal YAML but becomes a cyclic
 * object that no validator or merge can walk, so it is found here, on the document, before
 * anything converts it.
 */
export function inspectYamlAliases(doc: Document): AliasReport {
  const report: AliasReport = { first: undefined, recursive: [] };
  visit(doc, {
    Alias(_key, alias) {
      const offset = alias.range?.[0] ?? 0;
      report.first ??= { name: alias.source, offset };
      const target = alias.resolve(doc);
      const range = target?.range;
      if (range && range[0] <= offset && offset < range[2]) report.recursive.push({ name: alias.source, offset });
    },
  });
  return report;
}

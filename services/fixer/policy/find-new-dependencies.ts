import { posix } from 'node:path';
import type { FilePatch } from './parse-file-patches.js';

/**
 * Dependencies a manifest's patch adds: names on added lines, in a dependency section, that no removed
 * line of the same file names (a version bump removes and re-adds the same name, so it is not new).
 * Sections are followed through the hunk's context lines; where a hunk starts inside a section it cannot
 * see, a line counts only when it looks like a dependency (a name with a version requirement).
 */
export function findNewDependencies(patch: FilePatch): string[] {
  const reader = readerFor(posix.basename(patch.path), patch.path);
  if (!reader) return [];
  const added = new Set<string>();
  const removed = new Set<string>();
  for (const hunk of patch.hunks) {
    let section: string | undefined;
    for (const raw of hunk.lines) {
      const kind = raw[0];
      if (kind === '\\') continue;
      const line = raw.slice(1);
      // Removed lines describe the old file; sections are followed on the new side.
      const meaning = reader(line, section);
      const names = meaning.dependency === undefined ? [] : [meaning.dependency].flat();
      if (kind === '-') {
        for (const name of names) removed.add(name);
        continue;
      }
      if (meaning.section !== undefined) section = meaning.section;
      if (kind === '+') for (const name of names) added.add(name);
    }
  }
  return [...added].filter((name) => !removed.has(name));
}

/** What one line says: the section it opens (or "" when it closes one), and a dependency it declares. */
interface LineMeaning {
  section?: string;
  dependency?: string | string[];
}

type LineReader = (line: string, section: string | undefined) => LineMeaning;

function readerFor(base: string, path: string): LineReader | undefined {
  if (base === 'package.json') return readPackageJson;
  if (/^requirements.*\.(txt|in)$/.test(base) || /(^|\/)requirements\/[^/]+\.(txt|in)$/.test(path)) return readRequirement;
  if (base === 'pyproject.toml') return readPyproject;
  if (base === 'Cargo.toml') return readCargo;
  if (base === 'go.mod') return readGoMod;
  if (base === 'pom.xml') return readPom;
  if (base === 'Gemfile') return readGemfile;
  if (/^build\.gradle(\.kts)?$/.test(base)) return readGradle;
  return undefined;
}

const VERSION_SPEC = /^(?:[\^~<>=*]|\d|latest$|next$|npm:|git\+|git:|github:|file:|link:|workspace:|https?:)/;
const NPM_SECTIONS = /^(?:dependencies|devDependencies|peerDependencies|optionalDependencies|bundledDependencies|bundleDependencies)$/;
const PACKAGE_STRING_KEYS = new Set(['name', 'version', 'description', 'main', 'module', 'types', 'typings', 'license', 'homepage', 'type', 'packageManager', 'author']);

function readPackageJson(line: string, section: string | undefined): LineMeaning {
  const opener = /^\s*"([^"]+)"\s*:\s*[[{]\s*$/.exec(line);
  if (opener) return { section: opener[1] };
  if (/^\s*[}\]]/.test(line)) return { section: '' };
  const entry = /^\s*"([^"]+)"\s*:\s*"([^"]*)"\s*,?\s*$/.exec(line);
  if (!entry) return {};
  const [, key = '', value = ''] = entry;
  if (section !== undefined) return NPM_SECTIONS.test(section) ? { dependency: key } : {};
  return VERSION_SPEC.test(value) && !PACKAGE_STRING_KEYS.has(key) ? { dependency: key } : {};
}

/** PEP 503 normalisation, so "Foo_Bar" and "foo-bar" are one package. */
const normalise = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');
const REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([<>=!~;@].*)?$/;

function readRequirement(line: string): LineMeaning {
  const text = line.replace(/\s+#.*$/, '').trim();
  if (!text || text.startsWith('#') || text.startsWith('-')) return {};
  const match = REQUIREMENT.exec(text);
  return match?.[1] ? { dependency: normalise(match[1]) } : {};
}

function tomlHeader(line: string): string | undefined {
  return /^\s*\[{1,2}([^\]]+)\]{1,2}\s*(?:#.*)?$/.exec(line)?.[1]?.trim();
}

function readPyproject(line: string, section: string | undefined): LineMeaning {
  const header = tomlHeader(line);
  if (header !== undefined) return { section: header };
  // An array of requirements: `dependencies = [`, `requires = [`, or a group under optional-dependencies.
  const inline = /^\s*([A-Za-z0-9_.-]+)\s*=\s*\[(.*)\]\s*(?:#.*)?$/.exec(line);
  if (inline && (/^(dependencies|requires)$/.test(inline[1] ?? '') || /optional-dependencies$|^dependency-groups$/.test(section ?? ''))) {
    const items = [...(inline[2] ?? '').matchAll(/["']([^"']+)["']/g)].map((m) => REQUIREMENT.exec(m[1] ?? '')?.[1]);
    return { dependency: items.filter((name): name is string => Boolean(name)).map(normalise) };
  }
  const array = /^\s*([A-Za-z0-9_.-]+)\s*=\s*\[\s*$/.exec(line);
  if (array) return { section: `${section ?? ''}#${array[1]}` };
  if (/^\s*\]/.test(line) && section?.includes('#')) return { section: section.slice(0, section.indexOf('#')) };
  const item = /^\s*["']([^"']+)["']\s*,?\s*$/.exec(line);
  if (item) {
    const requirement = REQUIREMENT.exec(item[1] ?? '');
    const inRequirements = section !== undefined && /#(dependencies|requires)$|optional-dependencies#|dependency-groups#/.test(section);
    const looksVersioned = /[<>=~!]/.test(item[1] ?? '');
    return requirement?.[1] && (inRequirements || (section === undefined && looksVersioned)) ? { dependency: normalise(requirement[1]) } : {};
  }
  const key = /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(line)?.[1];
  if (key && section !== undefined && /dependencies$/.test(section) && key !== 'python') return { dependency: normalise(key) };
  return {};
}

function readCargo(line: string, section: string | undefined): LineMeaning {
  const header = tomlHeader(line);
  if (header !== undefined) {
    // `[dependencies.serde]` declares serde by itself.
    const table = /(?:^|\.)(?:dev-|build-)?dependencies\.([A-Za-z0-9_-]+)$/.exec(header);
    return table ? { section: header, dependency: table[1] } : { section: header };
  }
  const entry = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.+)$/.exec(line);
  if (!entry) return {};
  const [, key = '', value = ''] = entry;
  if (section !== undefined) return /(?:^|\.)(?:dev-|build-)?dependencies$/.test(section) ? { dependency: key } : {};
  const looksLikeDependency = /^\{.*\b(?:version|git|path)\s*=/.test(value) || /^"[\^~=<>]?\d+(\.\d+)*"/.test(value);
  return looksLikeDependency && !['version', 'edition', 'rust-version'].includes(key) ? { dependency: key } : {};
}

function readGoMod(line: string): LineMeaning {
  const match = /^\s*(?:require\s+)?([A-Za-z0-9][\w.-]*\.[A-Za-z]{2,}\/\S+)\s+(v\d\S*)/.exec(line);
  return match && !/^\s*(?:replace|exclude|retract|module)\b/.test(line) ? { dependency: match[1] } : {};
}

function readPom(line: string, section: string | undefined): LineMeaning {
  if (/<dependency>/.test(line)) return { section: 'dependency' };
  if (/<\/dependency>/.test(line)) return { section: '' };
  if (/<(?:plugin|parent|exclusion)>/.test(line)) return { section: 'other' };
  const artifact = /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(line)?.[1];
  return artifact && section === 'dependency' ? { dependency: artifact } : {};
}

function readGemfile(line: string): LineMeaning {
  const gem = /^\s*gem\s+["']([^"']+)["']/.exec(line)?.[1];
  return gem ? { dependency: gem } : {};
}

function readGradle(line: string): LineMeaning {
  const match = /^\s*(?:implementation|api|compileOnly|runtimeOnly|annotationProcessor|kapt|ksp|testImplementation|testRuntimeOnly|classpath)\s*\(?\s*["']([^"':]+:[^"':]+)/.exec(line);
  return match?.[1] ? { dependency: match[1] } : {};
}

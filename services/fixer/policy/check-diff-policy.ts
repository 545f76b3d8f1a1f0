import picomatch from 'picomatch';
import type { DiffPolicyConfig } from '../../../shared/config/fixer-schema.js';
import type { WorkspaceDiff } from '../fix-candidate.js';
import { isMigrationPath, isTestPath } from './classify-path.js';
import { findNewDependencies } from './find-new-dependencies.js';
import { findWeakenedTests } from './find-weakened-tests.js';
import { parseFilePatches } from './parse-file-patches.js';

/** Stable names of the diff policy's rules, recorded with a rejected candidate. */
export type DiffPolicyRule =
  | 'max-files'
  | 'max-lines'
  | 'forbidden-path'
  | 'migration'
  | 'new-dependency'
  | 'deleted-test'
  | 'weakened-assertion'
  | 'skipped-test'
  | 'outside-permitted-paths';

/** One broken rule: which, where, and what to change. */
export interface DiffPolicyViolation {
  rule: DiffPolicyRule;
  file?: string;
  message: string;
}

export type DiffPolicyResult = { ok: true } | { ok: false; violations: DiffPolicyViolation[] };

const GLOB_OPTIONS = { dot: true };
const MAX_LISTED = 6;
const list = (items: string[]): string =>
  items.length > MAX_LISTED ? `${items.slice(0, MAX_LISTED).join(', ')} and ${items.length - MAX_LISTED} more` : items.join(', ');
const clip = (line: string): string => (line.length > 120 ? `${line.slice(0, 117)}...` : line);

/**
 * Checks a candidate's diff against the fixer's policy and the rule's path permissions, whatever strategy
 * made it. Every violation is reported (not only the first), each naming the file and the change to make.
 */
export function checkDiffPolicy(candidate: WorkspaceDiff, policy: DiffPolicyConfig, permissions?: { paths: string[] }): DiffPolicyResult {
  const violations: DiffPolicyViolation[] = [];
  const files = [...new Set(candidate.files)];

  if (files.length > policy.maxFiles) {
    violations.push({
      rule: 'max-files',
      message: `the diff touches ${files.length} files (${list(files)}); at most ${policy.maxFiles} are allowed: narrow the fix to the files the crash runs through`,
    });
  }
  if (candidate.linesChanged > policy.maxLines) {
    violations.push({
      rule: 'max-lines',
      message: `the diff changes ${candidate.linesChanged} lines; at most ${policy.maxLines} are allowed: make a smaller change at the crash site`,
    });
  }

  const forbidden = policy.forbiddenPaths.map((glob) => ({ glob, match: picomatch(glob, GLOB_OPTIONS) }));
  for (const file of files) {
    const hit = forbidden.find(({ match }) => match(file));
    if (hit) {
      violations.push({ rule: 'forbidden-path', file, message: `${file} matches the forbidden path "${hit.glob}": leave it unchanged (CI, lockfiles and secrets are never part of a fix)` });
    }
    if (!policy.allowMigrations && isMigrationPath(file)) {
      violations.push({ rule: 'migration', file, message: `${file} is a database migration: fix the code without adding or editing migrations (fixer.policy.allowMigrations is off)` });
    }
  }

  if (!policy.allowTestChanges) {
    for (const file of candidate.deleted.filter(isTestPath)) {
      violations.push({ rule: 'deleted-test', file, message: `${file} is a test file and the diff deletes it: keep the test and make the code pass it (fixer.policy.allowTestChanges is off)` });
    }
  }

  for (const patch of parseFilePatches(candidate.diff)) {
    if (!policy.allowNewDependencies) {
      for (const name of findNewDependencies(patch)) {
        violations.push({ rule: 'new-dependency', file: patch.path, message: `${patch.path} adds the dependency "${name}": fix the code with what the project already depends on (fixer.policy.allowNewDependencies is off)` });
      }
    }
    if (!policy.allowTestChanges && isTestPath(patch.path) && !candidate.deleted.includes(patch.path)) {
      for (const { rule, line } of findWeakenedTests(patch)) {
        violations.push(
          rule === 'weakened-assertion'
            ? { rule, file: patch.path, message: `${patch.path} loses or changes the assertion \`${clip(line)}\`: keep the assertion as it was and make the code satisfy it` }
            : { rule, file: patch.path, message: `${patch.path} adds \`${clip(line)}\`, which skips or focuses tests: remove it so every test still runs` },
        );
      }
    }
  }

  const allowed = permissions?.paths ?? [];
  if (allowed.length > 0) {
    const permitted = picomatch(allowed, GLOB_OPTIONS);
    for (const file of files.filter((path) => !permitted(path))) {
      violations.push({ rule: 'outside-permitted-paths', file, message: `${file} is outside the paths this incident's rule allows (${list(allowed)}): limit the change to those paths` });
    }
  }

  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}

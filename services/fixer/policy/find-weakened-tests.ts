import type { FilePatch } from './parse-file-patches.js';

export interface TestWeakening {
  rule: 'weakened-assertion' | 'skipped-test';
  line: string;
}

// Assertion calls across the common frameworks (node:assert, Jest/Vitest/Chai, pytest/unittest, Go, JUnit, XCTest).
const ASSERTION = /\bassert\w*\b|\bexpect\s*\(|\.should\b|\bshould\.|\bt\.(?:Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b|\brequire\.\w+\s*\(|\bXCTAssert\w*|\bverify\s*\(/;

// Skipping or focusing tests: either silences the failing test.
const SKIP_OR_FOCUS =
  /\b(?:it|test|describe|context|suite|specify)\.(?:skip|only|todo)\b|\bx(?:it|describe|test|context|specify)\s*\(|\bf(?:it|describe)\s*\(|@(?:Disabled|Ignore)\b|\bpytest\.mark\.(?:skip|skipif|xfail)\b|\bunittest\.skip\w*|\bself\.skipTest\s*\(|\bt\.Skip(?:Now|f)?\s*\(|\b(?:skip|only|todo)\s*:\s*true\b/;

/**
 * Lines of a test file's patch that weaken it: an assertion removed or changed (a removed assertion line
 * with no identical added line), or a skip/focus marker added.
 */
export function findWeakenedTests(patch: FilePatch): TestWeakening[] {
  const removed = new Set<string>();
  const added = new Set<string>();
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line.startsWith('-')) removed.add(line.slice(1).trim());
      else if (line.startsWith('+')) added.add(line.slice(1).trim());
    }
  }
  const found: TestWeakening[] = [];
  for (const line of removed) {
    if (ASSERTION.test(line) && !added.has(line)) found.push({ rule: 'weakened-assertion', line });
  }
  for (const line of added) {
    if (SKIP_OR_FOCUS.test(line) && !removed.has(line)) found.push({ rule: 'skipped-test', line });
  }
  return found;
}

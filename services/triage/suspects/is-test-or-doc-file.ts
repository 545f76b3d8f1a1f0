const TEST_PATHS: readonly RegExp[] = [
  /(^|\/)(tests?|__tests__|__mocks__|spec|specs|fixtures|testdata|e2e)\//,
  /\.(test|spec)\.[cm]?[jt]sx?$/,
  /(^|\/)test_[^/]+\.py$/,
  /_test\.(py|go)$/,
  /(^|\/)src\/test\//,
  /Tests?\.(java|kt|cs)$/,
];

const DOC_PATHS: readonly RegExp[] = [
  /\.(md|mdx|markdown|rst|adoc|txt)$/i,
  /(^|\/)docs?\//,
  /(^|\/)(LICENSE|LICENCE|CHANGELOG|CHANGES|AUTHORS|CODEOWNERS|NOTICE)(\.[^/]*)?$/i,
];

/** Whether a change to `file` cannot change what the service runs in production: tests, fixtures, docs. */
export function isTestOrDocFile(file: string): boolean {
  return TEST_PATHS.some((pattern) => pattern.test(file)) || DOC_PATHS.some((pattern) => pattern.test(file));
}

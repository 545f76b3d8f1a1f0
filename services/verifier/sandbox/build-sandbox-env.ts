/** Where the worktree copy appears inside a sandbox; also HOME. */
export const SANDBOX_WORKSPACE = '/workspace';
/** The copy's scratch directory; /tmp inside the sandbox points here so nothing is written elsewhere. */
export const SANDBOX_TMP_DIR = '.nightshift-tmp';

/**
 * The whole environment of a step: an allowlist, never the parent's environment, so credentials
 * Nightshift holds (tokens, DSNs, NIGHTSHIFT_*) cannot reach repository code. The profile's
 * variables come first so that PATH, HOME and TMPDIR stay the sandbox's.
 */
export function buildSandboxEnv({
  home,
  path,
  extra = {},
  lang = 'C.UTF-8',
}: {
  home: string;
  path: string;
  extra?: Record<string, string>;
  lang?: string;
}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    CI: 'true',
    ...extra,
    PATH: path,
    HOME: home,
    TMPDIR: `${home}/${SANDBOX_TMP_DIR}`,
    LANG: lang,
  };
}

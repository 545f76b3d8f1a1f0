import { join } from 'node:path';
import { SANDBOX_TMP_DIR, SANDBOX_WORKSPACE } from './build-sandbox-env.js';
import type { HostLayout } from './read-host-layout.js';
import type { ReadOnlyMount } from './sandbox.js';

/**
 * The bubblewrap command line for one step: every namespace unshared (so no network but a private
 * loopback), an unprivileged user inside a user namespace (no capabilities), the host's system
 * directories read-only, the worktree copy as the only writable mount at /workspace, /tmp pointing
 * into the copy, and the root itself read-only.
 */
export function buildBubblewrapArgv({
  layout,
  copyDir,
  readOnlyMounts = [],
  inner,
}: {
  layout: HostLayout;
  copyDir: string;
  readOnlyMounts?: readonly ReadOnlyMount[];
  inner: readonly string[];
}): string[] {
  const argv = [
    'bwrap',
    '--unshare-all',
    '--unshare-user',
    '--uid', '1000',
    '--gid', '1000',
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--hostname', 'nightshift-sandbox',
  ];
  for (const directory of layout.directories) argv.push('--ro-bind', directory, directory);
  for (const { path, target } of layout.symlinks) argv.push('--symlink', target, path);
  for (const entry of layout.etc) argv.push('--ro-bind', entry, entry);
  argv.push('--proc', '/proc', '--dev', '/dev');
  argv.push('--bind', copyDir, SANDBOX_WORKSPACE);
  for (const mount of readOnlyMounts) argv.push('--ro-bind', mount.source, join(SANDBOX_WORKSPACE, mount.target));
  argv.push('--symlink', join(SANDBOX_WORKSPACE, SANDBOX_TMP_DIR), '/tmp');
  argv.push('--remount-ro', '/', '--chdir', SANDBOX_WORKSPACE, '--', ...inner);
  return argv;
}

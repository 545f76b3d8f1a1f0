import { SANDBOX_TMP_DIR, SANDBOX_WORKSPACE } from './build-sandbox-env.js';
import type { HostLayout } from './read-host-layout.js';
import type { ReadOnlyMount } from './sandbox.js';

// Runs as root in fresh mount, network, pid, ipc and uts namespaces: brings loopback up, assembles a
// read-only root on a tmpfs (mounted over an empty directory, visible only in this namespace), then
// chroots into it and drops every capability before running the step. Arguments: the new root, the
// copy, then "ro" mounts as source/target pairs up to "--", then the step's argv.
const SETUP_SCRIPT = `
set -eu
step_path=$PATH
PATH=/usr/sbin:/usr/bin:/sbin:/bin
root=$1; copy=$2; shift 2
chroot_bin=$(command -v chroot)
ip link set lo up
mount -t tmpfs -o size=1m,mode=755 nightshift "$root"
robind() { mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; }
for entry in $NIGHTSHIFT_SANDBOX_DIRS; do mkdir -p "$root$entry"; robind "$entry" "$root$entry"; done
for pair in $NIGHTSHIFT_SANDBOX_LINKS; do ln -s "\${pair#*=}" "$root\${pair%%=*}"; done
mkdir -p "$root/etc" "$root/dev" "$root/proc" "$root${SANDBOX_WORKSPACE}"
for entry in $NIGHTSHIFT_SANDBOX_FILES; do
  if [ -d "$entry" ]; then mkdir -p "$root$entry"; else mkdir -p "$(dirname "$root$entry")"; : > "$root$entry"; fi
  robind "$entry" "$root$entry"
done
mount -t proc proc "$root/proc"
mount --bind "$copy" "$root${SANDBOX_WORKSPACE}"
while [ "$1" != "--" ]; do
  mkdir -p "$copy/$2"; robind "$1" "$root${SANDBOX_WORKSPACE}/$2"; shift 2
done
shift
ln -s "${SANDBOX_WORKSPACE}/${SANDBOX_TMP_DIR}" "$root/tmp"
mount -o remount,ro "$root"
unset NIGHTSHIFT_SANDBOX_DIRS NIGHTSHIFT_SANDBOX_LINKS NIGHTSHIFT_SANDBOX_FILES
export PATH="$step_path"
exec "$chroot_bin" "$root" /usr/bin/setpriv --inh-caps=-all --bounding-set=-all --no-new-privs -- \
  /bin/sh -c 'cd ${SANDBOX_WORKSPACE} && exec "$@"' step "$@"
`;

/**
 * The `unshare` command line for one step, used where bubblewrap is missing or broken. Needs root (or
 * maps the caller to root in a user namespace). `rootDir` is an empty directory the sandbox mounts its
 * root over; it stays empty on the host. Returns the argv and the variables the setup script reads.
 */
export function buildUnshareArgv({
  layout,
  copyDir,
  rootDir,
  readOnlyMounts = [],
  inner,
  isRoot,
}: {
  layout: HostLayout;
  copyDir: string;
  rootDir: string;
  readOnlyMounts?: readonly ReadOnlyMount[];
  inner: readonly string[];
  isRoot: boolean;
}): { argv: string[]; env: Record<string, string> } {
  const argv = ['unshare', '--net', '--mount', '--pid', '--ipc', '--uts', '--fork', '--kill-child', '--propagation', 'private'];
  if (!isRoot) argv.push('--user', '--map-root-user');
  argv.push('sh', '-c', SETUP_SCRIPT, 'nightshift-sandbox', rootDir, copyDir);
  for (const mount of readOnlyMounts) argv.push(mount.source, mount.target);
  argv.push('--', ...inner);
  const env = {
    NIGHTSHIFT_SANDBOX_DIRS: layout.directories.join(' '),
    NIGHTSHIFT_SANDBOX_LINKS: layout.symlinks.map(({ path, target }) => `${path}=${target}`).join(' '),
    NIGHTSHIFT_SANDBOX_FILES: [...layout.etc, ...layout.devices].join(' '),
  };
  return { argv, env };
}

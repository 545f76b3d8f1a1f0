import { readdir, readFile, readlink } from 'node:fs/promises';

const POLL_MS = 20;

async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const found: number[] = [];
  for (const task of tasks) {
    const text = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of text.split(/\s+/)) if (/^\d+$/.test(child)) found.push(Number(child));
  }
  return found;
}

/** `pid` and its descendants, parents first. */
async function processTree(pid: number): Promise<number[]> {
  const tree = [pid];
  for (let i = 0; i < tree.length && tree.length < 256; i++) tree.push(...(await childrenOf(tree[i]!)));
  return tree;
}

/** The identity of a process's network namespace (`net:[4026531840]`), or null when it is gone. */
export function readNetworkNamespace(pid: number | 'self'): Promise<string | null> {
  return readlink(`/proc/${pid}/ns/net`).catch(() => null);
}

/**
 * Finds a process in `pid`'s tree that lives in another network namespace than Nightshift's: that
 * is the sandbox's private network (unshare enters it itself, bubblewrap's child does). Polls until
 * `deadline` (epoch ms) or until `gone()` says the tree has exited; null when none appeared.
 */
export async function findNetworkNamespace(pid: number, { deadline, gone }: { deadline: number; gone: () => boolean }): Promise<{ pid: number; namespace: string } | null> {
  const own = await readNetworkNamespace('self');
  while (Date.now() < deadline && !gone()) {
    for (const member of await processTree(pid)) {
      const namespace = await readNetworkNamespace(member);
      if (namespace !== null && namespace !== own) return { pid: member, namespace };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return null;
}

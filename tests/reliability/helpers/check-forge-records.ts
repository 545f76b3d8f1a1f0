import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalPullRequest } from '../../../services/fixer/forge/local/local-pull-request.js';
import type { Store } from '../../../shared/store/store.js';
import type { Findings } from './check-store-invariants.js';

/** The local forge's PR records of one repository (`<dataDir>/forge/<repository>/pulls/<n>.json`). */
export async function readLocalPullRequests(dataDir: string, repository: string): Promise<LocalPullRequest[]> {
  const dir = join(dataDir, 'forge', encodeURIComponent(repository), 'pulls');
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  const records = await Promise.all(names.filter((name) => /^\d+\.json$/.test(name)).map(async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as LocalPullRequest));
  return records.sort((a, b) => a.number - b.number);
}

/**
 * "No second PR", held against both sides: the store links at most one PR to an incident, the forge has
 * at most one PR per fix branch (one branch per incident, `nightshift/<incident id>`), every forge PR is
 * the one its incident links, and at least `atLeast` were drafted, so the check can fail.
 */
export async function checkDraftedFixes(store: Store, { dataDir, repository, atLeast }: { dataDir: string; repository: string; atLeast: number }): Promise<Findings> {
  const problems: string[] = [];
  const pulls = await readLocalPullRequests(dataDir, repository);
  const incidents = await store.listIncidents({ limit: 100_000 });
  const linked = new Map<number, string>();
  let secondLinks = 0;
  let unfixed = 0;
  let pending = 0;
  for (const incident of incidents) {
    // Once the bus drained, an attempt still pending is one a kill cut short after its PR was linked (the
    // redelivery found the PR and resumed nothing); others are resumed under their own id.
    pending += (await store.listFixAttempts(incident.id)).filter((attempt) => attempt.status === 'pending').length;
    const links = (await store.listPullRequests(incident.id)).filter((link) => link.repository === repository);
    // A fix the rule asked for and a kill cut short must be drafted on redelivery, not given up.
    if ((incident.decision as { action?: string } | null)?.action === 'draft-fix' && links.length === 0) {
      unfixed++;
      const attempts = await store.listFixAttempts(incident.id);
      problems.push(`incident ${incident.id} was decided draft-fix but has no PR; attempts: ${attempts.map((a) => `${a.strategy} ${a.status}${a.error ? ` (${a.error.slice(0, 300)})` : ''}`).join('; ') || 'none'}`);
    }
    if (links.length > 1) {
      secondLinks++;
      problems.push(`incident ${incident.id} links ${links.length} pull requests: ${links.map((l) => `#${l.number}`).join(', ')}`);
    }
    for (const link of links) linked.set(link.number, incident.id);
  }

  const byBranch = new Map<string, number[]>();
  for (const pull of pulls) byBranch.set(pull.branch, [...(byBranch.get(pull.branch) ?? []), pull.number]);
  const duplicateBranches = [...byBranch].filter(([, numbers]) => numbers.length > 1);
  for (const [branch, numbers] of duplicateBranches) problems.push(`branch ${branch} has ${numbers.length} PRs on the forge: ${numbers.map((n) => `#${n}`).join(', ')}`);

  const unlinked = pulls.filter((pull) => !linked.has(pull.number));
  for (const pull of unlinked.slice(0, 5)) problems.push(`forge PR #${pull.number} (${pull.branch}) is linked to no incident in the store`);
  const wrongBranch = pulls.filter((pull) => linked.has(pull.number) && pull.branch !== `nightshift/${linked.get(pull.number)}`);
  for (const pull of wrongBranch.slice(0, 5)) problems.push(`forge PR #${pull.number} is on ${pull.branch} but linked to incident ${linked.get(pull.number)}`);
  const missing = [...linked.keys()].filter((number) => !pulls.some((pull) => pull.number === number));
  for (const number of missing.slice(0, 5)) problems.push(`the store links PR #${number}, which the forge does not have`);
  if (pulls.length < atLeast) problems.push(`${pulls.length} PRs drafted, expected at least ${atLeast}: the fix path was not exercised`);

  return {
    problems,
    rows: [
      ['PRs drafted (forge records)', pulls.length],
      ['incidents with a PR link', new Set(linked.values()).size],
      ['draft-fix incidents without a PR', unfixed],
      ['fix attempts left pending by a kill', pending],
      ['incidents linking 2+ PRs', secondLinks],
      ['fix branches with 2+ PRs', duplicateBranches.length],
      ['forge PRs linked to no incident', unlinked.length],
    ],
  };
}

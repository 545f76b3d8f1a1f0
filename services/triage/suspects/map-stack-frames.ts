import { isLibraryFrame } from './is-library-frame.js';
import { loadTrackedFiles, type TrackedFilesCache } from './load-tracked-files.js';
import { mapFrameToFile } from './map-frame-to-file.js';
import type { RunGit } from './run-git.js';
import type { MappedFrame, StackFrame, UnmappedFrame } from './stack-frame.js';
import type { SuspectRepository } from './suspect-repository.js';

export interface MappedStack {
  /** Top (closest to the crash) first. */
  mapped: MappedFrame[];
  unmapped: UnmappedFrame[];
  /** The commit whose tracked files the frames were mapped against. */
  revision: string;
}

/**
 * Maps a whole stack with one listing of the repository. `frames` are in Sentry's order — outermost call
 * first, the crashing frame last — and each frame's `depth` counts in-app frames from the crash.
 */
export async function mapStackFrames({
  repository,
  frames,
  runGit,
  revision,
  cache,
}: {
  repository: SuspectRepository;
  frames: readonly StackFrame[];
  runGit: RunGit;
  /** The commit to map against (best: what was deployed when the error began); the repository's ref otherwise. */
  revision?: string;
  cache?: TrackedFilesCache;
}): Promise<MappedStack> {
  const tracked = await loadTrackedFiles({ repository, runGit, revision: revision ?? repository.ref ?? 'HEAD', cache });
  const mapped: MappedFrame[] = [];
  const unmapped: UnmappedFrame[] = [];
  let depth = 0;
  for (let index = frames.length - 1; index >= 0; index--) {
    const frame = frames[index]!;
    const result = mapFrameToFile(frame, repository, tracked, depth);
    if (result.ok) mapped.push(result.mapped);
    else unmapped.push(result.unmapped);
    if (!isLibraryFrame(frame)) depth += 1;
  }
  return { mapped, unmapped, revision: tracked.revision };
}

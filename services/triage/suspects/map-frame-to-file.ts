import type { TrackedFiles } from './index-tracked-files.js';
import { isLibraryFrame } from './is-library-frame.js';
import { normalizeFramePath } from './normalize-frame-path.js';
import type { FrameMatch, MappedFrame, StackFrame, UnmappedFrame } from './stack-frame.js';
import { isUnderSourceRoot, normalizeSourceRoot, type SuspectRepository } from './suspect-repository.js';

export type FrameMapping = { ok: true; mapped: MappedFrame } | { ok: false; unmapped: UnmappedFrame };

// Compiled JavaScript and the TypeScript it may come from, when a stack was not source-mapped.
const SOURCE_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  '.js': ['.ts', '.tsx', '.jsx'],
  '.mjs': ['.mts', '.ts'],
  '.cjs': ['.cts', '.ts'],
};

interface Candidate {
  file: string;
  framePath: string;
  matchedSegments: number;
  /** Every segment of the frame path matched. */
  whole: boolean;
  compiled: boolean;
  underSourceRoot: boolean;
  /** Directories in the tracked path (below the source root) that the frame path did not account for. */
  extraSegments: number;
}

/**
 * Maps one stack frame to the repository file it ran from: the tracked file sharing the longest trailing run
 * of path segments with the frame's path, preferring the service's source root. Pure: the caller lists the
 * tracked files once (`loadTrackedFiles`) and maps every frame against that listing.
 */
export function mapFrameToFile(
  frame: StackFrame,
  repository: Pick<SuspectRepository, 'sourceRoot' | 'pathPrefixes'>,
  tracked: TrackedFiles,
  depth = 0,
): FrameMapping {
  const unmapped = (reason: UnmappedFrame['reason'], detail: string): FrameMapping => ({ ok: false, unmapped: { frame, reason, detail } });
  if (isLibraryFrame(frame)) return unmapped('not-in-app', `${describeFrame(frame)} is not in-app code`);

  const sourceRoot = normalizeSourceRoot(repository.sourceRoot);
  const paths: string[][] = [];
  let rejection: FrameMapping | undefined;
  for (const raw of framePaths(frame)) {
    const normalized = normalizeFramePath(raw, repository.pathPrefixes);
    if (normalized.ok) paths.push(normalized.segments);
    else if (normalized.reason === 'rejected-path') rejection ??= unmapped('rejected-path', normalized.detail);
  }
  // A hostile spelling in either field poisons the frame: nothing from it reaches git or the report as a file.
  if (rejection) return rejection;
  if (paths.length === 0) return unmapped('no-path', `${describeFrame(frame)} has no file path`);

  const candidates = paths.flatMap((segments) => findCandidates(segments, tracked, sourceRoot));
  const best = pickBest(candidates);
  if (best === undefined) return unmapped('not-tracked', `${describeFrame(frame)} matches no file tracked in the repository`);
  if (Array.isArray(best)) {
    const files = best.map((candidate) => candidate.file).slice(0, 4).join(', ');
    return unmapped('ambiguous', `${describeFrame(frame)} matches several tracked files equally well (${files})`);
  }

  const match: FrameMatch = {
    kind: best.compiled ? 'compiled-source' : best.whole ? 'path' : 'suffix',
    framePath: best.framePath,
    matchedSegments: best.matchedSegments,
    underSourceRoot: best.underSourceRoot,
  };
  const line = !best.compiled && Number.isInteger(frame.lineno) && frame.lineno! > 0 ? frame.lineno : undefined;
  const mapped: MappedFrame = { file: best.file, depth, match };
  if (line !== undefined) mapped.line = line;
  if (frame.function) mapped.function = frame.function;
  return { ok: true, mapped };
}

function framePaths(frame: StackFrame): string[] {
  const paths = [frame.absPath, frame.filename].filter((path): path is string => typeof path === 'string' && path !== '');
  // JVM frames carry a bare file name; the module's package is its directory (com.acme.orders.Price$1 → com/acme/orders/).
  if (frame.module && frame.filename && !/[/\\]/.test(frame.filename) && /^[\w$]+(\.[\w$]+)+$/.test(frame.module)) {
    const packages = frame.module.split('.').slice(0, -1);
    paths.push([...packages, frame.filename].join('/'));
  }
  return paths;
}

function findCandidates(segments: string[], tracked: TrackedFiles, sourceRoot: string): Candidate[] {
  const basename = segments[segments.length - 1]!;
  const dot = basename.lastIndexOf('.');
  const extension = dot > 0 ? basename.slice(dot) : '';
  const spellings = [{ name: basename, compiled: false }];
  for (const sourceExtension of SOURCE_EXTENSIONS[extension] ?? []) {
    spellings.push({ name: basename.slice(0, dot) + sourceExtension, compiled: true });
  }
  const sourceRootDepth = sourceRoot === '' ? 0 : sourceRoot.split('/').length;
  const candidates: Candidate[] = [];
  for (const spelling of spellings) {
    for (const file of tracked.byBasename.get(spelling.name) ?? []) {
      const fileSegments = file.split('/');
      let matched = 1;
      while (
        matched < segments.length &&
        matched < fileSegments.length &&
        segments[segments.length - 1 - matched] === fileSegments[fileSegments.length - 1 - matched]
      ) {
        matched += 1;
      }
      const underSourceRoot = isUnderSourceRoot(file, sourceRoot);
      // Both paths go on but disagree (services/inventory/… against services/gateway/…): another service's file.
      const diverges = matched < segments.length && matched < fileSegments.length;
      if (diverges && !underSourceRoot) continue;
      candidates.push({
        file,
        framePath: segments.join('/'),
        matchedSegments: matched,
        whole: matched === segments.length,
        compiled: spelling.compiled,
        underSourceRoot,
        extraSegments: fileSegments.length - matched - (underSourceRoot ? sourceRootDepth : 0),
      });
    }
  }
  // A bare file-name match outside the service is too weak to blame anyone for ("utils.js" is everywhere).
  return candidates.filter((candidate) => candidate.underSourceRoot || candidate.matchedSegments >= 2);
}

/** The best candidate, `undefined` for none, or the tied candidates when the evidence cannot separate them. */
function pickBest(candidates: Candidate[]): Candidate | Candidate[] | undefined {
  if (candidates.length === 0) return undefined;
  const rank = (c: Candidate): number[] => [c.matchedSegments, c.compiled ? 0 : 1, c.underSourceRoot ? 1 : 0, -c.extraSegments];
  const compare = (a: Candidate, b: Candidate): number => {
    const ra = rank(a);
    const rb = rank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return rb[i]! - ra[i]!;
    return 0;
  };
  const seen = new Set<string>();
  // Sorted first so that each file keeps its best reading (a frame may be matched from two of its paths).
  const sorted = [...candidates].sort(compare).filter((c) => !seen.has(c.file) && seen.add(c.file));
  const top = sorted[0]!;
  const tied = sorted.filter((c) => compare(c, top) === 0);
  return tied.length === 1 ? top : tied;
}

function describeFrame(frame: StackFrame): string {
  const path = frame.absPath ?? frame.filename ?? frame.module ?? '?';
  const shown = JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);
  return frame.function ? `frame ${frame.function} (${shown})` : `frame ${shown}`;
}

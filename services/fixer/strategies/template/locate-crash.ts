import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, normalize, resolve, sep } from 'node:path';
import ts from 'typescript';
import type { CrashLocation } from './template-edit.js';

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.js': ts.ScriptKind.JS, '.mjs': ts.ScriptKind.JS, '.cjs': ts.ScriptKind.JS, '.jsx': ts.ScriptKind.JSX,
  '.ts': ts.ScriptKind.TS, '.mts': ts.ScriptKind.TS, '.cts': ts.ScriptKind.TS, '.tsx': ts.ScriptKind.TSX,
};

/** The script kind of a JS/TS file, or undefined for any other language. */
export function scriptKindOf(file: string): ts.ScriptKind | undefined {
  return SCRIPT_KINDS[extname(file).toLowerCase()];
}

/** Parses `text` as the file would be compiled, with parent pointers (templates walk up the tree). */
export function parseSource(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file) ?? ts.ScriptKind.JS);
}

/** Syntax errors of `text`: a template's result must have none it did not start with. */
export function countSyntaxErrors(file: string, text: string): number {
  const output = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { allowJs: true, noEmit: false } });
  return output.diagnostics?.length ?? 0;
}

/** Outcome of mapping a frame to source: the location, or why it could not be used. */
export type LocateResult = { ok: true; location: CrashLocation } | { ok: false; reason: string };

/**
 * Reads the frame's file from the worktree and finds the line (and column) in it. Refuses paths that leave
 * the worktree, languages the templates do not parse, and lines the file does not have.
 */
export async function locateCrash(dir: string, frame: { file: string; line?: number; column?: number }): Promise<LocateResult> {
  const file = normalize(frame.file).split(sep).join('/');
  if (isAbsolute(file) || file.startsWith('../') || file === '..') return { ok: false, reason: `the frame's file ${frame.file} is outside the repository` };
  if (scriptKindOf(file) === undefined) return { ok: false, reason: `templates cover JavaScript and TypeScript only; ${file} is not` };
  if (frame.line === undefined) return { ok: false, reason: `the frame in ${file} has no line (it pointed at a compiled copy)` };
  let text: string;
  try {
    text = await readFile(resolve(dir, file), 'utf8');
  } catch {
    return { ok: false, reason: `${file} is not in the worktree at the fix's base` };
  }
  const sourceFile = parseSource(file, text);
  const starts = sourceFile.getLineStarts();
  const lineStart = starts[frame.line - 1];
  if (lineStart === undefined || frame.line < 1) return { ok: false, reason: `${file} has ${starts.length} lines; the frame points at line ${frame.line}` };
  const next = starts[frame.line];
  const lineEnd = next === undefined ? text.length : next - 1;
  const column = frame.column;
  const position = column !== undefined && column >= 1 && lineStart + column - 1 <= lineEnd ? lineStart + column - 1 : undefined;
  return { ok: true, location: { file, text, sourceFile, line: frame.line, lineStart, lineEnd, ...(position !== undefined ? { position } : {}) } };
}

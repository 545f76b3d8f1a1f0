import type { StackFrame } from './stack-frame.js';

// Paths of code the service did not write: dependencies, runtimes, bundler glue.
const LIBRARY_PATHS: readonly RegExp[] = [
  /(^|[/\\])node_modules[/\\]/,
  /^node:/,
  /^internal[/\\]/,
  /^(bun|deno):/,
  /(^|[/\\])(site|dist)-packages[/\\]/,
  /(^|\/)lib\/python\d+(\.\d+)?\//,
  /(^|[/\\])\.venv[/\\]/,
  /^<[^>]*>$/,
  /^native$/,
  /^\(webpack\)/,
  /^webpack\/(bootstrap|runtime)/,
  /^webpack:\/\/\/(webpack|\(webpack\))\//,
];

// JVM modules from the platform and common language runtimes.
const LIBRARY_MODULES = /^(java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala)\./;

/**
 * Whether a frame belongs to a dependency or the runtime rather than the service's own code. A tracker's
 * `inApp: false` is trusted; `inApp: true` is not, for paths that are plainly dependencies.
 */
export function isLibraryFrame(frame: StackFrame): boolean {
  if (frame.inApp === false) return true;
  const paths = [frame.absPath, frame.filename].filter((path): path is string => typeof path === 'string' && path !== '');
  if (paths.some((path) => LIBRARY_PATHS.some((pattern) => pattern.test(path)))) return true;
  return typeof frame.module === 'string' && LIBRARY_MODULES.test(frame.module);
}

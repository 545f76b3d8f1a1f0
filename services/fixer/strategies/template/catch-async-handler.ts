import ts from 'typescript';
import { asExpressHandler, enclosingFunction, enclosingTryWithCatch, type ExpressHandler } from './find-express-handler.js';
import { allNodes, freshName, indentOf, indentUnitOf, lineOf, lineStartOf, newlineOf, quote } from './source-layout.js';
import { refuse, type CrashLocation, type TemplateResult, type TextEdit } from './template-edit.js';

/** The innermost node at the frame's column, or at the first code on its line. */
function nodeAtFrame(location: CrashLocation): ts.Node {
  const lineText = location.text.slice(location.lineStart, location.lineEnd);
  const position = location.position ?? location.lineStart + (lineText.length - lineText.trimStart().length);
  let node: ts.Node = location.sourceFile;
  for (;;) {
    const child = node.getChildren().find((c) => c.getStart() <= position && position < c.end);
    if (!child) return node;
    node = child;
  }
}

function hasAwaitOnLine(location: CrashLocation, fn: ts.Node): boolean {
  return allNodes(fn).some((node) =>
    ts.isAwaitExpression(node) && enclosingFunction(node) === fn &&
    node.getStart() < location.lineEnd && node.end > location.lineStart);
}

// Line starts inside the statements that must move one level in, except those inside multi-line
// template literals, whose leading whitespace is part of the string.
function reindentEdits(text: string, from: number, to: number, unit: string, statements: ts.Node[]): TextEdit[] {
  const literals = statements.flatMap(allNodes).filter((node) =>
    ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node));
  const edits: TextEdit[] = [];
  for (let at = from; at < to; at = text.indexOf('\n', at) + 1) {
    const lineEnd = text.indexOf('\n', at);
    const blank = text.slice(at, lineEnd < 0 ? undefined : lineEnd).trim() === '';
    const inLiteral = literals.some((literal) => literal.getStart() < at && at < literal.end);
    if (!blank && !inLiteral) edits.push({ start: at, end: at, text: unit });
    if (lineEnd < 0) break;
  }
  return edits;
}

/** Where the catch goes: after the last statement, or after a `// comment` that ends its line. */
function endOfLastStatement(text: string, last: ts.Node): number {
  const lineEnd = text.indexOf('\n', last.end);
  const rest = text.slice(last.end, lineEnd < 0 ? undefined : lineEnd);
  const trimmedRest = rest.replace(/\r$/, '');
  return /^\s*(\/\/.*)?$/.test(trimmedRest) ? last.end + trimmedRest.length : last.end;
}

function wrap(location: CrashLocation, handler: ExpressHandler, upstream: boolean): TemplateResult {
  const body = handler.node.body;
  const where = `${location.file}:${lineOf(location.sourceFile, handler.node.getStart())}`;
  if (!body || !ts.isBlock(body)) return refuse(`the handler at ${where} has an expression body; there is no block to wrap`);
  const statements = [...body.statements];
  const first = statements[0];
  const last = statements[statements.length - 1];
  if (!first || !last) return refuse(`the handler at ${where} is empty`);
  const text = location.text;
  const firstLineStart = lineStartOf(text, first.getStart());
  if (firstLineStart <= body.getStart() || text.slice(firstLineStart, first.getStart()).trim() !== '') {
    return refuse(`the handler at ${where} is written on one line; wrapping it would rewrite the line`);
  }
  const nl = newlineOf(text);
  const unit = indentUnitOf(text);
  const indent = indentOf(text, first.getStart());
  const error = freshName(handler.node, ['err', 'error', 'caught']);
  const status = upstream ? 502 : 500;
  const message = upstream ? 'upstream request failed' : 'internal error';
  const handling = handler.next
    ? [`${handler.next}(${error});`]
    : [`console.error(${error});`, `if (!${handler.res}.headersSent) ${handler.res}.status(${status}).json({ error: ${quote(message)} });`];
  const end = endOfLastStatement(text, last);
  const close = [`${nl}${indent}} catch (${error}) {`, ...handling.map((line) => `${nl}${indent}${unit}${line}`), `${nl}${indent}}`].join('');
  return {
    ok: true, template: 'catch-async-handler', file: location.file, line: lineOf(location.sourceFile, handler.node.getStart()),
    confidence: 0.55,
    edits: [
      { start: firstLineStart, end: firstLineStart, text: `${indent}try {${nl}` },
      ...reindentEdits(text, firstLineStart, end, unit, statements),
      { start: end, end, text: close },
    ],
    why: handler.next
      ? `The async handler awaited a promise that rejected and nothing caught it. Its body is now in try/catch and the error goes to \`${handler.next}(${error})\`, so the app's error middleware answers as it does for every other failure.`
      : `The async handler awaited a promise that rejected and nothing caught it, which leaves the request hanging or the process crashing. ` +
        `Its body is now in try/catch: the error is logged and the client gets a **${status}** JSON error${upstream ? ' (the failure came from a call the service makes, so it is a bad gateway, not a bug in the request)' : ''}.`,
  };
}

/**
 * An unhandled rejection (or an error thrown by an `await` line) inside an async express handler without
 * try/catch: wrap the handler's body. Looks at the crash frame and then its callers, and takes the first
 * frame whose own function is an async handler; with `requireAwait`, that frame's line must await.
 */
export function catchAsyncHandler(frames: CrashLocation[], options: { requireAwait: boolean; upstream: boolean }): TemplateResult {
  for (const frame of frames) {
    const node = nodeAtFrame(frame);
    const fn = enclosingFunction(node);
    const handler = asExpressHandler(fn);
    if (!fn || !handler?.isAsync) continue;
    if (options.requireAwait && !hasAwaitOnLine(frame, fn)) continue;
    const guard = enclosingTryWithCatch(node, fn);
    if (guard) {
      return refuse(`${frame.file}:${frame.line} is already inside a try/catch (line ${lineOf(frame.sourceFile, guard.getStart())}); the rejection escapes it some other way`);
    }
    return wrap(frame, handler, options.upstream);
  }
  const where = frames.map((frame) => `${frame.file}:${frame.line}`).join(', ');
  return refuse(`no frame (${where || 'none mapped'}) is ${options.requireAwait ? 'an await ' : ''}in an async express handler`);
}

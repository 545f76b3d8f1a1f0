import ts from 'typescript';
import { chainRoot, enclosingFunction } from './find-express-handler.js';
import { nodesAtCrash } from './find-accesses-at-crash.js';
import { lineOf } from './source-layout.js';
import { refuse, type CrashLocation, type TemplateResult } from './template-edit.js';

const compact = (text: string): string => text.replace(/\s+/g, '');

// A callback is optional when it arrives as a parameter (or an option of one) of a function around the call.
function isParameterOfEnclosingFunction(name: string, from: ts.Node): boolean {
  for (let fn = enclosingFunction(from); fn; fn = enclosingFunction(fn.parent)) {
    if (fn.parameters.some((parameter) => ts.isIdentifier(parameter.name) && parameter.name.text === name)) return true;
  }
  return false;
}

/**
 * "x is not a function" on a callback that came in as a parameter (`done`, `options.onProgress`): call it
 * only when present (`done?.()`). Anything else (a method that should exist, a wrong import) is a real
 * bug the template refuses to paper over.
 */
export function guardOptionalCall(location: CrashLocation, calleeText: string): TemplateResult {
  const where = `${location.file}:${location.line}`;
  const calls = nodesAtCrash(
    location,
    (node) => (ts.isCallExpression(node) && compact(node.expression.getText()) === compact(calleeText) ? node : undefined),
    (node) => ({ at: node.expression.getStart(), from: node.expression.getStart() }),
  );
  if (calls.length === 0) return refuse(`no call of \`${calleeText}\` at ${where}; the frame does not map to this source`);
  if (calls.length > 1) return refuse(`${calls.length} calls of \`${calleeText}\` at ${where}; which one failed is ambiguous`);
  const call = calls[0] as ts.CallExpression;
  if (call.questionDotToken) return refuse(`\`${call.expression.getText()}?.()\` at ${where} is already guarded`);
  const root = chainRoot(call.expression);
  if (!root || !ts.isIdentifier(root) || !isParameterOfEnclosingFunction(root.text, call)) {
    return refuse(`\`${calleeText}\` at ${where} is not a callback passed in as a parameter; a missing function there is a bug a guard would hide`);
  }
  const at = call.expression.end;
  return {
    ok: true, template: 'optional-call', file: location.file, line: lineOf(location.sourceFile, call.getStart()), confidence: 0.5,
    edits: [{ start: at, end: at, text: '?.' }],
    why: `\`${calleeText}\` is a callback the caller may leave out; it is now called only when present (\`${call.expression.getText()}?.()\`). ` +
      `A value that is present but not a function would still throw, which is the right outcome for it.`,
  };
}

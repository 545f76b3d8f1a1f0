import ts from 'typescript';
import { asExpressHandler, chainRoot, enclosingFunction, enclosingTryWithCatch, insertionStatement } from './find-express-handler.js';
import { nodesAtCrash } from './find-accesses-at-crash.js';
import { allNodes, freshName, indentOf, indentUnitOf, lineOf, lineStartOf, newlineOf, quote } from './source-layout.js';
import { refuse, type CrashLocation, type TemplateResult } from './template-edit.js';

function isJsonParse(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) &&
    ts.isIdentifier(node.expression.expression) && node.expression.expression.text === 'JSON' && node.expression.name.text === 'parse';
}

// Moving the parse in front of its statement is only right when the statement always evaluated it.
function isEvaluatedUnconditionally(call: ts.Node, statement: ts.Statement): boolean {
  for (let node: ts.Node = call; node !== statement; node = node.parent) {
    const parent = node.parent;
    if (ts.isConditionalExpression(parent) && parent.condition !== node) return false;
    if (ts.isBinaryExpression(parent) && parent.right === node && [
      ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken,
    ].includes(parent.operatorToken.kind)) return false;
    if (ts.isFunctionLike(parent) || ts.isIterationStatement(parent, false) || ts.isIfStatement(parent) || ts.isTryStatement(parent)) return false;
  }
  return true;
}

function referencesName(node: ts.Node, name: string): boolean {
  return allNodes(node).some((child) => ts.isIdentifier(child) && child.text === name);
}

/**
 * `JSON.parse` of input that was not JSON. The parse moves into a try/catch just before its statement. In
 * an express handler, input from the request answers **400** (the client sent bad JSON) and anything else
 * **502** (data the service fetched was bad); elsewhere the catch rethrows an error with `code:
 * 'INVALID_JSON'` and `status: 400`, which express's error handler (and most others) turn into a 400.
 */
export function guardJsonParse(location: CrashLocation): TemplateResult {
  const where = `${location.file}:${location.line}`;
  const calls = nodesAtCrash(location, (node) => (isJsonParse(node) ? node : undefined), (node) => ({ at: node.getStart(), from: node.getStart() }));
  if (calls.length === 0) return refuse(`no JSON.parse at ${where}; the frame does not map to this source`);
  if (calls.length > 1) return refuse(`${calls.length} JSON.parse calls at ${where}; which one failed is ambiguous`);
  const call = calls[0] as ts.CallExpression;
  const fn = enclosingFunction(call);
  const scope = fn ?? location.sourceFile;
  if (enclosingTryWithCatch(call, scope)) return refuse(`the JSON.parse at ${where} is already inside a try/catch`);
  const statement = insertionStatement(call, scope);
  if (!statement || !isEvaluatedUnconditionally(call, statement)) {
    return refuse(`the JSON.parse at ${where} is not evaluated on every pass of its statement; moving it into a try/catch could change behaviour`);
  }
  const text = location.text;
  const start = statement.getStart();
  const lineStart = lineStartOf(text, start);
  if (text.slice(lineStart, start).trim() !== '') return refuse(`the statement with the JSON.parse at ${where} shares its line with other code`);

  const nl = newlineOf(text);
  const unit = indentUnitOf(text);
  const indent = indentOf(text, start);
  const handler = asExpressHandler(fn);
  const error = freshName(scope, ['err', 'error', 'caught']);
  const argument = call.arguments[0];
  const root = argument ? chainRoot(argument) : undefined;
  const fromRequest = handler !== undefined && argument !== undefined && (referencesName(argument, handler.req) || (root !== undefined && ts.isIdentifier(root) && root.text === handler.req));
  const onError = handler
    ? fromRequest
      ? `return ${handler.res}.status(400).json({ error: ${quote('request body is not valid JSON')} });`
      : `return ${handler.res}.status(502).json({ error: ${quote('upstream sent invalid JSON')} });`
    : `throw Object.assign(new Error(${quote('invalid JSON input')}, { cause: ${error} }), { code: 'INVALID_JSON', status: 400 });`;
  const catchHead = handler ? `} catch {` : `} catch (${error}) {`;

  // `const x = JSON.parse(…)` keeps its name: declared first, assigned in the try. Otherwise the parse
  // result goes into a fresh variable that replaces the call in the statement.
  const single = ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1
    ? statement.declarationList.declarations[0] : undefined;
  const keepsName = single && single.initializer === call && ts.isIdentifier(single.name) && !single.type &&
    !ts.getModifiers(statement as ts.VariableStatement)?.length;
  const name = keepsName && single && ts.isIdentifier(single.name) ? single.name.text : freshName(scope, ['parsed', 'parsedJson']);
  const block = [
    `${indent}let ${name};`,
    `${indent}try {`,
    `${indent}${unit}${name} = ${call.getText()};`,
    `${indent}${catchHead}`,
    `${indent}${unit}${onError}`,
    `${indent}}`,
  ].join(nl);
  const edits = keepsName
    ? [{ start: lineStart, end: statement.end, text: block }]
    : [{ start: lineStart, end: lineStart, text: block + nl }, { start: call.getStart(), end: call.end, text: name }];
  const behaviour = handler
    ? fromRequest ? 'answers **400** with a JSON error, because the text came from the request' : 'answers **502** with a JSON error, because the text came from somewhere the service called, not from the client'
    : "rethrows an error with `code: 'INVALID_JSON'` and `status: 400`, so callers can tell bad input from a bug";
  return {
    ok: true, template: 'guard-json-parse', file: location.file, line: lineOf(location.sourceFile, call.getStart()), confidence: 0.7,
    edits,
    why: `\`${call.getText().slice(0, 80)}\` threw a SyntaxError on input that was not JSON. The parse is now in try/catch, which ${behaviour}.`,
  };
}

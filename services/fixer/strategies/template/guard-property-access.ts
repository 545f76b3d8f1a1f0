import ts from 'typescript';
import { asExpressHandler, chainRoot, enclosingFunction, insertionStatement, returnsNothing } from './find-express-handler.js';
import { findReadsAtCrash, type PropertyRead } from './find-accesses-at-crash.js';
import { indentOf, lineOf, lineStartOf, newlineOf, quote } from './source-layout.js';
import { refuse, type CrashLocation, type TemplateResult, type TextEdit } from './template-edit.js';

const ARRAY_MEMBERS = new Set([
  'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'flatMap', 'flat',
  'includes', 'indexOf', 'join', 'slice', 'length', 'concat', 'at', 'entries', 'keys', 'values',
]);
const ARITHMETIC = new Set([
  ts.SyntaxKind.MinusToken, ts.SyntaxKind.AsteriskToken, ts.SyntaxKind.SlashToken, ts.SyntaxKind.PercentToken,
  ts.SyntaxKind.AsteriskAsteriskToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.AsteriskEqualsToken, ts.SyntaxKind.SlashEqualsToken,
]);
const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken, ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken, ts.SyntaxKind.AsteriskEqualsToken,
  ts.SyntaxKind.SlashEqualsToken, ts.SyntaxKind.PercentEqualsToken, ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken,
]);

function isNumeric(node: ts.Expression): boolean {
  return ts.isNumericLiteral(node) || (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand));
}

/**
 * What to use when the guarded read finds nothing, from how its value is used: `[]` where it is
 * iterated or treated as an array, `0` in arithmetic, nothing (plain `?.`) elsewhere, where undefined
 * is what a missing value naturally reads as.
 */
function fallbackFor(read: PropertyRead): '[]' | '0' | undefined {
  let node: ts.Node = read;
  while (ts.isParenthesizedExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.expression === node && ARRAY_MEMBERS.has(parent.name.text)) return '[]';
  if (ts.isForOfStatement(parent) && parent.expression === node) return '[]';
  if (ts.isSpreadElement(parent) && ts.isArrayLiteralExpression(parent.parent)) return '[]';
  if (ts.isSpreadElement(parent) && ts.isCallExpression(parent.parent)) return '[]';
  if (ts.isBinaryExpression(parent)) {
    const other = parent.left === node ? parent.right : parent.left;
    if (ARITHMETIC.has(parent.operatorToken.kind)) return '0';
    if (parent.operatorToken.kind === ts.SyntaxKind.PlusToken && isNumeric(other)) return '0';
  }
  if (ts.isPrefixUnaryExpression(parent) && (parent.operator === ts.SyntaxKind.MinusToken || parent.operator === ts.SyntaxKind.PlusToken)) return '0';
  return undefined;
}

function isWriteTarget(read: PropertyRead): boolean {
  const parent = read.parent;
  if (ts.isBinaryExpression(parent) && parent.left === read && ASSIGNMENTS.has(parent.operatorToken.kind)) return true;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) &&
    (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return false;
}

// `a && a.x` or `if (a) a.x`-style guards already cover the read; a crash there means something else.
function isAlreadyGuarded(read: PropertyRead): boolean {
  if (read.questionDotToken) return true;
  const object = read.expression.getText();
  const parent = read.parent;
  return ts.isBinaryExpression(parent) && parent.right === read &&
    parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken && parent.left.getText() === object;
}

// The offset of the `.` of `a.x`, or of the `[` of `a[0]`: where `?.` goes.
function accessTokenStart(read: PropertyRead): number {
  const kind = ts.isPropertyAccessExpression(read) ? ts.SyntaxKind.DotToken : ts.SyntaxKind.OpenBracketToken;
  const token = read.getChildren().find((child) => child.kind === kind);
  return token ? token.getStart() : read.expression.end;
}

function earlyReturnBefore(statement: ts.Statement, location: CrashLocation, condition: string, body: string): TextEdit {
  const indent = indentOf(location.text, statement.getStart());
  const nl = newlineOf(location.text);
  const start = statement.getStart();
  const at = lineStartOf(location.text, start);
  // A statement that shares its line with code before it gets the guard on that line, just before it.
  if (location.text.slice(at, start).trim() !== '') return { start, end: start, text: `if (${condition} == null) ${body} ` };
  return { start: at, end: at, text: `${indent}if (${condition} == null) ${body}${nl}` };
}

/**
 * Guards the read of `property` that crashed with "Cannot read properties of undefined/null". In an
 * express handler, a value missing from the request (`req.body.order`) is the client's mistake: answer
 * 400 before the read. Elsewhere the read becomes optional (`a?.x`), defaulting to `[]` where the value
 * is iterated and `0` in arithmetic; a write through the missing object becomes an early `return;` in a
 * function that returns nothing, and is refused otherwise.
 */
export function guardPropertyAccess(location: CrashLocation, property: string, nullish: string): TemplateResult {
  const where = `${location.file}:${location.line}`;
  const reads = findReadsAtCrash(location, property);
  if (reads.length === 0) return refuse(`no read of '${property}' at ${where}; the frame does not map to this source`);
  if (reads.length > 1) return refuse(`${reads.length} reads of '${property}' at ${where}; which one was ${nullish} is ambiguous`);
  const read = reads[0] as PropertyRead;
  const objectText = read.expression.getText();
  if (isAlreadyGuarded(read)) return refuse(`\`${read.getText()}\` at ${where} is already guarded`);

  const fn = enclosingFunction(read);
  const handler = asExpressHandler(fn);
  const root = chainRoot(read.expression);
  const line = lineOf(location.sourceFile, read.getStart());
  const statement = fn ? insertionStatement(read, fn) : undefined;

  if (handler && statement && root && ts.isIdentifier(root) && root.text === handler.req) {
    const field = objectText.replace(new RegExp(`^${handler.req}\\.`), '');
    const body = `return ${handler.res}.status(400).json({ error: ${quote(`${field} is required`)} });`;
    return {
      ok: true, template: 'guard-property-access', file: location.file, line, confidence: 0.65,
      edits: [earlyReturnBefore(statement, location, objectText, body)],
      why: `\`${objectText}\` comes from the request and was ${nullish} when the handler read \`.${property}\`. ` +
        `A request without it is the client's error, so the handler now answers **400** with a JSON error before the read instead of crashing (a 500 at best).`,
    };
  }

  if (isWriteTarget(read)) {
    if (!fn || !statement || !root || !returnsNothing(fn)) {
      return refuse(`\`${read.getText()}\` at ${where} is written to, and an early return there could change what the function returns`);
    }
    return {
      ok: true, template: 'guard-property-access', file: location.file, line, confidence: 0.5,
      edits: [earlyReturnBefore(statement, location, objectText, 'return;')],
      why: `\`${objectText}\` was ${nullish} when the code wrote \`.${property}\`; the function returns nothing, so it now returns early when there is nothing to write to.`,
    };
  }

  const fallback = fallbackFor(read);
  const dot = accessTokenStart(read);
  const optional: TextEdit = ts.isPropertyAccessExpression(read) ? { start: dot, end: dot + 1, text: '?.' } : { start: dot, end: dot, text: '?.' };
  const edits: TextEdit[] = fallback
    ? [{ start: read.getStart(), end: read.getStart(), text: '(' }, optional, { start: read.end, end: read.end, text: ` ?? ${fallback})` }]
    : [optional];
  const use = fallback === '[]' ? 'is iterated, so it falls back to an empty list' : fallback === '0' ? 'feeds arithmetic, so it falls back to 0' : 'now reads as undefined, as a missing value would';
  return {
    ok: true, template: 'guard-property-access', file: location.file, line, confidence: fallback ? 0.6 : 0.55,
    edits,
    why: `\`${objectText}\` was ${nullish} when the code read \`.${property}\`. The read is now optional; its value ${use}.`,
  };
}

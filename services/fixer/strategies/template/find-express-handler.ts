import ts from 'typescript';

/** A function that express calls with (req, res[, next]), and the names it gives them. */
export interface ExpressHandler {
  node: ts.FunctionLikeDeclaration;
  req: string;
  res: string;
  next?: string;
  isAsync: boolean;
}

const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head']);

/** The nearest function containing `node` (the node itself when it is one). */
export function enclosingFunction(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let current: ts.Node | undefined = node; current; current = current.parent) {
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current) || ts.isArrowFunction(current) || ts.isMethodDeclaration(current)) {
      return current;
    }
  }
  return undefined;
}

function parameterName(parameter: ts.ParameterDeclaration | undefined): string | undefined {
  return parameter && ts.isIdentifier(parameter.name) ? parameter.name.text : undefined;
}

// A function passed to `app.get(…)`, `router.post(…)` and the like is a handler whatever its parameters are called.
function isRouteArgument(fn: ts.FunctionLikeDeclaration): boolean {
  const call = fn.parent;
  if (!call || !ts.isCallExpression(call) || !call.arguments.some((argument) => argument === fn)) return false;
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ROUTE_METHODS.has(callee.name.text.toLowerCase());
}

/**
 * Recognises an express-style handler: two or three identifier parameters named like (req, res, next), or
 * any such function passed straight to a route method. Error middleware (four parameters) is not one.
 */
export function asExpressHandler(fn: ts.FunctionLikeDeclaration | undefined): ExpressHandler | undefined {
  if (!fn || fn.parameters.length < 2 || fn.parameters.length > 3) return undefined;
  const [req, res, next] = fn.parameters.map(parameterName);
  if (!req || !res) return undefined;
  const named = /^req(uest)?$/i.test(req) && /^res(ponse)?$/i.test(res);
  if (!named && !isRouteArgument(fn)) return undefined;
  const isAsync = (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Async) !== 0;
  return { node: fn, req, res, ...(next ? { next } : {}), isAsync };
}

/** The identifier a chain like `req.body.items[0]` starts from, or undefined for anything else (calls, literals). */
export function chainRoot(expression: ts.Expression): ts.Identifier | ts.ThisExpression | undefined {
  let current: ts.Expression = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current)) current = current.expression;
    else if (ts.isPropertyAccessExpression(current)) current = current.expression;
    else if (ts.isElementAccessExpression(current)) {
      if (!ts.isStringLiteral(current.argumentExpression) && !ts.isNumericLiteral(current.argumentExpression)) return undefined;
      current = current.expression;
    } else if (ts.isIdentifier(current) || current.kind === ts.SyntaxKind.ThisKeyword) {
      return current as ts.Identifier | ts.ThisExpression;
    } else return undefined;
  }
}

/**
 * The statement to insert a guard before: the nearest statement holding `node` that sits directly in a
 * block, the file or a case clause, without leaving `within` (the function being guarded).
 */
export function insertionStatement(node: ts.Node, within: ts.Node): ts.Statement | undefined {
  for (let current: ts.Node | undefined = node; current && current !== within; current = current.parent) {
    const parent = current.parent;
    if (!parent) return undefined;
    if (ts.isFunctionLike(current) && current !== node) return undefined;
    if (ts.isStatement(current) && (ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent))) {
      return current;
    }
  }
  return undefined;
}

/** The try statement (with a catch clause) whose try block holds `node`, inside `fn`, if any. */
export function enclosingTryWithCatch(node: ts.Node, fn: ts.Node): ts.TryStatement | undefined {
  for (let current: ts.Node | undefined = node; current && current !== fn; current = current.parent) {
    const parent: ts.Node | undefined = current.parent;
    if (parent && ts.isTryStatement(parent) && parent.tryBlock === current && parent.catchClause) return parent;
  }
  return undefined;
}

/** True when `fn` never returns a value, so an early `return;` cannot change what callers receive. */
export function returnsNothing(fn: ts.FunctionLikeDeclaration): boolean {
  if (!fn.body || !ts.isBlock(fn.body)) return false;
  let valued = false;
  const visit = (node: ts.Node): void => {
    if (valued || (node !== fn && ts.isFunctionLike(node))) return;
    if (ts.isReturnStatement(node) && node.expression) valued = true;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return !valued && !fn.asteriskToken;
}

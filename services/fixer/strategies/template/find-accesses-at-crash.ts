import ts from 'typescript';
import { allNodes } from './source-layout.js';
import type { CrashLocation } from './template-edit.js';

export type PropertyRead = ts.PropertyAccessExpression | ts.ElementAccessExpression;

/** The name a read uses, as V8 prints it in "(reading 'x')": the identifier, or a literal index. */
export function readName(node: PropertyRead): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return ts.isIdentifier(node.name) ? node.name.text : undefined;
  const argument = node.argumentExpression;
  return ts.isStringLiteral(argument) || ts.isNumericLiteral(argument) || ts.isNoSubstitutionTemplateLiteral(argument) ? argument.text : undefined;
}

// V8 points a failed read at the property name (`a.b.|x`) or the bracket (`a|[0]`): anywhere from the
// end of the object expression to the end of the access.
function covers(node: ts.Node, from: number, position: number): boolean {
  return position >= from && position <= node.end;
}

/**
 * Nodes of the wanted kind on the crash line; narrowed to those the column points into when the frame
 * has a column that fits one of them.
 */
export function nodesAtCrash<T extends ts.Node>(
  location: CrashLocation,
  pick: (node: ts.Node) => T | undefined,
  anchor: (node: T) => { at: number; from: number },
): T[] {
  const onLine = allNodes(location.sourceFile)
    .map(pick)
    .filter((node): node is T => node !== undefined)
    .filter((node) => {
      const { at } = anchor(node);
      return at >= location.lineStart && at < location.lineEnd;
    });
  const position = location.position;
  if (position === undefined) return onLine;
  const pointed = onLine.filter((node) => covers(node, anchor(node).from, position));
  return pointed.length > 0 ? pointed : onLine;
}

/** Reads of `name` (property or literal element access) at the crash site. */
export function findReadsAtCrash(location: CrashLocation, name: string): PropertyRead[] {
  return nodesAtCrash(
    location,
    (node) => ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) && readName(node) === name ? node : undefined),
    (node) => ({
      at: ts.isPropertyAccessExpression(node) ? node.name.getStart() : node.argumentExpression.getStart(),
      from: node.expression.end,
    }),
  );
}

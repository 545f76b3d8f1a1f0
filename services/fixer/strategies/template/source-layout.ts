import ts from 'typescript';

/** The file's newline: CRLF when its first line ends with one. */
export function newlineOf(text: string): string {
  const first = text.indexOf('\n');
  return first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
}

/** Offset where the line holding `position` starts. */
export function lineStartOf(text: string, position: number): number {
  return text.lastIndexOf('\n', position - 1) + 1;
}

/** The leading whitespace of the line holding `position`. */
export function indentOf(text: string, position: number): string {
  const start = lineStartOf(text, position);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** One level of indentation as the file writes it: a tab, or the smallest run of leading spaces (2 when unknown). */
export function indentUnitOf(text: string): string {
  let smallest = Infinity;
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) return '\t';
    const spaces = /^( +)\S/.exec(line)?.[1]?.length;
    if (spaces !== undefined && spaces < smallest) smallest = spaces;
  }
  return ' '.repeat(Number.isFinite(smallest) && smallest <= 8 ? smallest : 2);
}

/** 1-based line of an offset. */
export function lineOf(sourceFile: ts.SourceFile, position: number): number {
  return sourceFile.getLineAndCharacterOfPosition(position).line + 1;
}

/** Every node under `root`, depth first. */
export function allNodes(root: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

/** A name not used as an identifier anywhere under `scope`, from the preferred list (numbered when all are taken). */
export function freshName(scope: ts.Node, preferred: readonly string[]): string {
  const used = new Set(allNodes(scope).filter(ts.isIdentifier).map((id) => id.text));
  for (const name of preferred) if (!used.has(name)) return name;
  const base = preferred[0] ?? 'value';
  for (let n = 2; ; n++) if (!used.has(`${base}${n}`)) return `${base}${n}`;
}

/** A single-quoted JS string literal for a message we write. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, ' ')}'`;
}

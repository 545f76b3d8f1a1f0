/** Prints rows as an aligned two-or-more-column table under a title, so each run says what it did. */
export function printTable(title: string, rows: [string, string | number][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  process.stdout.write(`\n== ${title}\n${lines.join('\n')}\n`);
}

// Optimal string alignment distance: Levenshtein plus transposition, the commonest typo ("prot").
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const above = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

// `max_attempts`, `MaxAttempts` and `max-attempts` are all meant as `maxAttempts`.
const normalise = (word: string) => word.toLowerCase().replace(/[-_\s]/g, '');

/** The candidate `word` was most likely meant to be, if one is close enough to suggest. */
export function suggestClosest(word: string, candidates: readonly string[]): string | undefined {
  // Long garbage keys are not typos, and comparing them would only cost time.
  if (word.length > 64) return undefined;
  const target = normalise(word);
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(target, normalise(candidate));
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  const allowed = Math.max(1, Math.floor(target.length / 3));
  return best !== undefined && best.distance <= allowed ? best.candidate : undefined;
}

/** The files git tracks at one revision, indexed by file name for suffix matching. */
export interface TrackedFiles {
  /** The commit the listing was taken at. */
  revision: string;
  files: readonly string[];
  byBasename: ReadonlyMap<string, readonly string[]>;
}

export function indexTrackedFiles(revision: string, files: readonly string[]): TrackedFiles {
  const byBasename = new Map<string, string[]>();
  for (const file of files) {
    const basename = file.slice(file.lastIndexOf('/') + 1);
    const list = byBasename.get(basename);
    if (list) list.push(file);
    else byBasename.set(basename, [file]);
  }
  return { revision, files, byBasename };
}

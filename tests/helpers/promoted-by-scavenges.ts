import v8 from 'node:v8';

type SpaceStatistics = { spaceName: string; spaceUsedSize: number }[];
const oldSpaceUsed = (spaces: SpaceStatistics) => spaces.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0;

/**
 * The bytes each young collection (scavenge) promoted into the old generation while `run` ran: how
 * much old space grew across it (v8.GCProfiler), which only promotion makes it do.
 */
export async function promotedByScavenges(run: () => unknown): Promise<number[]> {
  const profiler = new v8.GCProfiler();
  profiler.start();
  await run();
  return profiler
    .stop()
    .statistics    .filter((collection) => collection.gcType === 'Scavenge')
    .map((collection) => Math.max(0, oldSpaceUsed(collection.afterGC.heapSpaceStatistics) - oldSpaceUsed(collection.beforeGC.heapSpaceStatistics)));
}

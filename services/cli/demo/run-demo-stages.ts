/** One step of the demo: it does its work on the shared context and says in one line what happened. */
export interface DemoStage<C> {
  /** Its key in the JSON `timings`, e.g. `triage`. */
  name: string;
  /** Its label in the printed timeline. */
  title: string;
  /** Throws to stop the demo at this stage; the error's message is shown. */
  run(ctx: C): Promise<string>;
}

export interface StageRecord {
  name: string;
  title: string;
  ok: boolean;
  ms: number;
  /** What the stage reported, or why it failed. */
  detail: string;
}

export interface StagesOutcome {
  stages: StageRecord[];
  /** The stage that threw, if one did; later stages did not run. */
  failed?: { stage: string; error: string };
  totalMs: number;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the stages in order, timing each, until one fails. `onStage` sees each record as soon as its stage
 * ends, so a person watching gets the timeline live. The demo's later steps (fix, verification) are
 * more stages appended to the list.
 */
export async function runDemoStages<C>(
  stages: readonly DemoStage<C>[],
  ctx: C,
  { onStage, now = () => performance.now() }: { onStage?: (record: StageRecord) => void; now?: () => number } = {},
): Promise<StagesOutcome> {
  const records: StageRecord[] = [];
  const started = now();
  for (const stage of stages) {
    const stageStarted = now();
    let record: StageRecord;
    try {
      const detail = await stage.run(ctx);
      record = { name: stage.name, title: stage.title, ok: true, ms: Math.round(now() - stageStarted), detail };
    } catch (error) {
      record = { name: stage.name, title: stage.title, ok: false, ms: Math.round(now() - stageStarted), detail: describeError(error) };
    }
    records.push(record);
    onStage?.(record);
    if (!record.ok) return { stages: records, failed: { stage: stage.name, error: record.detail }, totalMs: Math.round(now() - started) };
  }
  return { stages: records, totalMs: Math.round(now() - started) };
}

import { isErrorLevel, logLevels, type LogLevel, type LogRecord } from '../evidence/log-record.js';
import type { AnomalousTemplate, TriageReport } from '../report/triage-report.js';
import { countBaselineTemplates, type BaselineTemplateCounts } from './count-baseline-templates.js';
import { createTemplateMiner, type TemplateMiner } from './create-template-miner.js';

/** When a template that the baseline already had counts as bursting in the incident window. */
export interface BurstPolicy {
  /** Fewer incident lines than this are never a burst, whatever the ratio: one-offs are noise. */
  minCount: number;
  /** Incident rate over baseline rate (per millisecond of each window). */
  minRateRatio: number;
  /** (observed − expected) / √expected, with expected the baseline rate over the incident window. */
  minZScore: number;
}

export const defaultBurstPolicy: Readonly<BurstPolicy> = Object.freeze({ minCount: 5, minRateRatio: 3, minZScore: 3 });

export interface FindAnomalousTemplatesInput {
  /**
   * The baseline window `[window.baselineFrom, window.from)`: its lines (mined here, oldest first), or
   * counts already streamed through `countBaselineTemplates`, whose miner then mines the incident too.
   */
  baseline: readonly LogRecord[] | BaselineTemplateCounts;
  /** Lines of the incident window `[window.from, window.to]`. */
  incident: readonly LogRecord[];
  window: TriageReport['window'];
  /** Defaults to a fresh miner with the default configuration; ignored when `baseline` is counts (they carry theirs). */
  miner?: TemplateMiner;
  burst?: Partial<BurstPolicy>;
  /** Raw lines kept per template as evidence (the earliest ones). */
  maxExamples?: number;
}

interface IncidentStats {
  service: string;
  templateId: string;
  count: number;
  level: LogLevel;
  firstSeen: number;
  examples: LogRecord[];
}

const levelRank = (level: LogLevel) => logLevels.indexOf(level);

function isCounts(baseline: FindAnomalousTemplatesInput['baseline']): baseline is BaselineTemplateCounts {
  return !Array.isArray(baseline);
}

function byTime(records: readonly LogRecord[]): LogRecord[] {
  return [...records].sort((a, b) => a.timestamp - b.timestamp);
}

/**
 * Mines the baseline and the incident window with one miner (baseline first, so its templates are the
 * reference) and returns, per service, the templates that are new in the incident window or bursting
 * there, most suspicious first: error-level ones, then new before bursting, then by count. Templates are
 * matched across the windows by cluster id, which stays stable while a template generalises (and
 * resolves to the surviving cluster when clusters merge).
 */
export function findAnomalousTemplates(input: FindAnomalousTemplatesInput): AnomalousTemplate[] {
  const policy = { ...defaultBurstPolicy, ...input.burst };
  const maxExamples = input.maxExamples ?? 3;
  const key = (service: string, templateId: string) => `${service}\u0000${templateId}`;

  let baseline: BaselineTemplateCounts;
  if (isCounts(input.baseline)) baseline = input.baseline;
  else {
    baseline = countBaselineTemplates(input.miner ?? createTemplateMiner());
    for (const record of byTime(input.baseline)) baseline.add(record);
  }
  const { miner } = baseline;

  // Lines are keyed by the id their cluster has once everything is mined: clusters may merge on the way.
  const incidentLines = byTime(input.incident);
  const minedIds = incidentLines.map((record) => miner.add(record.message).templateId);
  const resolve = (templateId: string) => miner.resolve(templateId) ?? templateId;
  const baselineCounts = baseline.resolved(key);

  const incident = new Map<string, IncidentStats>();
  for (let i = 0; i < incidentLines.length; i++) {
    const record = incidentLines[i]!;
    const templateId = resolve(minedIds[i]!);
    const k = key(record.service, templateId);
    let stats = incident.get(k);
    if (!stats) {
      stats = { service: record.service, templateId, count: 0, level: record.level, firstSeen: record.timestamp, examples: [] };
      incident.set(k, stats);
    }
    stats.count++;
    if (levelRank(record.level) > levelRank(stats.level)) stats.level = record.level;
    if (stats.examples.length < maxExamples) stats.examples.push(record);
  }

  const { baselineFrom, from, to } = input.window;
  // Both windows as at least 1 ms so that an empty or inverted window cannot divide by zero.
  const windowRatio = Math.max(1, to - from) / Math.max(1, from - baselineFrom);
  const anomalies: AnomalousTemplate[] = [];
  for (const [k, stats] of incident) {
    const baselineCount = baselineCounts.get(k) ?? 0;
    const kind = baselineCount === 0 ? 'new' : isBursting(stats.count, baselineCount * windowRatio, policy) ? 'bursting' : undefined;
    if (!kind) continue;
    anomalies.push({
      service: stats.service,
      templateId: stats.templateId,
      template: miner.templateOf(stats.templateId) ?? '',
      kind,
      level: stats.level,
      incidentCount: stats.count,
      baselineCount,
      firstSeen: stats.firstSeen,
      examples: stats.examples.map(({ message, timestamp, origin, traceId }) =>
        traceId === undefined ? { message, timestamp, origin } : { message, timestamp, origin, traceId },
      ),
    });
  }
  return anomalies.sort(bySuspicion);
}

/** A rate well above the baseline's, by enough lines that chance is an unlikely explanation. */
export function isBursting(observed: number, expected: number, policy: BurstPolicy = defaultBurstPolicy): boolean {
  if (observed < policy.minCount) return false;
  if (observed < policy.minRateRatio * expected) return false;
  return (observed - expected) / Math.sqrt(Math.max(expected, 1)) >= policy.minZScore;
}

function bySuspicion(a: AnomalousTemplate, b: AnomalousTemplate): number {
  return (
    Number(isErrorLevel(b.level)) - Number(isErrorLevel(a.level)) ||
    Number(b.kind === 'new') - Number(a.kind === 'new') ||
    b.incidentCount - a.incidentCount ||
    levelRank(b.level) - levelRank(a.level) ||
    a.firstSeen - b.firstSeen ||
    (a.service < b.service ? -1 : a.service > b.service ? 1 : 0) ||
    (a.templateId < b.templateId ? -1 : a.templateId > b.templateId ? 1 : 0)
  );
}

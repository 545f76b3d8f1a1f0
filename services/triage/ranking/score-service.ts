import { isErrorLevel } from '../evidence/log-record.js';
import type { AnomalousTemplate } from '../report/triage-report.js';
import type { AlertSignal } from './alert-signal.js';
import type { TraceEvidence } from './collect-service-evidence.js';
import { looksPropagated } from './looks-propagated.js';

/** Everything known about one service, from traces, templates, alerts and stack frames. */
export interface ServiceSignals {
  service: string;
  trace?: TraceEvidence;
  anomalies: AnomalousTemplate[];
  /** Its earliest alert. */
  alert?: AlertSignal;
  inAppFrames: number;
  topFrame?: { function?: string; filename?: string };
}

/**
 * How much each signal is worth. Being the origin of failing traces dominates; the earliest anomalous
 * error and a new error template corroborate it; failures that read as propagated discount the service
 * that logs them. The "unexplained" mass keeps confidences honest when the evidence is thin.
 */
export const rankWeights = {
  origin: 3,
  firstAnomaly: 1.5,
  template: 1.5,
  named: 1,
  inAppFrames: 0.5,
  alert: 0.1,
  propagatedDiscount: 0.7,
  /** Traces without any anomalous error (chronic failures also seen in the baseline) count this much. */
  chronicTrace: 0.2,
  /** With no correlated traces, the whole window is judged as one pseudo-trace and its signals count this much. */
  summaryTrace: 0.5,
  unexplained: 0.5,
} as const;

export interface ServiceScore {
  score: number;
  parts: { origin: number; firstAnomaly: number; template: number; named: number; frames: number; alert: number };
  /** Share of its failing traces whose first error read as propagated. */
  propagatedShare: number;
  /** Its strongest anomalous template, if any. */
  template?: AnomalousTemplate;
}

/** Strength of one anomalous template: new error templates count most, info-level bursts not at all. */
export function templateStrength(anomaly: AnomalousTemplate, maxErrorCount: number): number {
  const prevalence = 0.3 + 0.7 * Math.min(1, anomaly.incidentCount / Math.max(1, maxErrorCount));
  if (isErrorLevel(anomaly.level)) {
    return (anomaly.kind === 'new' ? 1 : 0.6) * (looksPropagated(anomaly.template) ? 0.2 : 1) * prevalence;
  }
  return anomaly.level === 'warn' ? 0.1 * prevalence : 0;
}

export interface ScoreContext {
  /** Total weight of the failing traces analysed. */
  totalWeight: number;
  /** The largest incident count among error-level anomalies, to tell a real failure from a one-off. */
  maxErrorCount: number;
  /** Whether the trace evidence is a whole-window summary rather than correlated traces. */
  summary: boolean;
}

export function scoreService(signals: ServiceSignals, context: ScoreContext): ServiceScore {
  const { totalWeight, maxErrorCount } = context;
  // One whole-window summary is weaker evidence than many traces that agree.
  const scale = context.summary ? rankWeights.summaryTrace : 1;
  const share = (value: number): number => (totalWeight > 0 ? scale * Math.min(1, value / totalWeight) : 0);
  const trace = signals.trace;
  let template: AnomalousTemplate | undefined;
  let strength = 0;
  for (const anomaly of signals.anomalies) {
    const candidate = templateStrength(anomaly, maxErrorCount);
    if (template === undefined || candidate > strength) {
      template = anomaly;
      strength = candidate;
    }
  }
  const parts = {
    origin: rankWeights.origin * share(trace?.originCredit ?? 0),
    firstAnomaly: rankWeights.firstAnomaly * share(trace?.firstAnomalyWeight ?? 0),
    template: rankWeights.template * strength,
    named: rankWeights.named * share(trace?.namedWeight ?? 0),
    frames: rankWeights.inAppFrames * Math.min(1, signals.inAppFrames / 3),
    alert: signals.alert ? rankWeights.alert : 0,
  };
  const positive = Object.values(parts).reduce((sum, part) => sum + part, 0);
  const propagatedShare = trace && trace.failingTraces > 0 ? trace.propagatedTraces / trace.failingTraces : 0;
  return {
    score: positive * (1 - rankWeights.propagatedDiscount * propagatedShare),
    parts,
    propagatedShare,
    ...(template ? { template } : {}),
  };
}

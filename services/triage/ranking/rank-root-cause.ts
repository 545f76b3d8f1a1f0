import { isErrorLevel } from '../evidence/log-record.js';
import type { AnomalousTemplate, CallEdge, RankedService, TraceTimeline } from '../report/triage-report.js';
import type { AlertSignal, StackFrameSignal } from './alert-signal.js';
import { analyseFailingTrace, type TraceContext, type TraceFinding } from './analyse-failing-trace.js';
import { collectServiceEvidence, type EvidenceSummary } from './collect-service-evidence.js';
import { createServiceNamer } from './create-service-namer.js';
import { describeService } from './describe-service.js';
import { indexCallGraph } from './index-call-graph.js';
import { createAnomalyMatcher } from './match-anomaly.js';
import { rankWeights, scoreService, type ServiceScore, type ServiceSignals } from './score-service.js';
import { classifySummaryEntry, summariseWindow } from './summarise-window.js';

export interface RankRootCauseInput {
  traces: readonly TraceTimeline[];
  callGraph: readonly CallEdge[];
  anomalies: readonly AnomalousTemplate[];
  alerts: readonly AlertSignal[];
  frames?: readonly StackFrameSignal[];
  /** Services known to exist even if they logged nothing (e.g. from configuration), so failures naming them can point at them. */
  services?: readonly string[];
}

function knownServices(input: RankRootCauseInput): Set<string> {
  const services = new Set<string>(input.services);
  for (const trace of input.traces) for (const service of trace.services) services.add(service);
  for (const { caller, callee } of input.callGraph) services.add(caller).add(callee);
  for (const { service } of [...input.anomalies, ...input.alerts, ...(input.frames ?? [])]) services.add(service);
  return services;
}

function hasFailure(trace: TraceTimeline): boolean {
  for (const service in trace.firstErrorAt) if (Object.hasOwn(trace.firstErrorAt, service)) return true;
  return false;
}

function analyse(input: RankRootCauseInput, context: Omit<TraceContext, 'classify'>): { mode: 'traces' | 'summary'; evidence: EvidenceSummary } {
  const failing = input.traces.filter(hasFailure);
  if (failing.length > 0) {
    const match = createAnomalyMatcher(input.anomalies);
    const classify: TraceContext['classify'] = (entry) => {
      const found = match(entry);
      return found && { label: found.anomaly.template, kind: found.anomaly.kind, propagated: found.propagated };
    };
    const traceContext = { ...context, classify, originCache: new Map() };
    const findings = failing.map((trace) => analyseFailingTrace(trace, traceContext));
    const anyErrorAnomaly = input.anomalies.some((anomaly) => isErrorLevel(anomaly.level));
    const weightOf = (finding: TraceFinding): number => (!anyErrorAnomaly || finding.anomalous ? 1 : rankWeights.chronicTrace);
    return { mode: 'traces', evidence: collectServiceEvidence(findings, weightOf) };
  }
  const summary = summariseWindow(input.anomalies, input.alerts);
  const findings = summary ? [analyseFailingTrace(summary, { ...context, classify: classifySummaryEntry(input.anomalies) })] : [];
  return { mode: 'summary', evidence: collectServiceEvidence(findings, () => 1) };
}

function gatherSignals(input: RankRootCauseInput, evidence: EvidenceSummary): ServiceSignals[] {
  const signals = new Map<string, ServiceSignals>();
  const of = (service: string): ServiceSignals => {
    let found = signals.get(service);
    if (found === undefined) {
      found = { service, anomalies: [], inAppFrames: 0 };
      signals.set(service, found);
    }
    return found;
  };
  for (const [service, trace] of evidence.byService) of(service).trace = trace;
  for (const anomaly of input.anomalies) of(anomaly.service).anomalies.push(anomaly);
  for (const alert of input.alerts) {
    const target = of(alert.service);
    const inApp = Math.max(target.alert?.inAppFrames ?? 0, alert.inAppFrames ?? 0);
    const earliest = target.alert === undefined || alert.firstSeen < target.alert.firstSeen ? alert : target.alert;
    const known = alert.inAppFrames !== undefined || target.alert?.inAppFrames !== undefined;
    target.alert = { ...earliest, ...(known ? { inAppFrames: inApp } : {}) };
    target.inAppFrames = Math.max(target.inAppFrames, inApp);
  }
  const frameCounts = new Map<string, number>();
  for (const frame of input.frames ?? []) {
    if (!frame.inApp) continue;
    frameCounts.set(frame.service, (frameCounts.get(frame.service) ?? 0) + 1);
    const target = of(frame.service);
    target.topFrame ??= { ...(frame.function ? { function: frame.function } : {}), ...(frame.filename ? { filename: frame.filename } : {}) };
  }
  for (const [service, count] of frameCounts) of(service).inAppFrames = Math.max(of(service).inAppFrames, count);
  return [...signals.values()];
}

function firstSeen(signals: ServiceSignals): number {
  const errors = signals.anomalies.filter((a) => isErrorLevel(a.level)).map((a) => a.firstSeen);
  return Math.min(signals.trace?.firstErrorAt ?? Infinity, signals.alert?.firstSeen ?? Infinity, ...errors);
}

/**
 * Ranks the services most likely to be the root cause, best first. Confidences are scores normalised
 * over all candidates plus an "unexplained" share, so they sum to less than 1 and stay low when the
 * evidence is thin. The service that alerted first is often a victim: a gateway alerts on 502s while the
 * deepest failing service on the call path, whose callees are healthy, broke first.
 */
export function rankRootCause(input: RankRootCauseInput): RankedService[] {
  const services = knownServices(input);
  const graph = indexCallGraph(input.callGraph);
  const { mode, evidence } = analyse(input, { graph, nameServices: createServiceNamer(services) });
  const maxErrorCount = Math.max(1, ...input.anomalies.filter((a) => isErrorLevel(a.level)).map((a) => a.incidentCount));
  const scoring = { totalWeight: evidence.totalWeight, maxErrorCount, summary: mode === 'summary' };
  const scored = gatherSignals(input, evidence)
    .map((signals) => ({ signals, score: scoreService(signals, scoring), at: firstSeen(signals) }))
    .filter(({ signals, score }) => score.score > 0 || signals.trace !== undefined || signals.anomalies.length > 0 || signals.alert);
  scored.sort(
    (a, b) =>
      (sameScore(a.score.score, b.score.score) ? 0 : b.score.score - a.score.score) ||
      a.at - b.at ||
      a.signals.service.localeCompare(b.signals.service),
  );

  const total = scored.reduce((sum, { score }) => sum + score.score, 0) + rankWeights.unexplained;
  const top = scored[0] && scored[0].score.score > 0 ? scored[0].signals.service : '';
  const firstAlert = [...input.alerts].sort((a, b) => a.firstSeen - b.firstSeen)[0];
  return scored.map(({ signals, score }) => ({
    service: signals.service,
    confidence: Math.round((score.score / total) * 1000) / 1000,
    reasons: describeService(signals, score, {
      mode,
      traceCount: evidence.traceCount,
      top,
      ...(firstAlert ? { firstAlert } : {}),
      blames: blamedBy(signals.service, evidence),
      tiedWith: tiedWith(signals.service, score, scored),
    }),
  }));
}

function blamedBy(service: string, evidence: EvidenceSummary): string[] {
  return [...evidence.byService.values()].filter((e) => e.namedBy.has(service)).map((e) => e.service);
}

/** Scores reached by different sums of the same evidence can differ in the last bits; that is a tie. */
function sameScore(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(1, a, b);
}

function tiedWith(service: string, score: ServiceScore, scored: ReadonlyArray<{ signals: ServiceSignals; score: ServiceScore }>): string[] {
  if (score.score <= 0) return [];
  return scored.filter((other) => other.signals.service !== service && sameScore(other.score.score, score.score)).map((other) => other.signals.service);
}

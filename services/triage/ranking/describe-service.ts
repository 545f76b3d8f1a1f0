import { isErrorLevel, logLevels } from '../evidence/log-record.js';
import type { AnomalousTemplate } from '../report/triage-report.js';
import type { AlertSignal } from './alert-signal.js';
import type { TraceEvidence } from './collect-service-evidence.js';
import { formatClock, formatDuration, listNames, median, plural, possessive, quote } from './format-evidence.js';
import { looksPropagated } from './looks-propagated.js';
import type { ServiceScore, ServiceSignals } from './score-service.js';

export interface DescribeContext {
  mode: 'traces' | 'summary';
  traceCount: number;
  /** The service ranked first, or '' when nothing has any confidence. */
  top: string;
  firstAlert?: AlertSignal;
  /** Services whose failures this service's propagated errors name. */
  blames: string[];
  tiedWith: string[];
}

/** Most frequent first; equal counts keep first-seen order (nearest caller first). */
function byCount(counts: Map<string, number>): string[] {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([name]) => name);
}

/** A list short enough to read: the first few, then how many more. */
function listSome(items: readonly string[], limit = 5): string {
  return items.length <= limit ? listNames(items) : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

function originReason(s: string, trace: TraceEvidence, context: DescribeContext): string | undefined {
  if (trace.originCredit <= 0) return undefined;
  const callers = byCount(trace.explainedCallers);
  if (context.mode === 'summary') {
    return callers.length > 0
      ? `Propagation (no correlated traces, judged over the whole window): ${s} is the deepest failing service — ${listSome(callers)} failed too and ${callers.length === 1 ? 'its failures lead' : 'their failures lead'} to ${s}, while its own callees show no errors.`
      : `No correlated traces: ${s} has failures of its own that no failing callee explains.`;
  }
  const of = `${trace.originTraces} of ${plural(context.traceCount, 'failing trace')}`;
  if (callers.length === 0) return `In ${of} ${s} failed on its own: no caller or callee failed with it.`;
  const withCounts = callers.map((caller) => `${caller} (${trace.explainedCallers.get(caller)!})`);
  return `Propagation: in ${of} ${s} was the deepest failure on the call path — its own callees were healthy while its callers failed with it: ${listSome(withCounts)}.`;
}

function timingReasons(s: string, trace: TraceEvidence, context: DescribeContext): string[] {
  const reasons: string[] = [];
  // The callers it shares most traces with; a long tail of timings says nothing new.
  const callers = byCount(new Map([...trace.leadsOverCallers].map(([c, leads]) => [c, leads.length]))).slice(0, 2);
  for (const caller of callers) {
    const leads = trace.leadsOverCallers.get(caller)!;
    const before = leads.filter((lead) => lead > 0);
    if (context.mode === 'summary') {
      // A callee failing first is already in the first-anomaly reason; only the surprising order needs saying.
      const lead = leads[0]!;
      if (lead < 0) {
        reasons.push(`${caller} failed ${formatDuration(lead)} before it: clock skew or delayed logging can reorder services, and ${possessive(caller)} failures still point at ${s}.`);
      }
    } else if (before.length * 2 >= leads.length) {
      reasons.push(
        `Errors propagated upward: ${possessive(s)} first error preceded ${possessive(caller)} in ${before.length} of ${plural(leads.length, 'trace')} where both failed (median ${formatDuration(median(before))} earlier).`,
      );
    } else {
      reasons.push(
        `Timing alone does not settle it: ${possessive(s)} first error preceded ${possessive(caller)} in only ${before.length} of ${plural(leads.length, 'trace')} where both failed (clock skew between hosts or logging after the fact can reorder them)${trace.originTraces > 0 ? ', but the call path and error messages do' : ''}.`,
      );
    }
  }
  return reasons;
}

function firstAnomalyReason(s: string, trace: TraceEvidence, context: DescribeContext): string | undefined {
  // The template that came first most often, not a one-off that happened to be earliest.
  const earliest = [...trace.firstAnomalies.values()].sort((a, b) => b.traces - a.traces || a.at - b.at)[0];
  if (earliest === undefined) return undefined;
  const { anomaly } = earliest;
  const did =
    anomaly.kind === 'alert'
      ? `${s} alerted${anomaly.label ? ` (${anomaly.label})` : ''}`
      : `${s} logged its first ${anomaly.kind} error template ${quote(anomaly.label)}`;
  const later = earliest.laterFailures.slice(0, 3).map((f) => `${formatDuration(f.afterMs)} before ${possessive(f.service)}`);
  const after = later.length > 0 ? `, ${listNames(later)} first error` : '';
  if (context.mode === 'summary') return `${did} at ${formatClock(earliest.at)}${after}.`;
  return `${did} at ${formatClock(earliest.at)}${after} in trace ${earliest.traceId}; it was the earliest anomalous error in ${earliest.traces} of ${plural(context.traceCount, 'failing trace')}.`;
}

function namedReason(s: string, trace: TraceEvidence, context: DescribeContext): string | undefined {
  if (trace.namedTraces === 0 || trace.namedExample === undefined) return undefined;
  const namers = byCount(trace.namedBy);
  const where = context.mode === 'summary' ? '' : ` in ${trace.namedTraces} of ${plural(context.traceCount, 'failing trace')}`;
  return `${listNames(namers.map(possessive))} failures name ${s} as the callee that failed${where} (e.g. ${trace.namedExample.by}: ${quote(trace.namedExample.message)}).`;
}

function templateReason(anomalies: readonly AnomalousTemplate[]): string | undefined {
  const counts = (a: AnomalousTemplate): string => `${plural(a.incidentCount, 'line')} in the incident window, ${a.baselineCount} in the baseline`;
  const errors = anomalies.filter((a) => isErrorLevel(a.level)).sort((a, b) => b.incidentCount - a.incidentCount);
  if (errors.length === 0) {
    const severity = (a: AnomalousTemplate): number => logLevels.indexOf(a.level);
    const loudest = [...anomalies].sort((a, b) => severity(b) - severity(a) || b.incidentCount - a.incidentCount)[0];
    if (loudest === undefined) return undefined;
    return `Only ${loudest.level}-level anomalies: ${loudest.kind} template ${quote(loudest.template)} (${counts(loudest)}); bursts of ${loudest.level} lines are not failures.`;
  }
  const described = errors.slice(0, 2).map((a) => {
    const propagated = looksPropagated(a.template) ? ', reading as propagated from a callee' : '';
    return `${a.kind === 'new' ? 'new' : 'bursting'} ${quote(a.template)} (${counts(a)}${propagated})`;
  });
  const more = errors.length > 2 ? ` and ${errors.length - 2} more` : '';
  return `Error templates vs the baseline: ${listNames(described)}${more}.`;
}

function framesReason(signals: ServiceSignals): string | undefined {
  if (signals.inAppFrames > 0) {
    const top = signals.topFrame;
    const where = top?.function || top?.filename ? ` (top: ${[top.function, top.filename].filter(Boolean).join(' in ')})` : '';
    return `Its errors carry ${plural(signals.inAppFrames, 'in-app stack frame')}${where}: the exception is raised in its own code.`;
  }
  if (signals.alert?.inAppFrames === 0) return 'Its alert has no in-app stack frames: the error surfaced in library or network code, as propagated failures do.';
  return undefined;
}

function propagatedReason(s: string, trace: TraceEvidence, context: DescribeContext): string | undefined {
  if (trace.propagatedTraces === 0) return undefined;
  const example = trace.propagatedExample ? ` (e.g. ${quote(trace.propagatedExample)})` : '';
  const toward = context.blames.length > 0 ? `they count toward ${listNames(context.blames)} rather than ${s}` : `they count only weakly against ${s}`;
  const where = context.mode === 'summary' ? '' : ` in ${trace.propagatedTraces} of its ${plural(trace.failingTraces, 'failing trace')}`;
  return `Its errors read as failures propagated from a callee${where}${example}, so ${toward}.`;
}

function alertReason(s: string, signals: ServiceSignals, context: DescribeContext): string | undefined {
  const alert = signals.alert;
  if (alert === undefined) return undefined;
  const type = alert.errorType ? ` (${alert.errorType})` : '';
  const first = context.firstAlert?.service === s;
  if (first && context.top !== '' && context.top !== s) {
    return `${s} alerted first, at ${formatClock(alert.firstSeen)}${type}, but that alert is a symptom of the failure ranked at ${context.top}.`;
  }
  return `${first ? 'Alerted first' : 'Alerted'} at ${formatClock(alert.firstSeen)}${type}.`;
}

/** Human-readable reasons for one service's rank, citing the evidence behind each signal. */
export function describeService(signals: ServiceSignals, score: ServiceScore, context: DescribeContext): string[] {
  const s = signals.service;
  const trace = signals.trace;
  const victim = score.propagatedShare >= 0.5;
  const lead = [
    trace && originReason(s, trace, context),
    ...(trace ? timingReasons(s, trace, context) : []),
    trace && firstAnomalyReason(s, trace, context),
    trace && namedReason(s, trace, context),
    templateReason(signals.anomalies),
    framesReason(signals),
  ];
  const alertedFirst = trace && [...trace.firstAnomalies.values()].some((first) => first.anomaly.kind === 'alert');
  const alert = alertedFirst && context.firstAlert?.service !== s ? undefined : alertReason(s, signals, context);
  const against = [trace && propagatedReason(s, trace, context), alert];
  const reasons = (victim ? [...against, ...lead] : [...lead, ...against]).filter((r): r is string => typeof r === 'string');
  if (context.tiedWith.length > 0) reasons.push(`Tied with ${listNames(context.tiedWith)} on the evidence; ordered by first error time, then name.`);
  if (reasons.length === 0) reasons.push('No error evidence in the window.');
  return reasons;
}

import type { Logger } from 'pino';
import type { RepositoryConfig, ServiceConfig, TriageConfig } from '../../shared/config/triage-schema.js';
import type { AlertReceivedPayload } from '../../shared/events/alert-received.js';
import type { Store } from '../../shared/store/store.js';
import { collectLogs } from './collect-logs.js';
import { createLogRecordCompactor } from './compact-log-record.js';
import { correlateLogs } from './correlation/correlate-logs.js';
import type { LogSource } from './evidence/log-source.js';
import type { CallPaths } from './grouping/create-call-paths.js';
import type { AlertSignal, StackFrameSignal } from './ranking/alert-signal.js';
import { rankRootCause } from './ranking/rank-root-cause.js';
import type { CallEdge, CrashSite, SuspectCommit, TriageReport } from './report/triage-report.js';
import { findSuspectsForStack, type MappedStack, type RunGit, type TrackedFilesCache } from './suspects/index.js';
import { createFailingRequestCollector } from './report/collect-failing-requests.js';
import { countBaselineTemplates } from './templates/count-baseline-templates.js';
import { findAnomalousTemplates } from './templates/find-anomalous-templates.js';

/** Everything triage reads: the store, the log backends, the system's shape from configuration, git. */
export interface TriageDeps {
  store: Store;
  logSources: readonly LogSource[];
  services: Readonly<Record<string, ServiceConfig>>;
  repositories: Readonly<Record<string, RepositoryConfig>>;
  settings: TriageConfig;
  callPaths: CallPaths;
  runGit: RunGit;
  trackedFiles: TrackedFilesCache;
  log: Logger;
}

function timeOf(alert: AlertReceivedPayload, which: 'first' | 'last'): number {
  const seen = which === 'first' ? alert.firstSeen : alert.lastSeen;
  return Date.parse(seen ?? alert.firedAt);
}

/** Configured calls count as edges too: a quiet callee still sits on the path. */
function withDeclaredCalls(observed: CallEdge[], services: Readonly<Record<string, ServiceConfig>>): CallEdge[] {
  const edges = [...observed];
  for (const [caller, service] of Object.entries(services)) {
    for (const callee of service.calls) {
      if (!edges.some((edge) => edge.caller === caller && edge.callee === callee)) edges.push({ caller, callee, count: 1 });
    }
  }
  return edges;
}

function alertSignals(alerts: readonly AlertReceivedPayload[]): { signals: AlertSignal[]; frames: StackFrameSignal[] } {
  const signals: AlertSignal[] = [];
  const frames: StackFrameSignal[] = [];
  for (const alert of alerts) {
    if (!alert.service || alert.status === 'resolved') continue;
    const inApp = alert.error?.frames.filter((frame) => frame.inApp) ?? [];
    signals.push({ service: alert.service, firstSeen: timeOf(alert, 'first'), errorType: alert.error?.type, inAppFrames: inApp.length });
    for (const frame of inApp) frames.push({ service: alert.service, inApp: true, function: frame.function, filename: frame.filename ?? frame.absPath });
  }
  return { signals, frames };
}

async function findSuspects(
  service: string,
  alerts: readonly AlertReceivedPayload[],
  firstSeen: number,
  deps: TriageDeps,
  gaps: string[],
): Promise<{ suspects: SuspectCommit[]; crash: CrashSite | null }> {
  const serviceConfig = deps.services[service];
  const repository = serviceConfig?.repository ? deps.repositories[serviceConfig.repository] : undefined;
  if (!serviceConfig?.repository || !repository) {
    gaps.push(`suspect commits: service ${service} has no repository in the configuration (services.${service}.repository)`);
    return { suspects: [], crash: null };
  }
  // The frames of the root-cause service's own errors, crash last as Sentry orders them.
  const erroring = alerts.filter((alert) => alert.service === service && alert.error !== undefined);
  const frames = erroring.flatMap((alert) => alert.error?.frames ?? []).slice(-50);
  const { suspects, stack } = await findSuspectsForStack({
    repository: { name: serviceConfig.repository, path: repository.path, sourceRoot: serviceConfig.sourceRoot, pathPrefixes: repository.pathPrefixes },
    frames,
    firstSeen: new Date(firstSeen),
    runGit: deps.runGit,
    cache: deps.trackedFiles,
    reportGap: (gap) => gaps.push(`suspect commits: ${gap}`),
  });
  return { suspects, crash: crashSite(serviceConfig.repository, stack, erroring.at(-1)?.error) };
}

function crashSite(repository: string, stack: MappedStack | undefined, error: AlertReceivedPayload['error']): CrashSite | null {
  const [top, ...callers] = stack?.mapped ?? [];
  if (!top || !error) return null;
  // The column belongs to the crash frame only when the frame mapped to the file itself.
  const rawTop = [...error.frames].reverse().find((frame) => frame.inApp !== false && frame.function === top.function && frame.lineno === top.line);
  return {
    repository,
    file: top.file,
    ...(top.line !== undefined ? { line: top.line } : {}),
    ...(top.line !== undefined && rawTop?.colno !== undefined ? { column: rawTop.colno } : {}),
    ...(top.function !== undefined ? { function: top.function } : {}),
    errorType: error.type,
    ...(error.value !== undefined ? { errorValue: error.value } : {}),
    callers: callers.slice(0, 10).map((frame) => ({ file: frame.file, ...(frame.line !== undefined ? { line: frame.line } : {}), ...(frame.function !== undefined ? { function: frame.function } : {}) })),
  };
}

/**
 * Triages one incident: reads every involved service's logs around its alerts, finds the templates
 * that are new or bursting against the baseline window, joins the lines into cross-service traces,
 * ranks the services by how likely each started the failure, and names the commits most likely to
 * have caused it. Reads only; the caller stores the report.
 */
export async function triageIncident(incidentId: string, deps: TriageDeps): Promise<TriageReport> {
  const incident = await deps.store.getIncident(incidentId);
  if (!incident) throw new Error(`incident ${incidentId} does not exist`);
  const alerts = (await deps.store.listAlerts({ incidentId })).map((record) => record.payload as AlertReceivedPayload);
  const firing = alerts.filter((alert) => alert.status !== 'resolved');
  const basis = firing.length > 0 ? firing : alerts;
  const firstAlertAt = Math.min(...basis.map((alert) => timeOf(alert, 'first')));
  const lastAlertAt = Math.max(...basis.map((alert) => timeOf(alert, 'last')));
  const { settings } = deps;
  const from = firstAlertAt - settings.windowBeforeSeconds * 1000;
  const window = { from, to: lastAlertAt + settings.windowAfterSeconds * 1000, baselineFrom: from - settings.baselineSeconds * 1000 };

  const services = [...new Set(incident.services.flatMap((service) => [service, ...deps.callPaths.neighbours(service)]))].sort();
  // Baseline lines only count per template, so they go through the miner as they arrive and are never
  // held; incident-window lines are kept, slimmed to what mining and correlation read.
  const baseline = countBaselineTemplates();
  const compact = createLogRecordCompactor();
  const failingRequests = createFailingRequestCollector();
  const collected = await collectLogs(
    deps.logSources,
    { services, from: window.baselineFrom, to: window.to },
    {
      maxRecords: settings.maxLogRecords,
      log: deps.log,
      keep: (record) => {
        if (record.timestamp >= window.from) {
          failingRequests.add(record);
          return compact(record);
        }
        baseline.add(record);
        return undefined;
      },
    },
  );
  const gaps = [...collected.gaps];
  if (deps.logSources.length === 0) gaps.push('no log sources are configured (triage.logSources): ranking rests on the alerts alone');

  const inWindow = collected.records;
  const templates = findAnomalousTemplates({ baseline, incident: inWindow, window });
  const correlation = correlateLogs(inWindow);
  const callGraph = withDeclaredCalls(correlation.callGraph, deps.services);
  const { signals, frames } = alertSignals(alerts);
  const ranking = rankRootCause({
    traces: correlation.traces,
    callGraph,
    anomalies: templates,
    alerts: signals,
    frames,
    services: [...new Set([...services, ...Object.keys(deps.services)])],
  });
  const rootCause = ranking[0] ?? null;

  let suspectCommits: SuspectCommit[] = [];
  let crash: CrashSite | null = null;
  if (rootCause) {
    const failingTraces = correlation.traces.filter((trace) => trace.firstErrorAt[rootCause.service] !== undefined);
    const firstError = Math.min(
      firstAlertAt,
      ...failingTraces.map((trace) => trace.firstErrorAt[rootCause.service] as number),
      ...templates.filter((t) => t.service === rootCause.service).map((t) => t.firstSeen),
    );
    try {
      ({ suspects: suspectCommits, crash } = await findSuspects(rootCause.service, alerts, firstError, deps, gaps));
    } catch (error) {
      gaps.push(`suspect commits: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  return {
    incidentId,
    title: incident.title,
    services: [...new Set([...incident.services, ...correlation.traces.flatMap((trace) => trace.services)])].sort(),
    window,
    rootCause,
    ranking,
    suspectCommits,
    crash,
    templates: templates.slice(0, 50),
    // The report keeps the earliest failing traces as evidence, not every one of them.
    timeline: correlation.traces.slice(0, 20),
    callGraph,
    failingRequests: failingRequests.list(),
    gaps,
  };
}

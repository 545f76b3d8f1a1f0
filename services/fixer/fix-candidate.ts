import type { FixStrategyName } from '../../shared/events/incident-triaged.js';

/** LLM usage of one model, as recorded on the attempt and shown in the PR. */
export interface LlmUsage {
  model: string;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** The changes a strategy left in a workspace, as `git diff` against the base sees them. */
export interface WorkspaceDiff {
  /** Unified diff (`git diff --binary` against the base), empty when nothing changed. */
  diff: string;
  /** Repository-relative paths touched (added, modified, deleted or renamed: both names). */
  files: string[];
  /** Lines added plus lines removed. */
  linesChanged: number;
  /** Files added, deleted and renamed, for the diff policy. */
  added: string[];
  deleted: string[];
}

/** One proposed fix: what changed, why, and how sure its strategy is. */
export interface FixCandidate extends WorkspaceDiff {
  strategy: FixStrategyName;
  /** Markdown, for the PR body: what the change does and why it addresses the incident. */
  rationale: string;
  /** 0..1 */
  confidence: number;
  usage: LlmUsage[];
}

/** A strategy either leaves a candidate in the workspace or says, in a sentence, why it could not. */
export type StrategyOutcome =
  | { ok: true; candidate: FixCandidate }
  | { ok: false; strategy: FixStrategyName; reason: string; usage: LlmUsage[] };

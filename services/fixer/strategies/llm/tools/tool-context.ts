import type { EditCheck } from '../check-edit-allowed.js';

/** What every tool handler works with: the worktree, the edit scope and the attempt's abort signal. */
export interface ToolContext {
  dir: string;
  checkEdit: EditCheck;
  signal: AbortSignal;
}

/** Cuts a tool result so one answer cannot flood the conversation. */
export function capText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (cut: ${text.length - max} more characters)`;
}

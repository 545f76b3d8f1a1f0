import { assertNever } from '../../../../shared/errors.js';
import { scrubSecretText } from '../../../../shared/log/scrub-secret-text.js';
import type { FixContext } from '../fix-strategy.js';
import { isToolName, TOOL_ARGUMENTS, type ToolArguments, type ToolName } from './llm-tools.js';
import { renderEvidenceSection } from './render-evidence.js';
import { renderUntrustedBlock } from './render-untrusted-block.js';
import { applyUnifiedPatch } from './tools/apply-unified-patch.js';
import { listFiles } from './tools/list-files.js';
import { proposeEdit } from './tools/propose-edit.js';
import { readWorkspaceFile } from './tools/read-workspace-file.js';
import { searchWorkspace } from './tools/search-workspace.js';
import { capText, type ToolContext } from './tools/tool-context.js';

/** Runs the repository's verification checks in a directory; the fixer passes the verifier's runner. */
export type RunChecks = (dir: string, signal: AbortSignal) => Promise<{ ok: boolean; output: string }>;

/** What a tool call came to: the text the model sees, and for `finish` its verdict. */
export interface ToolResult {
  content: string;
  finish?: ToolArguments<'finish'>;
  /** Set when the call failed (bad JSON, unknown tool, invalid arguments, refused edit), for the log. */
  problem?: string;
}

export interface ToolDeps {
  tools: ToolContext;
  evidence: Pick<FixContext, 'report' | 'alerts'>;
  runChecks?: RunChecks;
}

const CHECK_OUTPUT_CHARS = 6000;

async function runChecksTool(deps: ToolDeps): Promise<string> {
  if (!deps.runChecks) return 'run_checks is not available for this repository; reason about the change and finish';
  const result = await deps.runChecks(deps.tools.dir, deps.tools.signal);
  // The end of a test run says what failed; keep that part.
  const output = result.output.length > CHECK_OUTPUT_CHARS ? `…${result.output.slice(-CHECK_OUTPUT_CHARS)}` : result.output;
  return `checks ${result.ok ? 'PASSED' : 'FAILED'}\n${renderUntrustedBlock('checks:output', output)}`;
}

// `args` has passed the tool's schema, so each case may read it as that tool's arguments.
async function dispatch(name: ToolName, args: unknown, deps: ToolDeps): Promise<ToolResult> {
  const a = args as never;
  switch (name) {
    case 'list_files':
      return { content: await listFiles(deps.tools, a) };
    case 'read_file':
      return { content: await readWorkspaceFile(deps.tools, a) };
    case 'search':
      return { content: await searchWorkspace(deps.tools, a) };
    case 'read_evidence':
      return { content: renderEvidenceSection(deps.evidence, (a as ToolArguments<'read_evidence'>).section) };
    case 'propose_edit':
      return { content: await proposeEdit(deps.tools, a) };
    case 'apply_patch':
      return { content: await applyUnifiedPatch(deps.tools, a) };
    case 'run_checks':
      return { content: await runChecksTool(deps) };
    case 'finish': {
      const finish = a as ToolArguments<'finish'>;
      return { content: 'finished', finish: { rationale: capText(scrubSecretText(finish.rationale), 4000), confidence: finish.confidence } };
    }
    default:
      return assertNever(name, 'tool');
  }
}

/**
 * Runs one tool call of the model. Nothing the model sends can throw out of here as a crash of the
 * attempt: bad JSON, unknown tools, invalid arguments and refusals all come back as text it can act on.
 */
export async function runLlmTool(name: string, rawArguments: string, deps: ToolDeps): Promise<ToolResult> {
  if (!isToolName(name)) {
    return { content: `error: there is no tool "${name}"; the tools are ${Object.keys(TOOL_ARGUMENTS).join(', ')}`, problem: 'unknown tool' };
  }
  let parsed: unknown;
  try {
    parsed = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments);
  } catch (error) {
    return { content: `error: the arguments are not valid JSON (${(error as Error).message}); send a JSON object`, problem: 'malformed JSON' };
  }
  const checked = TOOL_ARGUMENTS[name].safeParse(parsed);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ');
    return { content: `error: invalid arguments for ${name}: ${issues}`, problem: 'invalid arguments' };
  }
  const result = await dispatch(name, checked.data, deps);
  const refused = result.content.startsWith('refused:');
  return refused ? { ...result, problem: 'refused' } : result;
}

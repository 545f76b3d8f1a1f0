import * as z from 'zod';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { EVIDENCE_SECTIONS } from './render-evidence.js';

const path = z.string().min(1).describe('a path relative to the repository root');

/** Each tool's arguments; the JSON schemas the model sees are generated from these, so they never drift. */
export const TOOL_ARGUMENTS = {
  list_files: z.strictObject({ dir: z.string().default('.').describe('a directory relative to the repository root') }),
  read_file: z.strictObject({
    path,
    start: z.int().min(1).optional().describe('first line, 1-based'),
    end: z.int().min(1).optional().describe('last line, inclusive'),
  }),
  search: z.strictObject({
    pattern: z.string().min(1).describe('text to find, or a JavaScript regular expression when regex is true'),
    regex: z.boolean().default(false),
    path: z.string().default('**').describe('a glob of files to search, e.g. "src/**/*.ts"'),
  }),
  read_evidence: z.strictObject({ section: z.enum(EVIDENCE_SECTIONS) }),
  propose_edit: z.strictObject({
    path,
    search: z.string().describe('exact text that occurs once in the file; empty to create a new file'),
    replace: z.string().describe('the text that takes its place'),
  }),
  apply_patch: z.strictObject({ patch: z.string().min(1).describe('a unified diff (git diff format) against the current files') }),
  run_checks: z.strictObject({}),
  finish: z.strictObject({
    rationale: z.string().min(1).describe('markdown: what the change does and why it fixes the incident'),
    confidence: z.number().min(0).max(1).describe('how sure you are the change fixes the incident, 0..1'),
  }),
} as const;

export type ToolName = keyof typeof TOOL_ARGUMENTS;
export type ToolArguments<N extends ToolName> = z.infer<(typeof TOOL_ARGUMENTS)[N]>;

const DESCRIPTIONS: Record<ToolName, string> = {
  list_files: 'List files and directories under a directory of the repository (recursive, capped).',
  read_file: 'Read a file of the repository with line numbers, optionally a line range (capped at 400 lines).',
  search: 'Search the repository files for text or a regular expression (capped at 100 matches).',
  read_evidence: 'Read one section of the incident evidence (untrusted data, secrets redacted).',
  propose_edit: 'Replace one exact occurrence of `search` with `replace` in a file.',
  apply_patch: 'Apply a unified diff to the repository files.',
  run_checks: 'Run the repository verification checks (build and tests) and return their outcome.',
  finish: 'Finish: the change in the repository is your fix. Give a rationale and your confidence.',
};

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(TOOL_ARGUMENTS, name);
}

/** The `tools` parameter of the chat completion request. */
export function toolDefinitions(): ChatCompletionFunctionTool[] {
  return (Object.keys(TOOL_ARGUMENTS) as ToolName[]).map((name) => {
    const { $schema: _ignored, ...parameters } = z.toJSONSchema(TOOL_ARGUMENTS[name], { io: 'input' }) as Record<string, unknown>;
    return { type: 'function', function: { name, description: DESCRIPTIONS[name], parameters } };
  });
}

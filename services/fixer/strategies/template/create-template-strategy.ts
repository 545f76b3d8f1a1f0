import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FixStrategy, FixContext } from '../fix-strategy.js';
import type { StrategyOutcome } from '../../fix-candidate.js';
import { applyTextEdits } from './apply-text-edits.js';
import { chooseTemplate } from './choose-template.js';
import { countSyntaxErrors, locateCrash } from './locate-crash.js';
import type { CrashLocation, TemplateResult } from './template-edit.js';

const TEMPLATE_TITLES: Record<string, string> = {
  'guard-property-access': 'guard a read of a missing value',
  'optional-call': 'call an optional callback only when present',
  'catch-async-handler': 'catch a rejection in an async handler',
  'guard-json-parse': 'guard JSON.parse of untrusted input',
};

function refusal(reason: string): StrategyOutcome {
  return { ok: false, strategy: 'template', reason, usage: [] };
}

function rationaleFor(result: Extract<TemplateResult, { ok: true }>, errorLine: string): string {
  return [
    `**Template \`${result.template}\`** (${TEMPLATE_TITLES[result.template]}) at \`${result.file}:${result.line}\`.`,
    '',
    `The crash: \`${errorLine}\`.`,
    '',
    result.why,
    '',
    'A deterministic edit at the crashing expression: it stops the crash, it does not explain why the value was missing. Worth a look at the caller.',
  ].join('\n');
}

/**
 * The `template` rung: a deterministic, AST-located edit for common JS/TS crash classes at the crash
 * frame (`ctx.report.crash`). Edits are text replacements at node spans, so the rest of the file keeps
 * its formatting. Refuses, with a reason, when the frame is missing or not JS/TS, the error has no
 * template, the expression is ambiguous or already guarded, or the edit would not parse.
 */
export function createTemplateStrategy(): FixStrategy {
  return {
    name: 'template',
    async propose(ctx: FixContext): Promise<StrategyOutcome> {
      const crash = ctx.report.crash;
      if (!crash) return refusal('triage mapped no crash frame to the repository');
      if (crash.repository !== ctx.workspace.repository) {
        return refusal(`the crash is in repository ${crash.repository}, the workspace holds ${ctx.workspace.repository}`);
      }
      const located = await locateCrash(ctx.workspace.dir, crash);
      if (!located.ok) return refusal(located.reason);
      const callers: CrashLocation[] = [];
      for (const caller of crash.callers) {
        const mapped = await locateCrash(ctx.workspace.dir, caller);
        if (mapped.ok) callers.push(mapped.location);
      }
      if (ctx.signal.aborted) return refusal('the fix attempt was cancelled');

      const result = chooseTemplate(crash, located.location, callers);
      if (!result.ok) return refusal(result.reason);
      const target = [located.location, ...callers].find((location) => location.file === result.file) ?? located.location;
      const edited = applyTextEdits(target.text, result.edits);
      if (countSyntaxErrors(target.file, edited) > countSyntaxErrors(target.file, target.text)) {
        return refusal(`the ${result.template} edit to ${result.file} would not parse; nothing was written`);
      }
      await writeFile(resolve(ctx.workspace.dir, target.file), edited);
      const diff = await ctx.workspace.diff();
      if (diff.diff === '') return refusal(`the ${result.template} edit left ${result.file} unchanged`);
      const errorLine = `${crash.errorType}${crash.errorValue ? `: ${crash.errorValue}` : ''}`.replace(/`/g, "'").slice(0, 200);
      ctx.log.info({ template: result.template, file: result.file, line: result.line }, 'template fix proposed');
      return {
        ok: true,
        candidate: { ...diff, strategy: 'template', rationale: rationaleFor(result, errorLine), confidence: result.confidence, usage: [] },
      };
    },
  };
}

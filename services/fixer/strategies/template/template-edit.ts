import type ts from 'typescript';

/** The deterministic fixes this strategy knows. */
export type TemplateName = 'guard-property-access' | 'optional-call' | 'catch-async-handler' | 'guard-json-parse';

/** Replace `[start, end)` of the original text with `text` (an insertion when start === end). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** What one template decided for one crash site. */
export type TemplateResult =
  | {
      ok: true;
      template: TemplateName;
      /** Repository-relative path of the edited file. */
      file: string;
      edits: TextEdit[];
      /** 1-based line the edit is anchored at, for the rationale. */
      line: number;
      /** Markdown sentences: what was guarded, with which behaviour, and why that behaviour. */
      why: string;
      /** 0..1, modest by design: a template knows the crash, not the intent. */
      confidence: number;
    }
  | { ok: false; reason: string };

/** A parsed source file and the crash position inside it. */
export interface CrashLocation {
  /** Repository-relative path. */
  file: string;
  text: string;
  sourceFile: ts.SourceFile;
  /** 1-based. */
  line: number;
  /** Offsets of the crash line: [lineStart, lineEnd). */
  lineStart: number;
  lineEnd: number;
  /** Offset of the 1-based column, when the frame had one that fits the line. */
  position?: number;
}

/** A template's refusal, with the reason in one sentence. */
export function refuse(reason: string): TemplateResult {
  return { ok: false, reason };
}

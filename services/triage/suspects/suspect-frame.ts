/** A mapped frame as suspect search needs it; `MappedFrame` from `mapStackFrames` is one. */
export interface SuspectFrame {
  /** Repository-relative path of a tracked file. */
  file: string;
  /** 1-based line in `file` at the first-seen revision, when known. */
  line?: number;
  function?: string;
  /** 0 for the in-app frame closest to the crash. */
  depth: number;
}

/** How a commit relates to one frame, strongest first. */
export type FrameTouch =
  | { kind: 'line'; frame: SuspectFrame }
  | { kind: 'near-line'; frame: SuspectFrame; changedLine: number }
  | { kind: 'file'; frame: SuspectFrame };

/** A stack frame as error trackers report it (Sentry's field names, camel-cased). */
export interface StackFrame {
  /** Relative or display path: "app/orders.py", "PriceService.java", "app:///src/x.js". */
  filename?: string;
  /** Absolute path or URL: "/app/dist/orders/handler.js", "webpack:///./src/x.ts", "file:///srv/app/x.js". */
  absPath?: string;
  /** Python or Java module ("app.orders", "com.acme.orders.PriceService"). */
  module?: string;
  function?: string;
  lineno?: number;
  colno?: number;
  /** The tracker's own verdict; `undefined` means "decide from the path". */
  inApp?: boolean;
}

/** How a frame's path was matched to a tracked file. */
export interface FrameMatch {
  /**
   * `path`: every segment of the normalised frame path matched the end of the tracked path.
   * `suffix`: only the last `matchedSegments` segments matched (leading ones were deployment directories).
   * `compiled-source`: a compiled file (`dist/x.js`) matched its source (`src/x.ts`); line numbers do not carry over.
   */
  kind: 'path' | 'suffix' | 'compiled-source';
  /** The normalised frame path the match was made from. */
  framePath: string;
  matchedSegments: number;
  underSourceRoot: boolean;
}

/** A frame resolved to a file tracked in the repository. */
export interface MappedFrame {
  /** Repository-relative path, as git tracks it. */
  file: string;
  /** The frame's line, only when it refers to `file` itself (not to a compiled copy). */
  line?: number;
  function?: string;
  /** 0 for the in-app frame closest to the crash, 1 for its caller, and so on. */
  depth: number;
  match: FrameMatch;
}

export type UnmappedReason = 'not-in-app' | 'no-path' | 'rejected-path' | 'not-tracked' | 'ambiguous';

export interface UnmappedFrame {
  frame: StackFrame;
  reason: UnmappedReason;
  /** A sentence for the report's gaps ("webpack:///../x.js was rejected: it climbs out of the root"). */
  detail: string;
}

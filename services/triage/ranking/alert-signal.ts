/** What ranking needs from an alert: which service, when it first fired, and how much of its stack is the service's own code. */
export interface AlertSignal {
  service: string;
  /** Epoch ms. */
  firstSeen: number;
  errorType?: string;
  inAppFrames?: number;
}

/** One stack frame from a service's error events (e.g. Sentry), for in-app evidence. */
export interface StackFrameSignal {
  service: string;
  inApp: boolean;
  function?: string;
  filename?: string;
}

import { catchAsyncHandler } from './catch-async-handler.js';
import { classifyCrashError, looksLikeUpstreamFailure } from './classify-crash-error.js';
import { guardJsonParse } from './guard-json-parse.js';
import { guardOptionalCall } from './guard-optional-call.js';
import { guardPropertyAccess } from './guard-property-access.js';
import { refuse, type CrashLocation, type TemplateResult } from './template-edit.js';

/**
 * Picks the template for the error and runs it at the crash frame. `callers` are the mapped caller frames
 * (parsed), used only to find the async handler a rejection escaped from.
 */
export function chooseTemplate(
  crash: { errorType: string; errorValue?: string },
  frame: CrashLocation,
  callers: CrashLocation[],
): TemplateResult {
  const error = classifyCrashError(crash.errorType, crash.errorValue);
  const upstream = looksLikeUpstreamFailure(crash.errorType, crash.errorValue);
  switch (error.kind) {
    case 'nullish-read':
      return guardPropertyAccess(frame, error.property, error.nullish);
    case 'not-a-function':
      return guardOptionalCall(frame, error.callee);
    case 'invalid-json':
      return guardJsonParse(frame);
    case 'unhandled-rejection':
      return catchAsyncHandler([frame, ...callers], { requireAwait: false, upstream });
    case 'other': {
      // Any other error that surfaced through an `await` in an async handler is a rejection nobody caught.
      const caught = catchAsyncHandler([frame, ...callers], { requireAwait: true, upstream });
      if (caught.ok) return caught;
      const value = crash.errorValue ? `: ${crash.errorValue.slice(0, 120)}` : '';
      return refuse(`no template for ${crash.errorType}${value} (${caught.reason})`);
    }
  }
}

import type { ForgeEventPayload } from '../../../shared/events/forge-event.js';

export type NightshiftCommand = NonNullable<Extract<ForgeEventPayload, { kind: 'issue_comment' }>['command']>;

const COMMAND = /^\s*\/nightshift\s+(retry|stop)(?:\s+(.*?))?\s*$/i;
const FENCE = /^\s*(```|~~~)/;

/**
 * The first `/nightshift retry [args]` or `/nightshift stop` line of a comment, or null. Lines in
 * fenced code and quoted replies (`> /nightshift retry`) are not commands: they quote one.
 */
export function parseNightshiftCommand(body: string): NightshiftCommand | null {
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (FENCE.test(line)) {
      fenced = !fenced;
      continue;
    }
    const match = fenced ? null : COMMAND.exec(line);
    if (match) return { name: match[1]!.toLowerCase() as NightshiftCommand['name'], args: match[2] ?? '' };
  }
  return null;
}

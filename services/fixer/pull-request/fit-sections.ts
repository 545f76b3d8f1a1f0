/** A part of the PR body: a heading and blocks that can be dropped from the end when space runs out. */
export interface BodySection {
  /** `## …` heading, or none for the summary and footer. */
  heading?: string;
  blocks: string[];
  /** Higher survives longer; sections without blocks left disappear. */
  priority: number;
}

const SEPARATOR = '\n\n';

function render(section: BodySection): string {
  return [...(section.heading ? [`## ${section.heading}`] : []), ...section.blocks].join(SEPARATOR);
}

/** Joins sections into markdown. */
export function joinSections(sections: BodySection[]): string {
  return sections.filter((section) => section.blocks.length > 0).map(render).join(SEPARATOR) + '\n';
}

/**
 * Drops trailing blocks from the lowest-priority sections until the body fits `limit` characters,
 * leaving a note where something was cut. The order of sections in the body never changes.
 */
export function fitSections(sections: BodySection[], limit: number): string {
  const working = sections.map((section) => ({ ...section, blocks: [...section.blocks], cut: 0 }));
  const byPriority = [...working].sort((a, b) => a.priority - b.priority);
  const body = (): string =>
    joinSections(working.map((section) => ({
      ...section,
      blocks: section.cut > 0 && section.blocks.length > 0
        ? [...section.blocks, `_${section.cut} more ${section.cut === 1 ? 'part' : 'parts'} left out to stay under GitHub's size limit._`]
        : section.blocks,
    })));
  let text = body();
  for (const section of byPriority) {
    while (text.length > limit && section.blocks.length > 0) {
      section.blocks.pop();
      section.cut++;
      text = body();
    }
    if (text.length <= limit) break;
  }
  return text.length <= limit ? text : text.slice(0, limit);
}

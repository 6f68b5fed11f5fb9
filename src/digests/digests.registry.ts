import type { DigestSection } from './digests.models.ts';

/** A section of any data type: each section's own functions agree on its type, the list holds them all. */
// biome-ignore lint/suspicious/noExplicitAny: sections with different data types share one list
type AnySection = DigestSection<any>;

/** Where each capability adds its part of the weekly digest, as it adds its Home section. */
export interface DigestSections {
  section(section: AnySection): void;
  /** Every registered section, lowest order first. */
  all(): AnySection[];
}

export function createDigestSections(): DigestSections {
  const sections: AnySection[] = [];
  return {
    section(section) {
      if (sections.some((s) => s.id === section.id))
        throw new Error(`digest section ${section.id} is registered twice`);
      sections.push(section);
    },
    all: () => [...sections].sort((a, b) => a.order - b.order),
  };
}

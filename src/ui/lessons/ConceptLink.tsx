// A small "?" that opens the concept card about a diagnostic rule or an event
// type (nothing when no card is about it). Used by the diagnostics and the timeline.
// A link, not a button: it opens a card, and it sits beside each diagnostic's own button.
import { conceptAbout } from '../../lessons/concepts.ts';
import { useLessonStore } from './lessonStore.ts';

export function ConceptLink({ about }: { about: string }) {
  const c = conceptAbout(about);
  if (!c) return null;
  return (
    <a
      href={`#concept-${c.id}`}
      className="concept-link"
      aria-label={`About ${about}: ${c.title}`}
      title={`Concept card: ${c.title}`}
      onClick={(e) => {
        e.preventDefault();
        useLessonStore.getState().set({ card: c.id });
      }}
    >
      ?
    </a>
  );
}

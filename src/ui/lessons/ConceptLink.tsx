// A small "?" that opens the concept card about a diagnostic rule or an event
// type (nothing when no card is about it). Used by the diagnostics and the timeline.
// A link, not a button: it opens a card, and it sits beside each diagnostic's own button.
import { concept, conceptAbout } from '../../lessons/concepts.ts';
import { useLessonStore } from './lessonStore.ts';

/** The card of each VM: its boot, stop, pause and resume are about it (the real-time container's, about the application VM it is part of). */
const VM_CARDS: Record<string, string> = { system: 'system-vm', app: 'application-vm', rt: 'application-vm' };

export function ConceptLink({ about, vm }: { about: string; vm?: string }) {
  const general = conceptAbout(about);
  const c = vm && general?.id === 'application-vm' && VM_CARDS[vm] ? concept(VM_CARDS[vm]) : general;
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

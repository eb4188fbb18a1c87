// A small "?" that opens the concept card about a diagnostic rule or an event
// type (nothing when no card is about it). Used by the diagnostics and the timeline.
// A button, not a link: it opens a card in the page and goes nowhere. It was an <a href="#…">,
// and Chromium watches the page's links for where they sit on screen, to guess the next
// navigation (AnchorElementMetricsSender, an intersection observer with a 100 ms delay: a check
// after each layout). On a running board the timeline's links put a frame between two typed keys
// several times a second, and a key typed just after such a frame waited for the display's next
// tick (up to 16.7 ms) for its echo.
import { conceptOfEvent } from '../../lessons/concepts.ts';
import { useLessonStore } from './lessonStore.ts';

export function ConceptLink({ about, vm }: { about: string; vm?: string }) {
  const c = conceptOfEvent(about, vm);
  if (!c) return null;
  return (
    <button
      type="button"
      className="concept-link"
      aria-label={`About ${about}: ${c.title}`}
      title={`Concept card: ${c.title}`}
      onClick={() => useLessonStore.getState().set({ card: c.id })}
    >
      ?
    </button>
  );
}

// The lesson column: first-visit welcome, the list of lessons and challenges,
// the open lesson (step, progress, hints, Show me, Reset lab, finish card) and
// concept cards with the glossary. All text is rendered as text.
import { lazy, Suspense, useEffect, useRef, type RefObject } from 'react';
import { createPortal } from 'react-dom';
import { ALL_LESSONS } from '../../lessons/builtin.ts';
import { CONCEPTS, concept } from '../../lessons/concepts.ts';
import type { Lesson } from '../../lessons/types.ts';
import { isEnabled, runAction } from '../actions/registry.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { copyLessonLink, startLessonLinks } from './lessonLink.ts';

import { setWelcomed, useLessonStore } from './lessonStore.ts';
import { lessonById, startLessonTracking } from './lessonTracking.ts';
import { usePresenter } from './presenter.ts';
import './lessons.css';

// The builder checks a lesson on the engine itself, so it (and the engine) load only when it is opened.
const LessonBuilder = lazy(() => import('./LessonBuilder.tsx').then((m) => ({ default: m.LessonBuilder })));

/**
 * A section opened by a button elsewhere (Lessons in the toolbar, Next: on a finish card, a concept
 * link under a diagnostic) while the sidebar may be scrolled far from it: brought into view when it
 * opens and whenever `key` (what it shows) changes — its top, or (`nearest`) as little as it takes.
 */
function useBroughtIntoView<T extends HTMLElement>(key?: string, block: ScrollLogicalPosition = 'start'): RefObject<T | null> {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block });
  }, [key, block]);
  return ref;
}

/**
 * A lesson's text, where `…` marks what to type into a console: shown as code on a line of its own
 * (a command cut across two lines of prose was hard to read and to copy), selected whole by one click.
 * Text nodes only, whatever a lesson file says.
 */
export function LessonText({ text }: { text: string }) {
  return <>{text.split('`').map((part, i) => (i % 2 ? <code key={i} className="lesson-command">{part}</code> : part))}</>;
}

/**
 * Why a goal is not met, without the diagnostic it quotes after " — " (which says what is wrong and
 * how to fix it): a challenge that hides the diagnostics leaves the finding to the participant.
 */
const withoutTheAnswer = (why: string) => why.split(' — ')[0];

function ConceptLinks({ ids }: { ids: readonly string[] }) {
  const set = useLessonStore((s) => s.set);
  return (
    <span className="concept-links">
      {ids.map((id) => {
        const c = concept(id);
        return c ? (
          <button type="button" key={id} className="concept-chip" onClick={() => set({ card: id })}>
            {c.title}
          </button>
        ) : null;
      })}
    </span>
  );
}

function Welcome() {
  const dismiss = setWelcomed;
  return (
    <section className="lesson-welcome" aria-label="Welcome">
      <h2>New to Isolation Lab?</h2>
      <p>Lesson 1 walks you through partitioning a chip into isolated environments, in about five minutes.</p>
      <div className="lesson-buttons">
        <button type="button" className="primary" onClick={() => { dismiss(); void runAction('openLesson', ALL_LESSONS[0].id); }}>
          Start lesson 1
        </button>
        <button type="button" onClick={dismiss}>No thanks</button>
      </div>
    </section>
  );
}

function LessonList() {
  const progress = useLessonStore((s) => s.progress);
  const set = useLessonStore((s) => s.set);
  const presenter = usePresenter((s) => s.on);
  const custom = useLessonStore((s) => s.custom);
  const ownKept = useLessonStore((s) => s.ownKept);
  const ref = useBroughtIntoView<HTMLElement>();
  // Opened from the toolbar, far from the list (47 Tab presses at 1280×720): the keyboard goes to it.
  useEffect(() => ref.current?.focus({ preventScroll: true }), [ref]);
  const item = (l: Lesson) => {
    const p = progress[l.id];
    const state = p?.done ? 'done' : p?.steps ? `${p.steps}/${l.steps.length}` : '';
    return (
      <li key={l.id}>
        <button type="button" className="lesson-item" onClick={() => void runAction('openLesson', l.id)}>
          <span className="lesson-item-title">{l.title}</span>
          {state && <span className={`lesson-item-state${p?.done ? ' done' : ''}`}>{p?.done ? '✓ done' : state}{p?.best !== undefined ? ` · best ${p.best} changes` : ''}</span>}
          <span className="lesson-item-summary">{l.summary}</span>
        </button>
      </li>
    );
  };
  return (
    <section className="lesson-list" aria-label="Lessons and challenges" ref={ref} tabIndex={-1}>
      <header>
        <h2>Lessons</h2>
        <button type="button" aria-label="Close the list" onClick={() => set({ listOpen: false })}>×</button>
      </header>
      <div className="lesson-buttons">
        <button type="button" aria-pressed={presenter} title="Larger diagram labels and console text (Shift+P)" onClick={() => void runAction('togglePresenter')}>
          Presenter mode
        </button>
        <button type="button" onClick={() => set({ card: 'glossary' })}>Glossary</button>
        <button type="button" onClick={() => set({ builderOpen: true, listOpen: false })}>Lesson builder</button>
        {ownKept > 0 && <button type="button" onClick={() => void runAction('restoreOwnBoard')}>Restore my board</button>}
      </div>
      <ul>{ALL_LESSONS.filter((l) => l.kind === 'lesson').map(item)}</ul>
      <h2>Challenges</h2>
      <ul>{ALL_LESSONS.filter((l) => l.kind === 'challenge').map(item)}</ul>
      {custom && (
        <>
          <h2>Your lesson</h2>
          <ul>{item(custom)}</ul>
        </>
      )}
    </section>
  );
}

function FinishCard({ lesson }: { lesson: Lesson }) {
  const changes = useLessonStore((s) => s.changes);
  const shownHow = useLessonStore((s) => s.shownHow);
  const best = useLessonStore((s) => s.progress[lesson.id]?.best);
  const at = ALL_LESSONS.indexOf(lesson);
  const next = at >= 0 ? ALL_LESSONS[at + 1] : undefined;
  return (
    <div className="lesson-finish" role="status">
      <h3>{lesson.kind === 'challenge' ? 'Challenge complete' : 'Lesson complete'}</h3>
      {lesson.kind === 'challenge' && (
        <p className="lesson-score">
          {shownHow
            ? `Solved with Show me: no score recorded (par ${lesson.par}). Reset lab to try it on your own.`
            : `${changes} board change${changes === 1 ? '' : 's'} (par ${lesson.par})${best !== undefined && best < changes ? `; your best is ${best}` : ''}.`}
        </p>
      )}
      {lesson.learned.length > 0 && (
        <>
          <p>What you learned:</p>
          <ul>{lesson.learned.map((l, i) => <li key={i}>{l}</li>)}</ul>
        </>
      )}
      {lesson.concepts.length > 0 && <p className="muted small">Concept cards: <ConceptLinks ids={lesson.concepts} /></p>}
      {next && (
        <button type="button" className="primary" onClick={() => void runAction('openLesson', next.id)}>
          Next: {next.title}
        </button>
      )}
    </div>
  );
}

/**
 * Brings the palette items a step asks to place into the palette's view: at 1280×720 the list ends
 * at Wi-Fi, and lesson 1's first step asked for a Security processor below it. The palette scrolls
 * alone (not the page); on a phone, where the palette is a row, it is left as it is.
 */
function usePaletteShows(kinds: string): void {
  useEffect(() => {
    const palette = document.querySelector<HTMLElement>('.app:not([data-layout="narrow"]) .palette');
    const wanted = kinds.split(',').filter(Boolean).map((k) => palette?.querySelector<HTMLElement>(`.palette-item[data-kind="${k}"]`));
    const item = wanted.find((el) => el);
    if (!palette || !item) return;
    const [r, box] = [item.getBoundingClientRect(), palette.getBoundingClientRect()];
    if (r.bottom > box.bottom) palette.scrollTop += r.bottom - box.bottom + 8;
    else if (r.top < box.top) palette.scrollTop -= box.top - r.top + 8;
  }, [kinds]);
}

function OpenLesson({ lesson }: { lesson: Lesson }) {
  const s = useLessonStore();
  useBoardStore((b) => b.past.length); // Undo's enabled state
  const step = lesson.steps[Math.min(s.step, lesson.steps.length - 1)];
  // Not in a challenge: where the palette scrolls would give its answer away.
  usePaletteShows(s.finished || lesson.kind === 'challenge' ? '' : step.solution.flatMap((a) => (a.do === 'add' ? [a.kind] : [])).join());
  const done = s.finished ? lesson.steps.length : s.step;
  const kept = useLessonStore((x) => x.ownKept) > 0;
  const ref = useBroughtIntoView<HTMLElement>(lesson.id);
  return (
    <section className="lesson" aria-label="Lesson" ref={ref}>
      <header>
        <h2>{lesson.title}</h2>
        <button type="button" aria-label="Close lesson" title="Close the lesson (your progress is kept)" onClick={() => void runAction('closeLesson')}>×</button>
      </header>
      <div className="lesson-progress" role="progressbar" aria-label="Lesson progress" aria-valuemin={0} aria-valuemax={lesson.steps.length} aria-valuenow={done}>
        {lesson.steps.map((_, i) => <span key={i} className={i < done ? 'done' : i === done ? 'current' : ''} />)}
      </div>
      {s.finished ? (
        <FinishCard lesson={lesson} />
      ) : (
        <>
          <p className="lesson-step-no">Step {s.step + 1} of {lesson.steps.length}</p>
          <p className="lesson-step"><LessonText text={step.text} /></p>
          {s.why && <p className="lesson-why"><span className="muted">Not yet:</span> {s.diagnosticsHidden ? withoutTheAnswer(s.why) : s.why}</p>}
          {s.hintsShown > 0 && (
            <ol className="lesson-hints" aria-label="Hints">
              {step.hints.slice(0, s.hintsShown).map((h, i) => <li key={i}><LessonText text={h} /></li>)}
            </ol>
          )}
          {step.concepts && <p className="muted small">About: <ConceptLinks ids={step.concepts} /></p>}
          <div className="lesson-buttons">
            <button type="button" onClick={() => void runAction('lessonHint')} disabled={s.hintsShown >= step.hints.length}
              title={s.hintsShown >= step.hints.length ? 'No more hints for this step' : `${step.hints.length - s.hintsShown} hint(s) left`}>
              Hint
            </button>
            <button type="button" onClick={() => void runAction('lessonShowMe')} disabled={s.playing} title="Plays this step's solution on the board and the consoles">
              {s.playing ? 'Showing…' : 'Show me'}
            </button>
            <button type="button" onClick={() => void runAction('undo')} disabled={!isEnabled('undo')}>Undo</button>
          </div>
        </>
      )}
      <div className="lesson-buttons">
        <button type="button" onClick={() => void runAction('resetLab')} title="Board, consoles, timeline and notices back to the lesson's start">Reset lab</button>
        <button type="button" onClick={() => void copyLessonLink(lesson)}>Copy lesson link</button>
        {lesson.hideDiagnostics && !s.diagnosticsShown && !s.finished && (
          <button type="button" onClick={() => s.set({ diagnosticsShown: true })}>Show diagnostics</button>
        )}
        {kept && <button type="button" onClick={() => void runAction('restoreOwnBoard')}>Restore my board</button>}
      </div>
    </section>
  );
}

function ConceptCard({ id }: { id: string }) {
  const set = useLessonStore((s) => s.set);
  // Opened from a diagnostic or an event further down: bring the card into view.
  const ref = useBroughtIntoView<HTMLElement>(id, 'nearest');
  if (id === 'glossary') {
    return (
      <section className="concept-card" aria-label="Glossary" ref={ref}>
        <header>
          <h2>Glossary</h2>
          <button type="button" aria-label="Close the glossary" onClick={() => set({ card: null })}>×</button>
        </header>
        <dl>
          {CONCEPTS.map((c) => (
            <div key={c.id}>
              <dt><button type="button" className="concept-chip" onClick={() => set({ card: c.id })}>{c.title}</button></dt>
              <dd>{c.text}</dd>
            </div>
          ))}
        </dl>
      </section>
    );
  }
  const c = concept(id);
  if (!c) return null;
  return (
    <section className="concept-card" aria-label={`Concept: ${c.title}`} ref={ref}>
      <header>
        <h2>{c.title}</h2>
        <button type="button" onClick={() => set({ card: 'glossary' })}>Glossary</button>
        <button type="button" aria-label="Close the card" onClick={() => set({ card: null })}>×</button>
      </header>
      <p>{c.text}</p>
      {c.diagram && <pre className="concept-diagram" aria-label="Diagram">{c.diagram}</pre>}
      {c.about && <p className="muted small">About: {c.about.map((a) => <code key={a}>{a} </code>)}</p>}
    </section>
  );
}

/** Mounted once at the top of the sidebar. */
export function LessonSidebar() {
  const lessonId = useLessonStore((s) => s.lessonId);
  const listOpen = useLessonStore((s) => s.listOpen);
  const card = useLessonStore((s) => s.card);
  const showWelcome = useLessonStore((s) => !s.welcomed && !s.lessonId);
  useLessonStore((s) => s.custom);
  const builderOpen = useLessonStore((s) => s.builderOpen);
  const hide = useLessonStore((s) => {
    const l = lessonById(s.lessonId);
    return Boolean(l?.hideDiagnostics && !s.diagnosticsShown && !s.finished);
  });
  useEffect(() => {
    startLessonTracking();
    startLessonLinks();
  }, []);
  useEffect(() => {
    document.documentElement.classList.toggle('lesson-hide-diagnostics', hide);
    useLessonStore.setState({ diagnosticsHidden: hide });
  }, [hide]);
  const lesson = lessonById(lessonId);
  // On a phone the sidebar is below the diagram, out of sight: the offer goes with the page's messages, under the toolbar.
  const narrow = useUiStore((s) => s.layout === 'narrow');
  const messages = narrow ? document.querySelector('#root .messages') : null;
  return (
    <>
      {showWelcome && (messages ? createPortal(<Welcome />, messages) : <Welcome />)}
      {listOpen && <LessonList />}
      {builderOpen && (
        <Suspense fallback={<p className="muted small">Loading the lesson builder…</p>}>
          <LessonBuilder />
        </Suspense>
      )}
      {card && <ConceptCard id={card} />}
      {lesson && <OpenLesson lesson={lesson} />}
    </>
  );
}

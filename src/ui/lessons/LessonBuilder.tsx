// The lesson builder: the current board as the start, a goal chosen from the
// checks' vocabulary, a reference solution recorded from the same actions the
// buttons run — checked headless here, then exported as a lesson file or a link.
import { useState } from 'react';
import { DOMAIN_LABELS } from '../../model/catalog.ts';
import { DOMAINS, type Domain } from '../../model/types.ts';
import { describeAction, parseLessonFile, serializeLesson, verifyLesson, type Goal, type Lesson, type VerifyReport } from '../../lessons/index.ts';
import { EVENT_TYPES, VM_IDS, VM_NAMES, type VmId } from '../../sim/types.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { notify } from '../store/noticeStore.ts';
import { lessonFileLink } from './lessonLink.ts';
import { useLessonStore } from './lessonStore.ts';
import { useRecorder } from './recorder.ts';
import { download } from '../download.ts';


type GoalKind = 'no-errors' | 'boots' | 'event' | 'no-escape' | 'component';

function slug(title: string): string {
  const s = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return /^[a-z]/.test(s) ? s : `lesson-${s}`.replace(/-+$/, '');
}


export function LessonBuilder() {
  const board = useBoardStore((s) => s.board);
  const { recording, start, actions } = useRecorder();
  const set = useLessonStore((s) => s.set);
  const [title, setTitle] = useState('My lesson');
  const [text, setText] = useState('');
  const [kind, setKind] = useState<GoalKind>('event');
  const [eventType, setEventType] = useState('dma.blocked');
  const [eventVm, setEventVm] = useState<VmId | ''>('');
  const [componentId, setComponentId] = useState('');
  const [domain, setDomain] = useState<Domain>('system');
  const [vm, setVm] = useState<VmId>('app');
  const [line, setLine] = useState('');
  // What checking the solution found: its headless run, or why the lesson file would be refused.
  const [report, setReport] = useState<VerifyReport | { refused: string } | null>(null);

  const goal = (): Goal => {
    switch (kind) {
      case 'no-errors': return { check: 'no-errors' };
      case 'boots': return { all: [{ check: 'all-assigned' }, { check: 'bootable' }, { check: 'event', type: 'vm.boot', where: { vm: 'app' } }] };
      case 'event': return { check: 'event', type: eventType, ...(eventVm ? { where: { vm: eventVm } } : {}) };
      case 'no-escape': return { all: [{ check: 'event', type: 'dma.blocked' }, { check: 'no-event', type: 'dma.escape' }] };
      case 'component': return { check: 'component', id: component, domain };
    }
  };

  // The component chosen, or the first when it is gone (removed, another board): shown and used alike.
  const component = board.components.some((c) => c.id === componentId) ? componentId : board.components[0]?.id ?? '';

  /** Plays the solution from the lesson as its file reads back, so what passes here opens everywhere. */
  const check = () => {
    const back = parseLessonFile(serializeLesson(lesson()));
    setReport(back.ok ? verifyLesson(back.lesson) : { refused: back.error });
  };

  const lesson = (): Lesson => ({
    id: slug(title) || 'my-lesson',
    kind: 'lesson',
    title: title.trim() || 'My lesson',
    summary: text.trim() || 'A lesson made with the lesson builder.',
    learned: [],
    board: start ?? board,
    concepts: [],
    steps: [{ text: text.trim() || 'Reach the goal.', goal: goal(), hints: [], solution: actions }],
  });

  const startRecording = () => {
    useRecorder.setState({ recording: true, start: JSON.parse(JSON.stringify(board)), actions: [] });
    setReport(null);
  };

  return (
    <section className="lesson-builder" aria-label="Lesson builder">
      <header>
        <h2>Lesson builder</h2>
        <button type="button" aria-label="Close the builder" onClick={() => set({ builderOpen: false })}>×</button>
      </header>
      <label className="builder-field">
        <span>Title</span>
        <input value={title} maxLength={120} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="builder-field">
        <span>What to do</span>
        <textarea value={text} rows={2} maxLength={2000} onChange={(e) => setText(e.target.value)} />
      </label>
      <label className="builder-field">
        <span>Goal</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as GoalKind)}>
          <option value="event">an event happens</option>
          <option value="no-escape">a DMA escape is stopped</option>
          <option value="boots">the board boots, every block assigned</option>
          <option value="no-errors">no error diagnostics</option>
          <option value="component">a component ends up in a domain</option>
        </select>
      </label>
      {kind === 'event' && (
        <div className="builder-row">
          <select aria-label="Event type" value={eventType} onChange={(e) => setEventType(e.target.value)}>
            {EVENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
          <select aria-label="In VM" value={eventVm} onChange={(e) => setEventVm(e.target.value as VmId | '')}>
            <option value="">in any VM</option>
            {VM_IDS.map((v) => <option key={v} value={v}>in the {VM_NAMES[v]}</option>)}
          </select>
        </div>
      )}
      {kind === 'component' && (
        <div className="builder-row">
          <select aria-label="Component" value={component} onChange={(e) => setComponentId(e.target.value)}>
            {board.components.map((c) => <option key={c.id} value={c.id}>{c.id}</option>)}
          </select>
          <select aria-label="Goal domain" value={domain} onChange={(e) => setDomain(e.target.value as Domain)}>
            {DOMAINS.map((d) => <option key={d} value={d}>{DOMAIN_LABELS[d]}</option>)}
          </select>
        </div>
      )}
      <p className="muted small">
        Reference solution: start recording (the board as it is now becomes the lesson's start), then edit the board, power on and
        press attacks as usual; type console commands here so they are recorded.
      </p>
      <div className="lesson-buttons">
        {recording ? (
          <button type="button" onClick={() => useRecorder.setState({ recording: false })}>Stop recording</button>
        ) : (
          <button type="button" onClick={startRecording}>{start ? 'Record again' : 'Start recording'}</button>
        )}
      </div>
      {recording && (
        <form className="builder-row" onSubmit={(e) => {
          e.preventDefault();
          if (line.trim()) void runAction('typeCommand', { vm, line: line.trim() });
          setLine('');
        }}>
          <select aria-label="Console" value={vm} onChange={(e) => setVm(e.target.value as VmId)}>
            {VM_IDS.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
          <input aria-label="Command" placeholder="attack dma-escape" value={line} onChange={(e) => setLine(e.target.value)} />
          <button type="submit">Type</button>
        </form>
      )}
      {actions.length > 0 && (
        <ol className="builder-actions" aria-label="Recorded solution">
          {actions.map((a, i) => <li key={i}>{describeAction(a)}</li>)}
        </ol>
      )}
      <div className="lesson-buttons">
        <button type="button" onClick={check}>Check the solution</button>
        <button type="button" onClick={() => {
          const l = lesson();
          download(`${l.id}.lesson.json`, serializeLesson(l));
        }}>Export lesson file</button>
        <button type="button" onClick={async () => {
          const url = lessonFileLink(lesson());
          // A lesson known not to work is still the author's to share, but not without saying so.
          const broken = report && !('refused' in report) && !report.ok ? ' Its recorded solution does not meet the goal (see above): whoever opens it cannot finish it with Show me.' : '';
          try {
            await navigator.clipboard.writeText(url);
            notify(broken ? 'error' : 'info', `Lesson link copied (${url.length} characters). Whoever opens it starts this lesson; their own board is kept.${broken}`);
          } catch {
            notify('info', `Copy this lesson link (${url.length} characters): ${url}`);
          }
        }}>Copy lesson link</button>
      </div>
      {report && (
        <p className={'ok' in report && report.ok ? 'ok' : 'bad'} role="status">
          {'refused' in report
            ? `This lesson's file would be refused when opened (${report.refused}): please report it, with the recorded solution.`
            : report.ok
              ? 'The recorded solution meets the goal, played headless from the start board (as lab lesson verify does).'
              : `The recorded solution does not meet the goal: ${report.steps.at(-1)?.why ?? ''}`}
        </p>
      )}
    </section>
  );
}

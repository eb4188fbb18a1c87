// What the lesson controls do (loaded by lessonActions.ts when one is first used). Each is an
// entry of the action registry (src/ui/actions/registry.ts); "Show me" plays a step's reference
// solution through the same registry actions as the buttons, never a second code path.
import { refreshPolicyOf } from '../../model/board.ts';
import { serializeBoard } from '../../model/boardJson.ts';
import type { Board } from '../../model/types.ts';
import { quote } from '../../model/safeText.ts';
import { boardParser } from '../parsers.ts';
import { ALL_LESSONS, findLesson } from '../../lessons/builtin.ts';
import type { Lesson, LessonAction } from '../../lessons/types.ts';
import { instanceCount, profile } from '../../model/profiles.ts';
import { VM_NAMES, type VmId } from '../../sim/types.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { clearConsoles, useEngineStore } from '../store/engineStore.ts';
import { notify, useNoticeStore } from '../store/noticeStore.ts';
import { keepCustom, keepOwnBoard, saveCurrent, takeOwnBoard, setWelcomed, useLessonStore } from './lessonStore.ts';
import { checkGoal, currentLesson, lessonById } from './lessonTracking.ts';

const BOOT_WAIT_MS = 20_000;
const QUIET_MS = 800;
const COMMAND_WAIT_MS = 20_000;
/** After Show me has played a step, how long it waits for the step's goal to be met (real time). */
const GOAL_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(test: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (!test()) {
    if (performance.now() > end) return false;
    await sleep(50);
  }
  return true;
}

/** Waits until the engine has produced no event for a moment (a command's consequences have landed). */
async function quiet(): Promise<void> {
  const end = performance.now() + COMMAND_WAIT_MS;
  let seen = useEngineStore.getState().events.length;
  let since = performance.now();
  while (performance.now() < end) {
    await sleep(100);
    const n = useEngineStore.getState().events.length;
    if (n !== seen) {
      seen = n;
      since = performance.now();
    } else if (performance.now() - since >= QUIET_MS) return;
  }
}

const vmRunning = (vm: VmId) => useEngineStore.getState().status.some((s) => s.vm === vm && s.state === 'running');

/** Plays one action of a step's solution on the board as it is; returns why it could not, or null. */
async function play(a: LessonAction): Promise<string | null> {
  const board = useBoardStore.getState().board;
  const up = async (vms: VmId[], what: string) => {
    if (await until(() => vms.every(vmRunning), BOOT_WAIT_MS)) return null;
    const engine = useEngineStore.getState();
    if (!engine.powered) return `${what} did not power the board on (the toolbar and Diagnostics say why)`;
    return `${what}: the ${vms.map((vm) => VM_NAMES[vm]).join(' and the ')} did not come up within ${BOOT_WAIT_MS / 1000} s`;
  };
  switch (a.do) {
    case 'add': {
      // A block of that kind the student placed elsewhere, where the chip has no other: moved, not added
      // (a second one would make a board that cannot boot, and the step's advice would name the wrong one).
      const same = board.components.filter((c) => c.kind === a.kind);
      const misplaced = same.find((c) => c.domain !== a.domain);
      if (misplaced && same.length >= instanceCount(profile(board.soc), a.kind)) {
        await runAction('assignDomain', { id: misplaced.id, domain: a.domain });
        return null;
      }
      await runAction('addComponent', { kind: a.kind, domain: a.domain });
      return null;
    }
    case 'assign': await runAction('assignDomain', { id: a.id, domain: a.domain }); return null;
    case 'remove': await runAction('removeComponent', a.id); return null;
    case 'protect': await runAction('setDmaProtection', { id: a.id, protection: a.protection }); return null;
    case 'memory': await runAction('setVmMemory', { vm: a.vm, memoryMiB: a.mib }); return null;
    case 'soc': await runAction('switchProfile', a.soc); return null;
    case 'firewall': await runAction('setFirewallEnforce', a.enforce); return null;
    case 'refresh-policy': {
      const { do: _, ...change } = a;
      await runAction('setRefreshPolicy', { ...refreshPolicyOf(board, 'app'), ...change });
      return null;
    }
    case 'hot-spare': await runAction('setHotSpare', a.on); return null;
    case 'power-on': {
      await runAction('powerOn');
      const problem = await up(['app', 'system'], 'Power on');
      if (!problem) await quiet();
      return problem;
    }
    case 'power-off':
      await sleep(600); // Power off ignores the second click of a double click on Power on
      await runAction('powerOff');
      return null;
    case 'restart': {
      await runAction('restart');
      const problem = await up(['app', 'system'], 'Apply & reboot');
      if (!problem) await quiet();
      return problem;
    }
    case 'type': {
      const problem = await up([a.vm], `Typing "${a.line}"`);
      if (problem) return problem;
      await runAction('typeCommand', { vm: a.vm, line: a.line });
      await quiet();
      return null;
    }
    case 'wait':
      await runAction('step', a.ms);
      return null;
  }
}

/** The board the open lesson started from (resetLab): an undo past it takes the board out of the lesson. */
let lessonStart: Board | null = null;

// Undo past the lesson's start puts back a board from before the lesson, where its steps cannot be met:
// the lesson is closed, and says how to come back (Redo brings its board back, Lessons the lesson).
useBoardStore.subscribe((s) => {
  if (!lessonStart || !s.future.includes(lessonStart) || useLessonStore.getState().lessonId === null) return;
  const title = currentLesson()?.title;
  lessonFlow.close();
  notify('info', `Undo took the board back to before the lesson${title ? ` ${quote(title)}` : ''}, so the lesson is closed. `
    + 'Redo (Ctrl+Shift+Z) brings back its board; Lessons opens the lesson again.');
});

export const lessonFlow = {
  async open(id: string): Promise<void> {
    const lesson = lessonById(id);
    if (!lesson) {
      notify('error', `There is no lesson "${id}". Press Lessons to see the ones there are.`);
      return;
    }
    setWelcomed();
    // The visitor's board is kept (restorable), unless it is empty, a lesson's untouched start, or
    // the board of a lesson still open: going from lesson to lesson must not push it out of the list.
    const { board } = useBoardStore.getState();
    const text = serializeBoard(board);
    const custom = useLessonStore.getState().custom;
    const starts = [...ALL_LESSONS, ...(custom ? [custom] : [])].map((l) => serializeBoard(l.board));
    const own = useLessonStore.getState().lessonId === null;
    const kept = own && board.components.length > 0 && !starts.includes(text);
    if (kept) keepOwnBoard(text);
    const running = useEngineStore.getState().powered;
    if (running) await runAction('powerOff');
    useLessonStore.setState({ lessonId: id, step: 0, hintsShown: 0, log: [], stepStart: 0, bootStart: 0, why: '', finished: false, listOpen: false, diagnosticsShown: false, card: null });
    await lessonFlow.resetLab();
    // The visitor's board gave way without being asked: say where it is, and that its run stopped.
    if (kept || running) {
      notify('info', `${quote(lesson.title)} starts from a board of its own${running ? '; the board that was running is powered off' : ''}. `
        + (kept ? `Yours, ${quote(board.name)}, is kept: Restore my board (in Lessons) or Undo brings it back.` : 'Undo brings the previous board back.'));
    }
  },

  /** A lesson that is not built in (a lesson file, a builder link): kept, then opened. */
  async openCustom(lesson: Lesson): Promise<void> {
    if (findLesson(lesson.id)) {
      notify('error', `A built-in lesson is already called “${lesson.id}”; give this lesson another id. Your board is unchanged.`);
      return;
    }
    keepCustom(lesson);
    await lessonFlow.open(lesson.id);
  },

  close(): void {
    lessonStart = null;
    useLessonStore.setState({ lessonId: null, finished: false, why: '' });
    saveCurrent();
  },

  hint(): void {
    const lesson = currentLesson();
    const s = useLessonStore.getState();
    if (!lesson || s.finished) return;
    const hints = lesson.steps[s.step]?.hints ?? [];
    if (s.hintsShown < hints.length) {
      useLessonStore.setState({ hintsShown: s.hintsShown + 1 });
      saveCurrent();
    }
  },

  async showMe(): Promise<void> {
    const lesson = currentLesson();
    const s = useLessonStore.getState();
    if (!lesson || s.finished || s.playing) return;
    const step = s.step;
    useLessonStore.setState({ playing: true, shownHow: true });
    try {
      for (const action of lesson.steps[step].solution) {
        if (useLessonStore.getState().lessonId !== lesson.id) return;
        const problem = await play(action);
        if (problem) {
          notify('error', `Show me stopped: ${problem}. Fix that, or press Reset lab to start the lesson again from its board.`);
          return;
        }
      }
      // What the solution set in motion can meet the goal later (the security monitor measures every
      // few seconds, then the VMM refreshes): still "Showing…" until it does, or a press again would
      // play the step from its start (a restart) over a goal about to be met.
      checkGoal();
      const done = await until(() => {
        const t = useLessonStore.getState();
        return t.lessonId !== lesson.id || t.step !== step || t.finished;
      }, GOAL_WAIT_MS);
      if (!done) {
        notify('error', `Show me played this step, but its goal is still not met: ${useLessonStore.getState().why || 'see the step'}. `
          + 'Something on the board differs from what the step expects: press Reset lab to start the lesson again from its board.');
      }
    } finally {
      useLessonStore.setState({ playing: false });
      checkGoal();
    }
  },

  /** Board, consoles, timeline and notices back to the lesson's start. */
  async resetLab(): Promise<void> {
    const lesson = currentLesson();
    if (!lesson) return;
    if (useEngineStore.getState().powered) {
      await sleep(0);
      await runAction('powerOff');
    }
    // The lesson's start first, then its board: every change after checks the goal, and must check it
    // from the first step against that board, not against the board the visitor had (which could
    // meet some goals and be credited as progress made).
    useLessonStore.setState({ step: 0, hintsShown: 0, log: [], stepStart: 0, bootStart: 0, why: '', finished: false });
    useBoardStore.getState().load(JSON.parse(JSON.stringify(lesson.board)));
    lessonStart = useBoardStore.getState().board;
    useLessonStore.setState({ changes: 0, shownHow: false });
    clearConsoles();
    useEngineStore.setState({ events: [], accesses: [], now: 0 });
    useNoticeStore.setState({ notices: [] });
    saveCurrent();
    checkGoal();
  },

  async restoreOwnBoard(): Promise<void> {
    const text = takeOwnBoard();
    if (!text) return;
    let parsed;
    try {
      parsed = (await boardParser()).parseBoardFile(text);
    } catch (err) {
      keepOwnBoard(text); // the reader did not load: the board stays kept, and the action says why
      throw err;
    }
    if (!parsed.ok) {
      keepOwnBoard(text);
      notify('error', `Your board could not be read back (${parsed.error}); it stays kept in localStorage under "isolation-lab:own-board".`, { sticky: true });
      return;
    }
    lessonFlow.close();
    useBoardStore.getState().load(parsed.board);
    const older = useLessonStore.getState().ownKept;
    notify('info', `Your board ${quote(parsed.board.name)} is back. Undo (Ctrl+Z) returns to the lesson's board.${older ? ` ${older} older board${older === 1 ? ' is' : 's are'} kept too: Lessons → Restore my board.` : ''}`);
  },
};

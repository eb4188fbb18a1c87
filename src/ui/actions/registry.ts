// Every user operation is one action: buttons, menus and shortcuts (and, later, lessons)
// all run `runAction(name, payload)`, so there is never a second code path for the same thing.
import * as B from '../../model/board.ts';
import { bootBlockers } from '../../model/check.ts';
import { quote } from '../../model/safeText.ts';
import { diagnosticsOf } from '../store/diagnostics.ts';
import type { ParseResult } from '../../model/boardFile.ts';
import { boardSizeProblem, MAX_NAME_CHARS, serializeBoard } from '../../model/boardJson.ts';
import { example } from '../../model/examples.ts';
import type { Board, ComponentKind, DmaProtection, Domain, RefreshPolicy, SocId } from '../../model/types.ts';
import type { VmId } from '../../sim/types.ts';
import type { Lesson } from '../../lessons/types.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { engineControls, useEngineStore } from '../store/engineStore.ts';
import { notify } from '../store/noticeStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { lessonActions } from '../lessons/lessonActions.ts';
import { useLessonStore } from '../lessons/lessonStore.ts';
import { togglePresenter } from '../lessons/presenter.ts';
import { record } from '../lessons/recorder.ts';
import { download } from '../download.ts';
import { boardParser, shareLinks } from '../parsers.ts';

type XY = { x: number; y: number };

export interface Action<P> {
  label: string;
  /** Shortcut shown in tooltips. */
  shortcut?: string;
  keyTest?: (e: KeyboardEvent) => boolean;
  /** Whether it can run with this payload (none: as its button or shortcut would run it). */
  enabled?: (payload?: P) => boolean;
  perform: (payload: P) => void | Promise<void>;
}

const board = () => useBoardStore.getState().board;
/** Every edit goes through here: one that would make the board unsavable (the 257th component…) is refused, saying why. */
const commit = (next: Board, select?: string | null) => {
  const problem = boardSizeProblem(next);
  if (problem) return void notify('error', `Not changed: ${problem}`);
  useBoardStore.getState().commit(next, select);
};
const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const DOUBLE_CLICK_MS = 500;

function withPosition(b: Board, id: string, at: XY | undefined): Board {
  return at ? B.setPosition(b, id, Math.round(at.x), Math.round(at.y)) : b;
}

/** What loading another board did to the one that was running (store/session.ts). */
const STOPPED = '; the board that was running is powered off and its consoles and events are cleared';

/** Load a parsed board; a refused one changes nothing and says why. */
function loadResult(result: ParseResult, source: string): boolean {
  if (!result.ok) {
    notify('error', `${source} refused — ${result.error} Your current board is unchanged.`);
    return false;
  }
  const running = useEngineStore.getState().powered;
  useBoardStore.getState().load(result.board);
  notify('info', `Loaded ${quote(result.board.name)} from ${source}${running ? STOPPED : ''}. Undo (Ctrl+Z) returns to your previous board.${result.warnings.length ? ' ' + result.warnings.join(' ') : ''}`);
  return true;
}

function boardFileName(b: Board): string {
  const slug = b.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `${slug || 'board'}.board.json`;
}

export const actions = {
  findComponent: {
    label: 'Show on the diagram',
    perform: (id: string) => {
      if (!board().components.some((c) => c.id === id)) return;
      useBoardStore.getState().select(id);
      // On a phone the diagram is a view of its own: show it (elsewhere it is always on screen).
      useUiStore.getState().set({ highlightId: id, focusTick: Date.now(), view: 'diagram' });
    },
  } satisfies Action<string>,

  addComponent: {
    label: 'Add component',
    perform: ({ kind, domain, at }: { kind: ComponentKind; domain: Domain | null; at?: XY }) => {
      const { board: next, id } = B.addComponent(board(), kind, domain);
      commit(withPosition(next, id, at), id);
    },
  } satisfies Action<{ kind: ComponentKind; domain: Domain | null; at?: XY }>,

  moveComponent: {
    label: 'Move component',
    perform: ({ id, domain, at }: { id: string; domain: Domain | null; at: XY }) => {
      commit(withPosition(B.assignDomain(board(), id, domain), id, at));
    },
  } satisfies Action<{ id: string; domain: Domain | null; at: XY }>,

  assignDomain: {
    label: 'Assign domain',
    perform: ({ id, domain }: { id: string; domain: Domain | null }) => commit(B.assignDomain(board(), id, domain)),
  } satisfies Action<{ id: string; domain: Domain | null }>,

  setDmaProtection: {
    label: 'Set DMA protection',
    perform: ({ id, protection }: { id: string; protection: DmaProtection }) =>
      commit(B.setDmaProtection(board(), id, protection)),
  } satisfies Action<{ id: string; protection: DmaProtection }>,

  removeComponent: {
    label: 'Remove component',
    shortcut: 'Delete',
    // The block named, or else the one selected ("Show me" and the builder name it; Delete does not).
    enabled: (id?: string) => (id ?? useBoardStore.getState().selectedId) !== null,
    keyTest: (e: KeyboardEvent) => e.key === 'Delete',
    perform: (id?: string) => {
      const target = id ?? useBoardStore.getState().selectedId;
      if (!target) return;
      commit(B.removeComponent(board(), target), null);
    },
  } satisfies Action<string | undefined>,

  renameBoard: {
    label: 'Rename board',
    perform: (name: string) => {
      const trimmed = name.trim();
      if (trimmed.length < 1 || [...trimmed].length > MAX_NAME_CHARS) {
        notify('error', `A board name needs 1 to ${MAX_NAME_CHARS} characters; it has ${[...trimmed].length}. The name is unchanged.`);
        return;
      }
      if (trimmed !== board().name) commit(B.setName(board(), trimmed));
    },
  } satisfies Action<string>,

  switchProfile: {
    label: 'Switch SoC',
    perform: (soc: SocId) => {
      if (soc === board().soc) return;
      const { board: next, dropped } = B.switchProfile(board(), soc);
      commit(next);
      if (!dropped.length) return notify('info', `Switched to ${soc}; every component fits.`);
      const heads = { removed: 'Removed', unassigned: 'Unassigned', changed: 'Changed' } as const;
      const parts = (Object.keys(heads) as (keyof typeof heads)[])
        .map((action) => [heads[action], dropped.filter((d) => d.action === action)] as const)
        .filter(([, ds]) => ds.length)
        .map(([head, ds]) => `${head}: ${ds.map((d) => `${d.id} — ${d.reason.replace(/\.$/, '')}`).join('; ')}.`);
      notify('error', `Switched to ${soc}. ${parts.join(' ')} Undo (Ctrl+Z) switches back with everything as it was.`);
    },
  } satisfies Action<SocId>,

  setVmMemory: {
    label: 'Set VM memory',
    perform: ({ vm, memoryMiB }: { vm: 'system' | 'app'; memoryMiB: number }) =>
      commit(B.setVmMemory(board(), vm, memoryMiB)),
  } satisfies Action<{ vm: 'system' | 'app'; memoryMiB: number }>,

  setRefreshPolicy: {
    label: 'Refresh policy',
    perform: (refresh: RefreshPolicy) => commit(B.setRefreshPolicy(board(), 'app', refresh)),
  } satisfies Action<RefreshPolicy>,

  setHotSpare: {
    label: 'Hot spare',
    perform: (on: boolean) => commit(B.setHotSpare(board(), on)),
  } satisfies Action<boolean>,

  setFirewallEnforce: {
    label: 'Hardware firewall',
    perform: (enforce: boolean) => commit(B.setFirewallEnforce(board(), enforce)),
  } satisfies Action<boolean>,

  newBoard: {
    label: 'New board',
    perform: () => useBoardStore.getState().load(B.emptyBoard(board().soc)),
  } satisfies Action<void>,

  loadExample: {
    label: 'Load example',
    perform: (id: string) => {
      const ex = example(id);
      if (!ex) return;
      const running = useEngineStore.getState().powered;
      useBoardStore.getState().load(structuredClone(ex.board));
      notify('info', `Loaded example “${ex.title}”${running ? STOPPED : ''}. Undo (Ctrl+Z) returns to your previous board.`);
    },
  } satisfies Action<string>,

  importText: {
    label: 'Import board',
    perform: async ({ text, source }: { text: string; source: string }) => void loadResult((await boardParser()).parseBoardFile(text), source),
  } satisfies Action<{ text: string; source: string }>,

  importFile: {
    label: 'Import board file',
    // Bytes, not file.text(): decoded exactly as `lab` decodes them (strict UTF-8, byte-order marks left to the parser).
    perform: async ({ bytes, source }: { bytes: Uint8Array; source: string }) => void loadResult((await boardParser()).parseBoardBytes(bytes), source),
  } satisfies Action<{ bytes: Uint8Array; source: string }>,

  exportBoard: {
    label: 'Export',
    shortcut: 'Ctrl+S',
    keyTest: (e: KeyboardEvent) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 's',
    perform: () => {
      const b = board();
      const text = serializeBoard(b);
      const problem = boardSizeProblem(b, text);
      if (problem) return notify('error', `Not exported: ${problem}`);
      download(boardFileName(b), text);
      useBoardStore.getState().markSaved();
      notify('info', `Exported “${b.name}” as ${boardFileName(b)} (${text.length.toLocaleString('en')} characters). Import opens it again; lab check checks it.`);
    },
  } satisfies Action<void>,

  copyShareLink: {
    label: 'Share link',
    perform: async () => {
      const problem = boardSizeProblem(board());
      if (problem) return notify('error', `No share link made: ${problem}`);
      const { encodeShareFragment } = await shareLinks();
      const url = `${location.origin}${location.pathname}${location.search}${encodeShareFragment(board())}`;
      useBoardStore.getState().markSaved();
      try {
        await navigator.clipboard.writeText(url);
        notify('info', `Share link copied to the clipboard (${url.length} characters). Whoever opens it gets a copy of this board.`);
      } catch {
        notify('info', `Copy this share link (${url.length} characters): ${url}`);
      }
    },
  } satisfies Action<void>,

  openShareFragment: {
    label: 'Open share link',
    perform: async (fragment: string) => {
      // The link is consumed once: a reload must not replace later work with it again.
      history.replaceState(null, '', `${location.pathname}${location.search}`);
      const state = useBoardStore.getState();
      if (state.dirty && state.board.components.length > 0 &&
          !confirm('Open the board from this link? Your current board has changes you have not exported or shared; Undo brings it back.'))
        return;
      const { decodeShareFragment } = await shareLinks();
      loadResult(decodeShareFragment(fragment), 'share link');
    },
  } satisfies Action<string>,

  undo: {
    label: 'Undo',
    shortcut: 'Ctrl+Z',
    enabled: () => useBoardStore.getState().past.length > 0,
    keyTest: (e: KeyboardEvent) => mod(e) && !e.shiftKey && e.key.toLowerCase() === 'z',
    perform: () => useBoardStore.getState().undo(),
  } satisfies Action<void>,

  redo: {
    label: 'Redo',
    shortcut: 'Ctrl+Shift+Z',
    enabled: () => useBoardStore.getState().future.length > 0,
    keyTest: (e: KeyboardEvent) => mod(e) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'),
    perform: () => useBoardStore.getState().redo(),
  } satisfies Action<void>,

  powerOn: {
    label: 'Power on',
    // A board the hardware cannot build does not power on (the button says why).
    enabled: () => !useEngineStore.getState().powered && bootBlockers(diagnosticsOf(board())).length === 0,
    perform: () => engineControls.powerOn(board()),
  } satisfies Action<void>,

  powerOff: {
    label: 'Power off',
    enabled: () => useEngineStore.getState().powered,
    perform: () => {
      // The button takes Power on's place: the second click of a double click must not switch straight off.
      if (performance.now() - useEngineStore.getState().poweredAt < DOUBLE_CLICK_MS) return;
      return engineControls.powerOff();
    },
  } satisfies Action<void>,

  restart: {
    label: 'Apply board & reboot',
    perform: async () => {
      // The edited board must be one the hardware can boot; otherwise the running one is left as it is.
      const blockers = bootBlockers(diagnosticsOf(board()));
      if (blockers.length) {
        notify('error', `Not applied: the edited board cannot boot (${[...new Set(blockers.map((d) => d.rule))].join(', ')}). `
          + 'Fix it in Diagnostics; the running board keeps going as it booted.');
        return;
      }
      await engineControls.powerOff();
      await engineControls.powerOn(board());
    },
  } satisfies Action<void>,

  attack: {
    label: 'Attack',
    enabled: () => useEngineStore.getState().status.some((s) => s.vm === 'app' && s.state === 'running'),
    perform: ({ name, vm }: { name: string; vm: VmId }) => engineControls.exec(vm, `attack ${name}`),
  } satisfies Action<{ name: string; vm: VmId }>,

  setSpeed: {
    label: 'Speed',
    perform: (speed: number) => engineControls.setSpeed(speed),
  } satisfies Action<number>,

  step: {
    label: 'Step',
    perform: (ms: number) => engineControls.step(ms),
  } satisfies Action<number>,

  typeCommand: {
    label: 'Type a command',
    perform: ({ vm, line }: { vm: VmId; line: string }) => engineControls.exec(vm, line),
  } satisfies Action<{ vm: VmId; line: string }>,

  // Lessons (src/ui/lessons): the panel's buttons, the list and the links all run these.
  toggleLessonList: {
    label: 'Lessons',
    perform: () => {
      const open = !useLessonStore.getState().listOpen;
      useLessonStore.getState().set({ listOpen: open });
      // On a phone the lessons are in the Diagram view: show it (elsewhere it is always on screen).
      if (open) useUiStore.getState().set({ view: 'diagram' });
    },
  } satisfies Action<void>,

  openLesson: {
    label: 'Open lesson',
    perform: (id: string) => {
      useUiStore.getState().set({ view: 'diagram' });
      return lessonActions.open(id);
    },
  } satisfies Action<string>,

  openCustomLesson: {
    label: 'Open lesson file',
    perform: (lesson: Lesson) => lessonActions.openCustom(lesson),
  } satisfies Action<Lesson>,

  closeLesson: {
    label: 'Close lesson',
    perform: () => lessonActions.close(),
  } satisfies Action<void>,

  lessonHint: {
    label: 'Hint',
    perform: () => lessonActions.hint(),
  } satisfies Action<void>,

  lessonShowMe: {
    label: 'Show me',
    enabled: () => !useLessonStore.getState().playing,
    perform: () => lessonActions.showMe(),
  } satisfies Action<void>,

  resetLab: {
    label: 'Reset lab',
    perform: () => lessonActions.resetLab(),
  } satisfies Action<void>,

  togglePresenter: {
    label: 'Presenter mode',
    shortcut: 'Shift+P',
    keyTest: (e: KeyboardEvent) => e.shiftKey && !mod(e) && !e.altKey && e.key.toUpperCase() === 'P',
    perform: () => togglePresenter(),
  } satisfies Action<void>,

  restoreOwnBoard: {
    label: 'Restore my board',
    perform: () => lessonActions.restoreOwnBoard(),
  } satisfies Action<void>,

  skipToNextEvent: {
    label: 'Skip to next event',
    perform: async () => {
      if ((await engineControls.skipToNextEvent()) === null) notify('info', 'Nothing happened in the next 24 hours of simulated time; the clock moved on by a day.');
    },
  } satisfies Action<void>,
};

export type ActionName = keyof typeof actions;
type PayloadOf<N extends ActionName> = Parameters<(typeof actions)[N]['perform']>[0];

/** Runs an action; the promise settles when it is done (lessons wait on it; buttons need not). */
export function runAction<N extends ActionName>(name: N, ...payload: PayloadOf<N> extends void ? [] : [PayloadOf<N>]): Promise<void> {
  const action = actions[name] as Action<unknown>;
  if (action.enabled && !action.enabled(payload[0])) return Promise.resolve();
  record(name, payload[0], useBoardStore.getState().selectedId); // the lesson builder's recorder, when it runs
  return Promise.resolve(action.perform(payload[0])).catch((err: unknown) =>
    notify('error', `${action.label} failed: ${err instanceof Error ? err.message : String(err)}`),
  );
}

export function isEnabled(name: ActionName): boolean {
  const action = actions[name] as Action<unknown>;
  return !action.enabled || action.enabled();
}

/**
 * Keyboard shortcuts come from the same registry. Typing in a field or a console is left alone; in a
 * select or a checkbox, which have no text of their own to undo, Ctrl/Cmd shortcuts still work.
 */
export function handleShortcut(e: KeyboardEvent): void {
  const t = e.target as HTMLElement | null;
  const choice = t?.closest('select, input[type="checkbox"]');
  if (t && (choice ? !mod(e) : t.closest('input, textarea, .xterm') || t.isContentEditable)) return;
  for (const [name, action] of Object.entries(actions) as [ActionName, Action<unknown>][]) {
    if (action.keyTest?.(e)) {
      e.preventDefault();
      runAction(name as never);
      return;
    }
  }
}

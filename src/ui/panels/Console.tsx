// One guest's terminal: keystrokes go to the engine's line discipline, output comes back from it.
import '@xterm/xterm/css/xterm.css';
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef } from 'react';
import { consoleInput } from '../../model/safeText.ts';
import { CONSOLE_OPTIONS, note, poweredOffLine } from './consoleOptions.ts';
import { LocalEcho } from './localEcho.ts';
import { VM_NAMES, type VmId } from '../../sim/types.ts';
import { attachConsole, engineControls, guestState, onConsolesReset, releaseConsole, useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { onConsoleFontSize } from '../lessons/presenter.ts';
import { consoleFolded } from '../layout.ts';

/** A console is named after its guest: "Console: Application VM" (CONTRACT §7). */
export const CONSOLE_NAMES: Record<VmId, string> = VM_NAMES;

/**
 * Moves the focus to the first control after `el` in the page that takes it (a terminal keeps Tab for
 * itself). A hidden console's text area is still in the layout (visibility: hidden) but refuses the
 * focus: the next one is tried.
 */
function focusAfter(el: HTMLElement): void {
  const controls = [...document.querySelectorAll<HTMLElement>('button, select, input, textarea, [tabindex]:not([tabindex="-1"])')];
  for (const c of controls) {
    if (el.contains(c) || !(el.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING) || c.matches(':disabled')) continue;
    c.focus();
    if (document.activeElement === c) return;
  }
}

/**
 * Text that comes with no key pressed (dictation, voice control, some on-screen keyboards) arrives
 * as an `insertText` input event alone. In screen-reader mode xterm leaves those events to the
 * browser (its keys' own events carry typed text, and handling both would type it twice), so it
 * would be lost: it goes to the terminal here, as if typed. Returns the cleanup.
 */
function acceptTextWithoutKeys(term: Terminal): () => void {
  const area = term.textarea!;
  let keyDown = false;
  const down = () => void (keyDown = true);
  const up = () => void (keyDown = false);
  const text = (e: Event) => {
    const ev = e as InputEvent;
    if (keyDown || ev.inputType !== 'insertText' || !ev.data || ev.isComposing) return;
    term.input(ev.data);
  };
  area.addEventListener('keydown', down);
  area.addEventListener('keyup', up);
  area.addEventListener('blur', up);
  area.addEventListener('input', text);
  return () => {
    area.removeEventListener('keydown', down);
    area.removeEventListener('keyup', up);
    area.removeEventListener('blur', up);
    area.removeEventListener('input', text);
  };
}

/**
 * The keys a phone's on-screen keyboard lacks, for a touch screen: what each sends is what the key
 * sends from a keyboard (xterm's sequences for the arrows, in its normal cursor-key mode).
 */
const TOUCH_KEYS: { label: string; name: string; data: string }[] = [
  { label: 'Tab', name: 'Tab (complete)', data: '\t' },
  { label: '↑', name: 'Up (earlier command)', data: '\x1b[A' },
  { label: '↓', name: 'Down (later command)', data: '\x1b[B' },
  { label: '←', name: 'Left', data: '\x1b[D' },
  { label: '→', name: 'Right', data: '\x1b[C' },
  { label: 'Ctrl-C', name: 'Ctrl-C (interrupt)', data: '\x03' },
];

export function Console({ vm }: { vm: VmId }) {
  // Primitives, not the status object: a batch that changes nothing here re-renders nothing here.
  const state = useEngineStore(guestState(vm));
  const compromised = useEngineStore((s) => s.status.find((x) => x.vm === vm)?.compromised ?? false);
  const host = useRef<HTMLDivElement>(null);
  const terminal = useRef<{ term: Terminal; fit: FitAddon } | null>(null);
  const wide = useUiStore((s) => s.wideConsole);
  const oneAtATime = useUiStore((s) => s.layout !== 'wide');
  const setUi = useUiStore((s) => s.set);
  const folded = consoleFolded(vm, wide, oneAtATime);
  /** Whether the console is on the screen (the engine's store keeps text for one that is not). */
  const shown = useRef(!folded);

  useEffect(() => {
    const term = new Terminal({ ...CONSOLE_OPTIONS, theme: { ...CONSOLE_OPTIONS.theme } });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current!);
    terminal.current = { term, fit };
    // After a resize the console shows its newest line, where output and typing go: on a phone,
    // output written while the Consoles view was hidden was left below the view once it was shown
    // and fitted (xterm does not follow output it cannot lay out, and the view keeps its old top).
    let catchUpUntil = 0;
    // Before the terminal has a renderer (not yet laid out), xterm's scrollToBottom throws: nothing to scroll then.
    const toBottom = () => {
      try {
        term.scrollToBottom();
      } catch {
        /* not laid out yet: its first fit scrolls it */
      }
    };
    const refit = () => {
      try {
        fit.fit();
        host.current!.dataset.cols = String(term.cols); // for the layout tests: a console is ≥ 60 columns
      } catch {
        /* hidden or zero-sized: fit again on the next resize */
      }
      // After what is queued to be written, and what comes in the next second (text kept while hidden).
      catchUpUntil = performance.now() + 1000;
      term.write('', toBottom);
    };
    const caughtUp = term.onWriteParsed(() => {
      if (performance.now() < catchUpUntil) toBottom();
    });
    refit();
    const resize = new ResizeObserver(refit);
    resize.observe(host.current!);
    const greet = () => term.writeln(note(poweredOffLine(vm)));
    // A console that loads after Power on (its code comes after the first paint) is not powered off.
    if (!useEngineStore.getState().powered) greet();
    // xterm makes its buffer API on first use (0.3–16 ms, measured), which the first typed key paid for: make it now.
    const buffer = term.buffer;
    const echo = new LocalEcho({
      write: (text, parsed) => term.write(text, parsed),
      get cols() {
        return term.cols;
      },
      get rows() {
        return term.rows;
      },
      get scrollback() {
        return term.options.scrollback ?? 0;
      },
      cursorX: () => buffer.active.cursorX,
      blankFromCursor: () => {
        const b = buffer.active;
        return (b.getLine(b.baseY + b.cursorY)?.translateToString(true).length ?? 0) <= b.cursorX;
      },
    });
    const detach = attachConsole(vm, {
      write: (text) => echo.output(text),
      focused: () => term.textarea !== undefined && document.activeElement === term.textarea,
      shown: () => shown.current,
      ahead: echo,
    });
    // With the board off nothing reads a key: the console says so once (until the next reset),
    // instead of a cursor that takes keys in silence.
    let toldOff = false;
    const unreset = onConsolesReset(() => {
      echo.reset();
      // A full reset (RIS, ESC c) in the write queue, not term.reset(): text still waiting in the
      // queue (the greeting of a reset just before) would be written after a reset made outside it.
      term.write('\x1bc');
      toldOff = false;
      if (!useEngineStore.getState().powered) greet();
    });
    const unfont = onConsoleFontSize((size) => {
      term.options.fontSize = size;
      refit();
    });
    // Typed or pasted data is shown, never obeyed: control characters other than the editing keys are made visible.
    const input = term.onData((data) => {
      if (useEngineStore.getState().powered) return engineControls.keys(vm, consoleInput(data));
      if (!toldOff) term.writeln(note('Powered off: nothing reads what you type. Press Power on.'));
      toldOff = true;
    });
    const unspoken = acceptTextWithoutKeys(term);
    term.textarea?.addEventListener('focus', engineControls.keyboardIn);
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown') return true;
      // Tab completes commands inside the shell, so Escape is the way out for keyboard users.
      if (e.key === 'Escape') {
        focusAfter(host.current!);
        return false;
      }
      // Ctrl+V pastes, and Ctrl+C copies what is selected, as in a browser: xterm would send them to
      // the shell as the control characters ^V and ^C (its maintainers leave this to the page).
      // Without a selection, Ctrl+C still reaches the shell.
      const ctrlOnly = e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey;
      if (ctrlOnly && e.key.toLowerCase() === 'v') return false;
      if (ctrlOnly && e.key.toLowerCase() === 'c' && term.hasSelection()) return false;
      return true;
    });
    return () => {
      caughtUp.dispose();
      input.dispose();
      term.textarea?.removeEventListener('focus', engineControls.keyboardIn);
      unspoken();
      unreset();
      unfont();
      detach();
      resize.disconnect();
      terminal.current = null;
      term.dispose();
    };
  }, [vm]);

  // A console shown again (a tab, or the wide view given back) is given the text kept while it was
  // hidden, and redraws.
  useEffect(() => {
    shown.current = !folded;
    const t = terminal.current;
    if (folded || !t) return;
    releaseConsole(vm);
    const frame = requestAnimationFrame(() => {
      try {
        t.fit.fit();
      } catch {
        /* zero-sized: the resize observer fits it later */
      }
      // Output that arrived while hidden may have left the viewport behind the last line.
      t.term.scrollToBottom();
      t.term.refresh(0, t.term.rows - 1);
    });
    return () => cancelAnimationFrame(frame);
  }, [folded, vm]);
  return (
    <section className={`console${folded ? ' folded' : ''}`} aria-label={`Console: ${CONSOLE_NAMES[vm]}`}>
      <header>
        <span className="console-title">{CONSOLE_NAMES[vm]}</span>
        <span className="console-hint">Esc leaves the console</span>
        <span className={`state state-${state}`}>{state}</span>
        {compromised && <span className="state state-crashed">compromised</span>}
        {!oneAtATime && <button
          type="button"
          className="console-widen"
          aria-pressed={wide === vm}
          title={wide === vm ? 'Show all three consoles' : 'Give this console the whole width'}
          aria-label={wide === vm ? `Show all consoles` : `Widen ${CONSOLE_NAMES[vm]} console`}
          onClick={() => setUi({ wideConsole: wide === vm ? null : vm })}
        >
          {wide === vm ? '⇥⇤' : '⇤⇥'}
        </button>}
      </header>
      <div className="console-term" ref={host} />
      {/* Shown where the page's touch hints are (styles.css: .for-touch), with no work in a render. */}
      <div className="for-touch">
        <div className="console-keys" role="toolbar" aria-label={`Keys for ${CONSOLE_NAMES[vm]}`}>
          {TOUCH_KEYS.map((k) => (
            <button
              key={k.label}
              type="button"
              aria-label={k.name}
              // The terminal keeps the focus, and the on-screen keyboard stays open.
              onPointerDown={(e) => e.preventDefault()}
              onClick={() => {
                const t = terminal.current?.term;
                t?.input(k.data);
                t?.focus();
              }}
            >
              {k.label}
            </button>
          ))}
        </div>
      </div>
    </section>
  );
}

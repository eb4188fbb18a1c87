// One guest environment as the console sees it: its lifecycle state, its file
// system, its line editor and the command that is currently running. The VMM
// (simulation.ts) drives its lifecycle; the shell (shell.ts) runs its commands.

import type { VmId, VmState } from './types.ts';
import { LineEditor } from './lineEditor.ts';
import { visibleControls } from '../model/safeText.ts';
import type { Files } from './fs.ts';

export interface GuestHost {
  readonly now: number;
  schedule(delayMs: number, action: () => void): void;
  write(vm: VmId, text: string): void;
  /** Runs one command line; the guest is busy until every `after` it scheduled has run. */
  runLine(guest: Guest, line: string): void;
  completions(guest: Guest, prefix: string): string[];
}

type Input = { keys: string } | { exec: string };

/** How often a step of a paused VM's command looks again whether the VM runs. */
const PAUSED_POLL_MS = 100;

export interface Process {
  pid: number;
  name: string;
  /** Memory in KiB. */
  rssKiB: number;
}

/** kernel.hung_task_warnings: how many hung-task reports a boot prints before the detector goes quiet. */
export const HUNG_TASK_WARNINGS = 10;

/** How much typed input a down environment's console keeps: a Linux tty's input buffer (N_TTY_BUF_SIZE, 4096). */
const HELD_KEYS = 4096;

export class Guest {
  state: VmState = 'off';
  /** Bumped at every boot, stop, crash or hang: pending callbacks of the old life are dropped. */
  epoch = 0;
  bootedAt = 0;
  /** Compromised (what the timeline, the omniscient observer, shows at once). */
  compromised = false;
  /** Whether the system VM knows it: a measurement found it (secmon, or the security processor for the system VM). */
  compromiseKnown = false;
  cwd = '/root';
  dmesg: string[] = [];
  /** When this boot's kernel started (simulated ms): the kernel log's clock counts from it. */
  private kernelStartedAt = 0;
  processes: Process[] = [];
  /** The running command waits in D state (a block request of /data): Ctrl-C cannot end it until the request completes. */
  uninterruptible = false;
  /** Ctrl-C came while the command was in D state: it dies as soon as it leaves. */
  sigintPending = false;
  /** Hung-task reports left this boot (kernel.hung_task_warnings). */
  hungTaskWarnings = HUNG_TASK_WARNINGS;
  nextPid = 1;
  /** Where this VM's processes live when a process table other than the list above keeps them (the application VM's supervisor). */
  spawnInto?: (name: string, rssKiB: number) => Process;
  readonly editor: LineEditor;
  private input: Input[] = [];
  /**
   * Keys typed while this environment is down on a powered board (not started yet, crashed, stopped):
   * its console is the VMM's, which keeps them, as a tty keeps up to 4 KiB of input nobody has read,
   * for the shell of its next life.
   */
  private held = '';
  private busy = false;
  private pending = 0;
  private commandToken = 0;

  /** A kernel starts at `at` (simulated ms): its log is a new one, and its clock counts from then. */
  startKernel(at: number): void {
    this.dmesg = [];
    this.kernelStartedAt = at;
  }

  /** Appends `text` to the kernel's log, stamped as printk stamps it: seconds since the kernel started. */
  logKernel(now: number, text: string): void {
    this.dmesg.push(`[${((now - this.kernelStartedAt) / 1000).toFixed(6).padStart(12)}] ${text}`);
  }

  constructor(
    readonly id: VmId,
    readonly name: string,
    readonly promptText: string,
    readonly fs: Files,
    private readonly host: GuestHost,
  ) {
    this.editor = new LineEditor(() => this.promptText, (t) => this.write(t), (p) => host.completions(this, p));
  }

  get alive(): boolean {
    return this.state === 'running' || this.state === 'booting' || this.state === 'paused';
  }

  get atPrompt(): boolean {
    return this.state === 'running' && !this.busy;
  }

  get isBusy(): boolean {
    return this.busy;
  }

  /**
   * Whether a printable character typed now comes back as itself and nothing else: the shell waits
   * at its prompt with no input queued and the cursor at the end of the line (LineEditor.insert).
   * The page draws such a key before its echo arrives, and takes it back when the echo differs.
   */
  get echoesTyping(): boolean {
    return this.atPrompt && this.input.length === 0 && this.editor.cursor === this.editor.line.length;
  }

  write(text: string): void {
    const r = this.rerunning;
    if (r) {
      const skip = Math.min(text.length, Math.max(0, r.shown - r.count.written));
      r.count.written += text.length;
      if (skip === text.length) return;
      text = text.slice(skip);
    }
    if (text) this.lineStart = text.endsWith('\n');
    this.host.write(this.id, text);
  }

  /** The console's cursor is at the start of a line: what was written last ended one. */
  private lineStart = true;

  /** A command being run again (rerun): how much of its output is already on the console, and how much it wrote. */
  private rerunning: { shown: number; count: { written: number } } | null = null;

  /**
   * Runs a command again that stopped to wait (for a block request): its first
   * `shown` characters of output are already on the console and are not written
   * twice. `count.written` gets every character it wrote, shown or not, even when
   * it stops again (throws).
   */
  rerun(shown: number, count: { written: number }, run: () => void): void {
    this.rerunning = { shown, count };
    try {
      run();
    } finally {
      this.rerunning = null;
    }
  }

  /**
   * A message from a daemon, not from the command at the prompt: printed above
   * the prompt, which is then redrawn with whatever the user had typed so far.
   */
  notify(text: string): void {
    if (this.state !== 'running') return;
    const body = text.replace(/\r?\n$/, '').replace(/\r?\n/g, '\r\n');
    if (!this.atPrompt) {
      // On a line of its own: a new one only where a command's output left one unfinished.
      this.write(`${this.lineStart ? '' : '\r\n'}${body}\r\n`);
      return;
    }
    const { line, cursor } = this.editor;
    const back = line.length - cursor;
    this.write(`\r\x1b[K${body}\r\n${this.promptText}${line}${back > 0 ? `\x1b[${back}D` : ''}`);
  }

  /**
   * Ends the current life: queued input and running commands are dropped. A boot starts with the keys
   * held while the environment was down; power off drops them too.
   */
  newLife(state: VmState): void {
    this.state = state;
    this.epoch++;
    this.busy = false;
    this.pending = 0;
    this.commandToken++;
    this.uninterruptible = false;
    this.sigintPending = false;
    if (state === 'booting') this.hungTaskWarnings = HUNG_TASK_WARNINGS;
    this.input = state === 'booting' && this.held ? [{ keys: this.held }] : [];
    if (state === 'booting' || state === 'off') this.held = '';
    this.editor.reset();
  }

  /** Keys typed while this environment is down on a powered board: kept for its next boot (at most HELD_KEYS characters). */
  hold(data: string): void {
    this.held = (this.held + data).slice(0, HELD_KEYS);
  }

  /** Called when boot finishes: the first prompt, then any input typed meanwhile. */
  ready(): void {
    this.state = 'running';
    this.write(this.promptText);
    this.pump();
  }

  /** Back from a pause: the input typed meanwhile is read now. */
  resume(): void {
    this.state = 'running';
    this.pump();
  }

  keys(data: string): void {
    if (!this.alive) return; // off, crashed or hung: nobody reads; booting or paused: input waits
    if (this.busy && data.includes('\x03') && this.state === 'running') {
      // Ctrl-C interrupts the running command; the rest of the input follows.
      const at = data.indexOf('\x03');
      this.input = [];
      if (this.uninterruptible) {
        // The tty echoes ^C and flushes the input; the signal waits for the process to leave D state.
        this.sigintPending = true;
        this.write('^C');
      } else this.interrupt();
      if (at + 1 < data.length) this.keys(data.slice(at + 1));
      return;
    }
    this.input.push({ keys: data });
    this.pump();
  }

  /** Runs a whole command line (a script's, a lesson's "Show me"): data, so its control characters are shown, not obeyed. */
  exec(line: string): void {
    if (!this.alive) return;
    this.input.push({ exec: visibleControls(line) });
    this.pump();
  }

  /** The command waited in D state with SIGINT pending: its request has completed and the signal ends it now. */
  dieOfPendingSignal(): void {
    this.commandToken++;
    this.busy = false;
    this.pending = 0;
    this.uninterruptible = false;
    this.sigintPending = false;
    this.write('\r\n');
    this.editor.reset();
    this.write(this.promptText);
    this.pump();
  }

  private interrupt(): void {
    this.commandToken++;
    this.busy = false;
    this.pending = 0;
    this.write('^C\r\n');
    this.editor.reset();
    this.write(this.promptText);
  }

  /** Processes queued input while the shell is at its prompt. */
  private pump(): void {
    while (this.atPrompt && this.input.length > 0) {
      const item = this.input[0];
      if ('exec' in item) {
        this.input.shift();
        if (this.editor.line !== '') this.write(`\r\x1b[K${this.promptText}`);
        this.editor.reset();
        this.write(item.exec + '\r\n');
        this.editor.remember(item.exec);
        this.run(item.exec);
        continue;
      }
      const r = this.editor.feed(item.keys, 0);
      if (r.kind === 'more') {
        this.input.shift();
        continue;
      }
      const rest = item.keys.slice(r.consumed);
      if (rest === '') this.input.shift();
      else item.keys = rest;
      if (r.kind === 'interrupt') this.write(this.promptText);
      else this.run(r.line);
    }
  }

  private run(line: string): void {
    this.busy = true;
    this.pending = 0;
    this.uninterruptible = false;
    this.sigintPending = false;
    const token = ++this.commandToken;
    const epoch = this.epoch;
    this.host.runLine(this, line);
    if (this.epoch === epoch && this.commandToken === token && this.pending === 0) {
      // A command that finished at once: the prompt returns and pump() carries on.
      this.busy = false;
      if (this.state === 'running') this.write(this.promptText);
    }
  }

  /**
   * Schedules a step of the running command; the prompt comes back after the
   * last step. Steps are dropped if the command is interrupted or the VM's
   * life ends first.
   */
  after(delayMs: number, step: () => void): void {
    const token = this.commandToken;
    const epoch = this.epoch;
    this.pending++;
    const attempt = () => {
      if (this.epoch !== epoch || this.commandToken !== token) return;
      // A paused VM's CPUs do not run: the step waits for the resume.
      if (this.state === 'paused') return this.host.schedule(PAUSED_POLL_MS, attempt);
      step();
      if (this.epoch !== epoch || this.commandToken !== token) return;
      if (--this.pending === 0) this.finish();
    };
    this.host.schedule(delayMs, attempt);
  }

  private finish(): void {
    this.busy = false;
    if (this.state !== 'running') return;
    this.write(this.promptText);
    this.pump();
  }

  /** Schedules something for this life of the VM only (dropped at the next boot/stop/crash). */
  inThisLife(delayMs: number, action: () => void): void {
    const epoch = this.epoch;
    this.host.schedule(delayMs, () => {
      if (this.epoch === epoch) action();
    });
  }

  /** Identifies the command now running: it changes when one ends early (Ctrl-C). */
  get commandId(): number {
    return this.commandToken;
  }

  spawn(name: string, rssKiB: number): Process {
    const p: Process = this.spawnInto?.(name, rssKiB) ?? { pid: this.nextPid++, name, rssKiB };
    this.processes.push(p);
    return p;
  }
}

// `lab run <board.json> --script <file> [--seed N] [--json]` (CONTRACT §4):
// boots a board headless, runs a script of console commands on simulated
// time, and prints each console's transcript and the event log. Same board,
// script and seed ⇒ byte-identical output.

import { nodeIo, readText, type CliIo } from './io.ts';
import { parseBoardFile } from '../model/boardFile.ts';
import { excerpt, safeJson, visibleControls } from '../model/safeText.ts';
import { renderTranscript, Simulation, stripAnsi, VM_IDS } from '../sim/index.ts';
import type { SimEvent, VmId } from '../sim/index.ts';

/** The most simulated time the sleeps of one script may add up to: a week, far beyond any lesson's day. */
export const MAX_SCRIPT_SLEEP_MS = 7 * 24 * 3_600_000;
const MAX_SCRIPT_SLEEP_TEXT = '7 days (168h)';
/**
 * The most characters of console text and event lines one run may produce:
 * a lesson script prints a few thousand, a board refreshing its VM every
 * second through a 10 h sleep would print 31 MB.
 */
export const MAX_RUN_OUTPUT_CHARS = 1_000_000;
const MAX_RUN_OUTPUT_TEXT = '1,000,000';
/** The engine's random source takes a 32-bit seed (src/sim/random.ts). */
export const MAX_SEED = 0xffffffff;
/** A sleep runs in slices of this much simulated time, so a limit stops it soon after it is crossed. */
const SLEEP_SLICE_MS = 60_000;

export const RUN_USAGE = `Usage: lab run <board.json> --script <file> [--seed N] [--json]

Boots the board (system VM, application VM, real-time container) and runs a
script, one step a line:
  <vm>: <shell command>   type a command in a console (vm: system, app, rt)
                          once it shows its prompt, and wait for the prompt
                          to return; other consoles are not waited for (a
                          paused VM keeps the line until it is resumed, and
                          the script goes on)
  sleep <duration>        let simulated time pass: 500ms, 10s, 5m, 2h
  # comment               ignored, as are blank lines
After the last line, what is under way finishes. Prints each console's
transcript, then the event log.
  --seed N   seed of the simulation's random numbers, 0 to 4294967295 (default 1)
  --json     one JSON object per line, in order of occurrence:
             {"t": <ms>, "type": "<event>", ...} or {"console": "<vm>", "text": "..."}
Limits, so that no script can hang a CI job: the sleeps of a script add up
to at most ${MAX_SCRIPT_SLEEP_TEXT} of simulated time (a script past it is
refused before anything runs), and a run prints at most ${MAX_RUN_OUTPUT_TEXT}
characters of console text and events (past it, the run stops); either way
with an error on stderr.
Exit status: 0 done, 1 the board cannot boot (its cannot-boot rules on stderr),
2 bad arguments, unreadable or refused file, a bad script
line, or a limit reached (what was printed until then is kept).
`;


export type ScriptStep =
  | { kind: 'command'; vm: VmId; line: string; lineNo: number }
  | { kind: 'sleep'; ms: number; lineNo: number };

/** How long one command may keep a console busy before the script moves on (simulated). */
const COMMAND_BUDGET_MS = 10 * 60_000;
const BOOT_BUDGET_MS = 60_000;

export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * unit);
}

export function parseScript(text: string): { ok: true; steps: ScriptStep[] } | { ok: false; error: string } {
  const steps: ScriptStep[] = [];
  let slept = 0;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const sleep = /^sleep\s+(\S+)$/.exec(line);
    if (sleep) {
      const ms = parseDuration(sleep[1]);
      if (ms === null) return { ok: false, error: `line ${lineNo}: bad duration '${excerpt(sleep[1])}' (use e.g. 500ms, 10s, 5m, 2h)` };
      slept += ms;
      if (slept > MAX_SCRIPT_SLEEP_MS) {
        return { ok: false, error: `line ${lineNo}: 'sleep ${excerpt(sleep[1])}' takes the script's sleeps past the limit of `
          + `${MAX_SCRIPT_SLEEP_TEXT} of simulated time; sleep less (a lesson rarely needs more than a day).` };
      }
      steps.push({ kind: 'sleep', ms, lineNo });
      continue;
    }
    const cmd = /^([a-z]+)\s*:(.*)$/.exec(line);
    if (cmd && (VM_IDS as readonly string[]).includes(cmd[1])) {
      steps.push({ kind: 'command', vm: cmd[1] as VmId, line: cmd[2].trim(), lineNo });
      continue;
    }
    return { ok: false, error: `line ${lineNo}: expected '<vm>: <command>' (vm: system, app or rt), 'sleep <duration>' or '# comment', got: ${excerpt(line)}` };
  }
  return { ok: true, steps };
}

/** Console text as plain lines: no ANSI, "\n" endings, no stray control characters (C1 ones made visible). */
export function plainText(text: string): string {
  return visibleControls(stripAnsi(text).replace(/\r/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, ''), '\n\t');
}

function formatEvent(e: SimEvent): string {
  const t = `${(e.t / 1000).toFixed(3)}s`.padStart(12);
  // The longest type (integrity.violation, update.boot-attempt) fits: the columns stay in line.
  return `${t}  ${e.type.padEnd(20)} ${(e.vm ?? '-').padEnd(6)} ${visibleControls(e.message)}`;
}

export async function runCommand(args: string[], io: CliIo = nodeIo): Promise<number> {
  let json = false;
  let seed = 1;
  let scriptPath: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.stdout(RUN_USAGE);
      return 0;
    } else if (a === '--script' || a.startsWith('--script=')) {
      if (scriptPath !== undefined) return usage(io, 'one --script at a time');
      scriptPath = a === '--script' ? args[++i] : a.slice('--script='.length);
      if (!scriptPath) return usage(io, '--script needs a file');
    } else if (a === '--seed' || a.startsWith('--seed=')) {
      const v = a === '--seed' ? args[++i] : a.slice('--seed='.length);
      // The engine's random source takes a 32-bit seed: a larger or negative one would silently wrap onto another.
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > MAX_SEED) {
        return usage(io, `--seed needs a whole number from 0 to ${MAX_SEED}, got ${v === undefined ? 'nothing' : excerpt(v)}`);
      }
      seed = Number(v);
    } else if (a.startsWith('-') && a !== '-') return usage(io, `unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) return usage(io, files.length === 0 ? 'which board file?' : 'one board file at a time');
  if (!scriptPath) return usage(io, '--script <file> is required');
  // Standard input can be read once: the second reader would find it empty (an empty script, run as one).
  if (files[0] === '-' && scriptPath === '-') return usage(io, "the board and the script cannot both be '-' (standard input): give one of them as a file");

  const board = readText(io, files[0]);
  if (!board.ok) {
    io.stderr(`lab run: ${board.error}\n`);
    return 2;
  }
  const scriptFile = readText(io, scriptPath, { name: 'a console script', format: 'UTF-8 text' });
  if (!scriptFile.ok) {
    io.stderr(`lab run: ${scriptFile.error}\n`);
    return 2;
  }
  const parsed = parseBoardFile(board.text);
  if (!parsed.ok) {
    io.stderr(`lab run: ${files[0]} refused: ${parsed.error}\n`);
    return 2;
  }
  const script = parseScript(scriptFile.text);
  if (!script.ok) {
    io.stderr(`lab run: ${scriptPath}: ${script.error}\n`);
    return 2;
  }

  const sim = new Simulation(parsed.board, { seed });
  /** Raw terminal text per console; drawn (line edits applied) when printed. */
  const transcript: Record<VmId, string> = { system: '', app: '', rt: '' };
  const events: SimEvent[] = [];
  const jsonLines: string[] = [];
  /** Characters of console text and event lines so far, held to MAX_RUN_OUTPUT_CHARS. */
  let produced = 0;
  /** Set once the limit is reached: nothing more is kept, not even the rest of the command that crossed it. */
  let full = false;
  const collect = () => {
    for (const item of sim.drainInOrder()) {
      if (full) break;
      if ('console' in item) {
        const text = keptOf(item.console.text, MAX_RUN_OUTPUT_CHARS - produced);
        full = text.length < item.console.text.length;
        transcript[item.console.vm] += text;
        produced += text.length;
        const plain = plainText(text);
        if (json && plain !== '') jsonLines.push(safeJson({ console: item.console.vm, text: plain }));
      } else {
        const length = formatEvent(item.event).length + 1;
        full = produced + length > MAX_RUN_OUTPUT_CHARS;
        if (full) break;
        events.push(item.event);
        produced += length;
        if (json) jsonLines.push(safeJson(item.event));
      }
    }
    sim.drainAccesses();
  };
  const overLimit = () => full;

  const blockers = sim.powerOn();
  if (blockers.length > 0) {
    // The hardware cannot be built this way: nothing powers on (CONTRACT §4).
    io.stderr(`lab run: ${files[0]}: power on refused — the board cannot boot:\n`
      + blockers.map((d) => `  ${d.rule}${d.component ? ` (${d.component})` : ''}: ${d.message}\n`).join('')
      + 'Fix these in the board (lab check lists them), then run again.\n');
    return 1;
  }
  sim.settle(BOOT_BUDGET_MS);
  collect();
  let stoppedAt: ScriptStep | null = null;
  for (const step of script.steps) {
    if (step.kind === 'sleep') {
      // In slices, so a board that prints without end is stopped near the limit, not hours of output later.
      // Between slices only output is collected, so the engine may pass over idle checks up to the sleep's end.
      for (let left = step.ms; left > 0 && !overLimit(); left -= SLEEP_SLICE_MS) {
        sim.advance(Math.min(left, SLEEP_SLICE_MS), sim.now + left);
        collect();
      }
    } else {
      // As a person at that console: wait for its prompt (a command still running there, a boot,
      // a refresh on its way), type, and wait for the prompt again. The other consoles go on meanwhile.
      const g = sim.guests[step.vm];
      untilPrompt(sim, step.vm, COMMAND_BUDGET_MS);
      const note = (text: string) => {
        // On a line of its own, after the prompt the console shows.
        if (transcript[step.vm] !== '' && !transcript[step.vm].endsWith('\n')) text = `\n${text}`;
        transcript[step.vm] += text.replace(/\n/g, '\r\n');
        if (json) jsonLines.push(safeJson({ console: step.vm, text }));
      };
      if (!g.alive) {
        note(`[lab run] line ${step.lineNo}: '${excerpt(step.line)}' not typed: the ${g.name} is ${g.state}\n`);
      } else if (g.state === 'paused') {
        // Its CPUs do not run, so nothing reads the line yet: it waits in the console's input, and
        // the script goes on (a later line may resume the VM).
        collect();
        sim.exec(step.vm, step.line);
        note(`[lab run] line ${step.lineNo}: '${excerpt(step.line)}' typed while the ${g.name} is paused: it runs when the VM is resumed\n`);
      } else if (g.state === 'running' && g.isBusy) {
        // The line before never gave its prompt back (a hung service it waits for): this one waits
        // behind it in the console's input, and the transcript says so instead of dropping it unseen.
        sim.exec(step.vm, step.line);
        note(`[lab run] line ${step.lineNo}: '${excerpt(step.line)}' typed while the ${g.name} is still busy with the line before `
          + `(no prompt within ${COMMAND_BUDGET_MS / 60_000} simulated minutes): it waits in the console's input\n`);
      } else {
        sim.exec(step.vm, step.line);
        untilPrompt(sim, step.vm, COMMAND_BUDGET_MS, false);
        if (g.state === 'running' && g.isBusy) {
          note(`[lab run] line ${step.lineNo}: '${excerpt(step.line)}' gave no prompt back within ${COMMAND_BUDGET_MS / 60_000} simulated minutes: the script goes on\n`);
        }
      }
    }
    collect();
    if (overLimit()) {
      stoppedAt = step;
      break;
    }
  }
  // After the last line, what is under way (a refresh, a boot, a measurement due) runs to its end.
  if (!stoppedAt) {
    sim.settle(COMMAND_BUDGET_MS);
    collect();
    if (overLimit()) stoppedAt = script.steps[script.steps.length - 1] ?? null;
  }
  const status = full ? 2 : 0;
  const stopped = () => {
    if (!full) return;
    // The limit is checked between a sleep's one-minute slices, so the run stops up to a slice after the last output it keeps.
    const last = events.at(-1);
    io.stderr(`lab run: ${scriptPath}: ${stoppedAt ? `line ${stoppedAt.lineNo}: ` : ''}stopped at ${(sim.now / 1000).toFixed(3)}s of simulated time`
      + `${last ? ` (the last event printed is at ${(last.t / 1000).toFixed(3)}s)` : ''}: `
      + `the run printed more than ${MAX_RUN_OUTPUT_TEXT} characters, the limit of one run. The output up to here is `
      + 'above. Print less in one command (e.g. a part of a file), sleep less, or make the board quieter (e.g. a longer refresh period).\n');
  };

  if (json) {
    io.stdout(jsonLines.map((l) => l + '\n').join(''));
    stopped();
    return status;
  }
  const parts: string[] = [];
  for (const vm of VM_IDS) {
    parts.push(`=== console: ${vm} (${sim.guests[vm].name}) ===\n${visibleControls(renderTranscript(transcript[vm]), '\n\t').replace(/\n?$/, '\n')}`);
  }
  parts.push(`=== events (${events.length}) ===\n${events.map(formatEvent).join('\n')}${events.length ? '\n' : ''}`);
  io.stdout(parts.join('\n'));
  stopped();
  return status;
}

/**
 * Lets simulated time pass until `vm`'s console shows its prompt, at most `maxMs`: while a
 * command runs there or it boots, and — before typing (`waitForReturn`) — while it is down
 * with the VMM (or the SoC) still about to bring it back. Stops at once when nothing is due.
 */
export function untilPrompt(sim: Simulation, vm: VmId, maxMs: number, waitForReturn = true): void {
  const g = sim.guests[vm];
  const limit = sim.now + maxMs;
  const waiting = () => g.state === 'booting' || (g.state === 'running' && g.isBusy)
    || (waitForReturn && !g.alive && sim.busy());
  while (sim.now < limit && waiting()) {
    const t = sim.nextEventTime();
    if (t === null || t > limit) break;
    sim.advance(t - sim.now);
  }
}

/**
 * The part of `text` that fits in `room` characters: all of it, or up to the end of its last whole
 * line that fits (a line cut in two only when not even one fits).
 */
function keptOf(text: string, room: number): string {
  if (text.length <= room) return text;
  const cut = text.lastIndexOf('\n', room - 1);
  return cut >= 0 ? text.slice(0, cut + 1) : text.slice(0, Math.max(0, room));
}

function usage(io: CliIo, problem: string): number {
  io.stderr(`lab run: ${problem}\n\n${RUN_USAGE}`);
  return 2;
}

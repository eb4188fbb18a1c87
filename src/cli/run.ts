// `lab run <board.json> --script <file> [--seed N] [--json]` (CONTRACT §4):
// boots a board headless, runs a script of console commands on simulated
// time, and prints each console's transcript and the event log. Same board,
// script and seed ⇒ byte-identical output.

import { nodeIo, type CliIo } from './io.ts';
import { parseBoardFile } from '../model/boardFile.ts';
import { renderTranscript, Simulation, stripAnsi, VM_IDS } from '../sim/index.ts';
import type { SimEvent, VmId } from '../sim/index.ts';

export const RUN_USAGE = `Usage: lab run <board.json> --script <file> [--seed N] [--json]

Boots the board (system VM, application VM, real-time container) and runs a
script, one step a line:
  <vm>: <shell command>   type a command in a console (vm: system, app, rt)
  sleep <duration>        let simulated time pass: 500ms, 10s, 5m, 2h
  # comment               ignored, as are blank lines
Prints each console's transcript, then the event log.
  --seed N   seed of the simulation's random numbers (default 1)
  --json     one JSON object per line, in order of occurrence:
             {"t": <ms>, "type": "<event>", ...} or {"console": "<vm>", "text": "..."}
Exit status: 0 done, 1 the board cannot boot (its cannot-boot rules on stderr),
2 bad arguments, unreadable or refused file, or a bad script line.
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
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) continue;
    const sleep = /^sleep\s+(\S+)$/.exec(line);
    if (sleep) {
      const ms = parseDuration(sleep[1]);
      if (ms === null) return { ok: false, error: `line ${lineNo}: bad duration '${sleep[1]}' (use e.g. 500ms, 10s, 5m, 2h)` };
      steps.push({ kind: 'sleep', ms, lineNo });
      continue;
    }
    const cmd = /^([a-z]+)\s*:(.*)$/.exec(line);
    if (cmd && (VM_IDS as readonly string[]).includes(cmd[1])) {
      steps.push({ kind: 'command', vm: cmd[1] as VmId, line: cmd[2].trim(), lineNo });
      continue;
    }
    return { ok: false, error: `line ${lineNo}: expected '<vm>: <command>' (vm: system, app or rt), 'sleep <duration>' or '# comment', got: ${line}` };
  }
  return { ok: true, steps };
}

/** Console text as plain lines: no ANSI, "\n" endings, no stray control characters. */
export function plainText(text: string): string {
  return stripAnsi(text).replace(/\r/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

function formatEvent(e: SimEvent): string {
  const t = `${(e.t / 1000).toFixed(3)}s`.padStart(12);
  return `${t}  ${e.type.padEnd(16)} ${(e.vm ?? '-').padEnd(6)} ${e.message}`;
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
      scriptPath = a === '--script' ? args[++i] : a.slice('--script='.length);
      if (!scriptPath) return usage(io, '--script needs a file');
    } else if (a === '--seed' || a.startsWith('--seed=')) {
      const v = a === '--seed' ? args[++i] : a.slice('--seed='.length);
      if (v === undefined || !/^-?\d+$/.test(v)) return usage(io, `--seed needs an integer, got ${v ?? 'nothing'}`);
      seed = Number(v) >>> 0;
    } else if (a.startsWith('-') && a !== '-') return usage(io, `unknown option ${a}`);
    else files.push(a);
  }
  if (files.length !== 1) return usage(io, files.length === 0 ? 'which board file?' : 'one board file at a time');
  if (!scriptPath) return usage(io, '--script <file> is required');

  let boardText: string;
  let scriptText: string;
  try {
    boardText = io.readFile(files[0]);
  } catch (e) {
    io.stderr(`lab run: cannot read ${files[0]}: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    scriptText = io.readFile(scriptPath);
  } catch (e) {
    io.stderr(`lab run: cannot read ${scriptPath}: ${(e as Error).message}\n`);
    return 2;
  }
  const parsed = parseBoardFile(boardText);
  if (!parsed.ok) {
    io.stderr(`lab run: ${files[0]} refused: ${parsed.error}\n`);
    return 2;
  }
  const script = parseScript(scriptText);
  if (!script.ok) {
    io.stderr(`lab run: ${scriptPath}: ${script.error}\n`);
    return 2;
  }

  const sim = new Simulation(parsed.board, { seed });
  /** Raw terminal text per console; drawn (line edits applied) when printed. */
  const transcript: Record<VmId, string> = { system: '', app: '', rt: '' };
  const events: SimEvent[] = [];
  const jsonLines: string[] = [];
  const collect = () => {
    for (const item of sim.drainInOrder()) {
      if ('console' in item) {
        transcript[item.console.vm] += item.console.text;
        const text = plainText(item.console.text);
        if (json && text !== '') jsonLines.push(JSON.stringify({ console: item.console.vm, text }));
      } else {
        events.push(item.event);
        if (json) jsonLines.push(JSON.stringify(item.event));
      }
    }
    sim.drainAccesses();
  };

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
  for (const step of script.steps) {
    if (step.kind === 'sleep') {
      sim.advance(step.ms);
      sim.settle(COMMAND_BUDGET_MS);
    } else {
      const g = sim.guests[step.vm];
      if (!g.alive) {
        const note = `[lab run] line ${step.lineNo}: '${step.line}' not typed: the ${g.name} is ${g.state}\n`;
        transcript[step.vm] += note.replace(/\n/g, '\r\n');
        if (json) jsonLines.push(JSON.stringify({ console: step.vm, text: note }));
      } else {
        sim.exec(step.vm, step.line);
        sim.settle(COMMAND_BUDGET_MS);
      }
    }
    collect();
  }

  if (json) {
    io.stdout(jsonLines.map((l) => l + '\n').join(''));
    return 0;
  }
  const parts: string[] = [];
  for (const vm of VM_IDS) {
    parts.push(`=== console: ${vm} (${sim.guests[vm].name}) ===\n${renderTranscript(transcript[vm]).replace(/\n?$/, '\n')}`);
  }
  parts.push(`=== events (${events.length}) ===\n${events.map(formatEvent).join('\n')}${events.length ? '\n' : ''}`);
  io.stdout(parts.join('\n'));
  return 0;
}

function usage(io: CliIo, problem: string): number {
  io.stderr(`lab run: ${problem}\n\n${RUN_USAGE}`);
  return 2;
}

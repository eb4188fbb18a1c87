// The guest shell (CONTRACT §6): parses a command line and runs the command
// the registry has for it in one environment. Commands print with "\n"; the
// console gets "\r\n".

import { KINDS } from '../model/catalog.ts';
import type { Guest } from './guest.ts';
import type { Engine } from './engine.ts';
import { refuseExtra, type Shell } from './commands/context.ts';
import { commandFor, consolesWith } from './commands/registry.ts';
import { VM_NAMES } from './types.ts';
import { runWaitingForStorage } from './storage/wait.ts';

export type { Shell } from './commands/context.ts';

/** Splits a command line into words; single and double quotes group words. */
export function tokenize(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === ' ' || ch === '\t') {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
    }
  }
  if (has || cur) out.push(cur);
  return out;
}

/** What the shell does not run: pipes, lists and background jobs, outside quotes ('|', ';', '&'). */
function unquotedOperator(line: string): string | null {
  let quote: string | null = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '|' || ch === ';' || ch === '&') return ch;
  }
  return null;
}

export function runShellLine(sim: Engine, guest: Guest, line: string): void {
  const words = tokenize(line.trim());
  if (words.length === 0) return;
  // A lone '&' at the end asks for a background job, which run32 runs (CommandDef.background).
  const job = words.length > 1 && words.at(-1) === '&' && /\s&$/.test(line.trimEnd());
  const operator = unquotedOperator(job ? line.trimEnd().slice(0, -1) : line);
  const [name, ...args] = words;
  const sh: Shell = {
    sim, guest, vm: guest.id,
    print: (text) => guest.write(text.replace(/\n/g, '\r\n') + '\r\n'),
    error: (text) => guest.write(`\x1b[31m${text.replace(/\n/g, '\r\n')}\x1b[0m\r\n`),
  };
  // Run as one command, `ps | grep x` would print every process: the words after '|' taken as ps's.
  // Named as the console's shell process is in ps: sh in the Linux VMs, the RTOS's shell task.
  const shellName = guest.id === 'rt' ? 'shell' : 'sh';
  if (operator) return sh.error(`${shellName}: '${operator}' is not supported: this console runs one command per line (no pipes, ';' lists or '&' jobs) — type each command on its own`);
  const command = commandFor(guest.id, name);
  if (!command) {
    const elsewhere = consolesWith(name, guest.id).map((vm) => VM_NAMES[vm]);
    sh.error(elsewhere.length === 0 ? `${name}: command not found — type help`
      : `${name}: not in the ${guest.name} — it is a command of the ${elsewhere.join(' and the ')}; type it in the ${elsewhere.join(' or the ')} console`);
    return;
  }
  if (job && !command.background) return sh.error(`${shellName}: '&' is not supported for ${name}: in this console only a program started with run32 runs in the background — type the line without it`);
  if (command.operands !== undefined && refuseExtra(sh, name, args, command.operands, (command.helpIn?.[guest.id] ?? command).usage)) return;
  // A command that reads or writes /data while its block device gets no answer waits for it.
  runWaitingForStorage(sh, () => command.run(sh, args));
}

/** Describes a component for messages: "wifi0 (Wi-Fi)". */
export function describe(sim: Engine, id: string): string {
  const c = sim.component(id);
  return c ? `${id} (${KINDS[c.kind].name})` : id;
}

export { commandNames } from './commands/registry.ts';

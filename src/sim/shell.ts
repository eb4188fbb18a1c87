// The guest shell (CONTRACT §6): parses a command line and runs the command
// the registry has for it in one environment. Commands print with "\n"; the
// console gets "\r\n".

import { KINDS } from '../model/catalog.ts';
import type { Guest } from './guest.ts';
import type { Engine } from './engine.ts';
import { refuseExtra, type Shell } from './commands/context.ts';
import { commandFor, elsewhereText } from './commands/registry.ts';
import { runWaitingForStorage } from './storage/wait.ts';

export type { Shell } from './commands/context.ts';

/**
 * A command line's words (single and double quotes group words, and make what they hold text), the
 * first '|', ';' or '&' outside quotes (the shell runs no pipes, lists or jobs), and whether it ends
 * in a lone '&' outside quotes (a background job: not counted as the operator, nor kept as a word).
 */
function scan(line: string): { words: string[]; operator: string | null; job: boolean; open: string | null } {
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  /** Each '|', ';' and '&' typed outside quotes, with the number of the word it is in. */
  const operators: { ch: string; word: number }[] = [];
  const push = () => {
    if (has || cur) words.push(cur);
    cur = '';
    has = false;
  };
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (ch === ' ' || ch === '\t') {
      push();
    } else if (ch === '#' && cur === '' && !has) {
      break; // a comment, from a word that starts with '#' to the end of the line, as sh reads it
    } else {
      if (ch === '|' || ch === ';' || ch === '&') operators.push({ ch, word: words.length });
      cur += ch;
    }
  }
  push();
  const last = words.length - 1;
  const job = last > 0 && words[last] === '&' && operators.some((o) => o.word === last);
  if (job) words.pop();
  return { words, operator: operators.find((o) => !(job && o.word === last))?.ch ?? null, job, open: quote };
}

/** Splits a command line into words; single and double quotes group words. */
export function tokenize(line: string): string[] {
  return scan(line).words;
}

export function runShellLine(sim: Engine, guest: Guest, line: string): void {
  const { words, operator, job, open } = scan(line.trim());
  if (words.length === 0 && open === null) return;
  const [name, ...args] = words;
  const sh: Shell = {
    sim, guest, vm: guest.id, background: job,
    print: (text) => guest.write(text.replace(/\n/g, '\r\n') + '\r\n'),
    error: (text) => guest.write(`\x1b[31m${text.replace(/\n/g, '\r\n')}\x1b[0m\r\n`),
  };
  // Named as the console's shell process is in ps: sh in the Linux VMs, the RTOS's shell task.
  const shellName = guest.id === 'rt' ? 'shell' : 'sh';
  const runs32 = commandFor(guest.id, 'run32') !== undefined;
  // sh would read on, past the line, for the closing quote: a console line is one command, so the line is refused.
  if (open !== null) return sh.error(`${shellName}: unterminated quoted text: the ${open} opened in this line is not closed — close it, or quote the other way round (${open === '"' ? "'…\"…'" : '"…\'…"'})`);
  // Run as one command, `ps | grep x` would print every process: the words after '|' taken as ps's.
  if (operator) {
    return sh.error(`${shellName}: '${operator}' is not supported: this console runs one command per line (no pipes or ';' lists${runs32 ? ', and only run32 runs in the background' : ', no background jobs'}) — `
      + `type each command on its own, or quote a word that holds '${operator}' ('…') to pass it as text`);
  }
  const command = commandFor(guest.id, name);
  if (!command) return sh.error(elsewhereText(name, guest.id, `${name}: command not found — type help`));
  if (job && !command.background) {
    return sh.error(`${shellName}: '&' is not supported for ${name}: ${runs32 ? 'in this console only a program started with run32 runs in the background' : 'this console runs nothing in the background'} — type the line without it`);
  }
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

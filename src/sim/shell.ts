// The guest shell (CONTRACT §6): parses a command line and runs the command
// the registry has for it in one environment. Commands print with "\n"; the
// console gets "\r\n".

import { KINDS } from '../model/catalog.ts';
import type { Guest } from './guest.ts';
import type { Engine } from './engine.ts';
import type { Shell } from './commands/context.ts';
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

export function runShellLine(sim: Engine, guest: Guest, line: string): void {
  const words = tokenize(line.trim());
  if (words.length === 0) return;
  const [name, ...args] = words;
  const sh: Shell = {
    sim, guest, vm: guest.id,
    print: (text) => guest.write(text.replace(/\n/g, '\r\n') + '\r\n'),
    error: (text) => guest.write(`\x1b[31m${text.replace(/\n/g, '\r\n')}\x1b[0m\r\n`),
  };
  const command = commandFor(guest.id, name);
  if (!command) {
    const elsewhere = consolesWith(name, guest.id).map((vm) => VM_NAMES[vm]);
    sh.error(elsewhere.length === 0 ? `${name}: command not found — type help`
      : `${name}: not in the ${guest.name} — it is a command of the ${elsewhere.join(' and the ')}; type it in the ${elsewhere.join(' or the ')} console`);
    return;
  }
  // A command that reads or writes /data while its block device gets no answer waits for it.
  runWaitingForStorage(sh, () => command.run(sh, args));
}

/** Describes a component for messages: "wifi0 (Wi-Fi)". */
export function describe(sim: Engine, id: string): string {
  const c = sim.component(id);
  return c ? `${id} (${KINDS[c.kind].name})` : id;
}

export { commandNames } from './commands/registry.ts';

// Every shell command (CONTRACT §6) as one registry of plain objects: its
// name, the consoles that have it, usage, help and `run`. Each `run` is a thin
// adapter over a mechanism that is tested on its own (the bus, DMA, attacks,
// the network, the VMM, updates, the supervisor).

import type { CommandDef, Shell } from './context.ts';
import type { VmId } from '../types.ts';
import { VM_IDS, VM_NAMES } from '../types.ts';
import { BUILTINS } from './builtins.ts';
import { TRACE } from './trace.ts';
import { APP_TIMING, UPDATE_USAGE, updateCommand } from './update.ts';
import { peekCommand, pokeCommand } from '../busCommands.ts';
import { DMA_USAGE, dmaCommand } from '../dma.ts';
import { attackCommand, attackUsage } from '../attacks.ts';
import { ifconfigCommand, pingCommand } from '../netCommands.ts';
import { NET_COMMANDS, NET_CURL } from '../net/commands.ts';
import { VMM_USAGE, vmmCommand } from '../vmmCommand.ts';
import { APP_COMMANDS } from './apps.ts';
import { RUN32 } from './run32.ts';
import { STORAGE_COMMANDS } from '../storage/commands.ts';

const cmd = (name: string, where: CommandDef['where'], usage: string, help: string, run: (sh: Shell, args: string[]) => void,
  helpIn?: CommandDef['helpIn'], operands?: number): CommandDef => ({ name, where, usage, help, run, ...(helpIn ? { helpIn } : {}), ...(operands === undefined ? {} : { operands }) });

/** The widest help line: a console can be 64 columns wide, and a line wider than it wraps mid-word. */
export const HELP_WIDTH = 60;

/** `text` in lines of at most `width` columns, broken between words, each line after `indent`. */
function wrap(text: string, indent: string, width = HELP_WIDTH): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, indent + line];
}

/** A usage's forms: split at " | " outside <…> and […] (`stop <app | app-id>` is one form). */
function formsOf(usage: string): string[] {
  const forms = [''];
  const open: string[] = [];
  for (let i = 0; i < usage.length; i++) {
    const ch = usage[i]!;
    if (ch === '<' || ch === '[') open.push(ch);
    else if ((ch === '>' && open.at(-1) === '<') || (ch === ']' && open.at(-1) === '[')) open.pop();
    if (open.length === 0 && usage.startsWith(' | ', i)) {
      forms.push('');
      i += 2;
    } else forms[forms.length - 1] += ch;
  }
  return forms;
}

/** A command's entry in this console's help: on one line when it fits, else each form on its own line and the description under them. */
export function helpRows(c: CommandDef, vm: VmId): string[] {
  const { usage, help } = c.helpIn?.[vm] ?? c;
  const one = `  ${usage} — ${help}`;
  if (one.length <= HELP_WIDTH) return [one];
  return [...formsOf(usage).flatMap((form) => wrap(form, '  ')), ...wrap(help, '      ')];
}

const HELP: CommandDef = {
  name: 'help', where: 'all', usage: 'help [command]', help: 'this list, or one command\'s forms', operands: 1,
  run: (sh, [name]) => {
    if (name === undefined) return sh.print([`${sh.guest.name} — commands:`, ...commandsOf(sh.vm).flatMap((c) => helpRows(c, sh.vm))].join('\n'));
    const c = commandFor(sh.vm, name);
    if (c) return sh.print(helpRows(c, sh.vm).join('\n'));
    sh.error(`help: ${elsewhereText(name, sh.vm, `no command '${name}' — help lists the ${sh.guest.name}'s`)}`);
  },
};

export const COMMANDS: readonly CommandDef[] = [
  HELP,
  ...BUILTINS,
  cmd('peek', 'all', 'peek <target> [offset]', 'CPU read of a component, app-ram, system-ram, rt-ram, mailbox or 0xADDRESS', peekCommand, undefined, 2),
  cmd('poke', 'all', 'poke <target> <value> [offset]', 'CPU write along the bus: through stage-2 where the core has it, then the firewall', pokeCommand, undefined, 3),
  cmd('dma', 'all', DMA_USAGE, 'this environment\'s DMA engines and bus-master peripherals, or a transfer programmed on one', dmaCommand),
  // Each console's forms come from the attack table, which also refuses the others (attacks.ts).
  cmd('attack', 'all', attackUsage(), 'run a built-in attack', attackCommand,
    Object.fromEntries(VM_IDS.map((vm) => [vm, { usage: attackUsage(vm), help: 'run a built-in attack' }]))),
  TRACE,
  cmd('vmm', ['system'], VMM_USAGE, 'the virtual machine manager', vmmCommand),
  cmd('update', ['system', 'app'], UPDATE_USAGE,
    'install signed image fragments, or roll back; timing: restarts held at the application VM\'s request', updateCommand, {
      app: { usage: APP_TIMING, help: 'ask updated in the system VM to hold restarts into an applied update' },
    }),
  cmd('ifconfig', ['app'], 'ifconfig', 'network interfaces and the path they take', ifconfigCommand, undefined, 0),
  cmd('ping', ['app'], 'ping <host>', 'reach a host (through networkd when paravirtualized)', pingCommand, undefined, 1),
  NET_CURL,
  ...NET_COMMANDS,
  ...APP_COMMANDS,
  RUN32,
  ...STORAGE_COMMANDS,
];

const BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

const has = (c: CommandDef, vm: VmId) => c.where === 'all' || c.where.includes(vm);

/** The commands a console has, by name. */
export function commandsOf(vm: VmId): CommandDef[] {
  return COMMANDS.filter((c) => has(c, vm)).sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function commandNames(vm: VmId): string[] {
  return commandsOf(vm).map((c) => c.name);
}

/** The command `name` in this console, or undefined when it has none by that name. */
export function commandFor(vm: VmId, name: string): CommandDef | undefined {
  const c = BY_NAME.get(name);
  return c && has(c, vm) ? c : undefined;
}

/**
 * Where a command typed in the wrong console is: "vmm: not in the Application VM — it is a command of
 * the System VM; type it in the System VM console", or `unknown` when no console has it.
 */
export function elsewhereText(name: string, vm: VmId, unknown: string): string {
  const elsewhere = consolesWith(name, vm).map((v) => VM_NAMES[v]);
  return elsewhere.length === 0 ? unknown
    : `${name}: not in the ${VM_NAMES[vm]} — it is a command of the ${elsewhere.join(' and the ')}; type it in the ${elsewhere.join(' or the ')} console`;
}

/** The other consoles that have the command `name` (none when no console has it). */
export function consolesWith(name: string, except: VmId): VmId[] {
  const c = BY_NAME.get(name);
  if (!c) return [];
  return (['system', 'app', 'rt'] as const).filter((vm) => vm !== except && has(c, vm));
}

// Every shell command (CONTRACT §6) as one registry of plain objects: its
// name, the consoles that have it, usage, help and `run`. Each `run` is a thin
// adapter over a mechanism that is tested on its own (the bus, DMA, attacks,
// the network, the VMM, updates, the supervisor).

import type { CommandDef, Shell } from './context.ts';
import type { VmId } from '../types.ts';
import { BUILTINS } from './builtins.ts';
import { TRACE } from './trace.ts';
import { updateCommand } from './update.ts';
import { peekCommand, pokeCommand } from '../busCommands.ts';
import { dmaCommand } from '../dma.ts';
import { attackCommand } from '../attacks.ts';
import { ifconfigCommand, pingCommand } from '../netCommands.ts';
import { NET_COMMANDS, NET_CURL } from '../net/commands.ts';
import { vmmCommand } from '../vmmCommand.ts';
import { APP_COMMANDS } from './apps.ts';
import { RUN32 } from './run32.ts';
import { STORAGE_COMMANDS } from '../storage/commands.ts';

const cmd = (name: string, where: CommandDef['where'], usage: string, help: string, run: (sh: Shell, args: string[]) => void): CommandDef =>
  ({ name, where, usage, help, run });

const HELP: CommandDef = {
  name: 'help', where: 'all', usage: 'help', help: 'this list',
  run: (sh) => {
    const rows = commandsOf(sh.vm).map((c) => `  ${c.name.padEnd(9)} ${c.name === 'help' ? c.help : `${c.usage} — ${c.help}`}`);
    sh.print(`${sh.guest.name} — commands:\n${rows.join('\n')}`);
  },
};

export const COMMANDS: readonly CommandDef[] = [
  HELP,
  ...BUILTINS,
  cmd('peek', 'all', 'peek <target> [offset]', 'CPU read of a component, app-ram, system-ram, rt-ram, mailbox or 0xADDRESS', peekCommand),
  cmd('poke', 'all', 'poke <target> <value> [offset]', 'CPU write, along the bus (stage-2, firewall)', pokeCommand),
  cmd('dma', 'all', 'dma <master-id> copy <src> <dst> <bytes>', 'program a transfer by a DMA engine or a bus-master peripheral', dmaCommand),
  cmd('attack', 'all', 'attack dma-escape [<master-id>]|malware|crash|hang|oom', 'run a built-in attack', attackCommand),
  TRACE,
  cmd('vmm', ['system'], 'vmm list | vmm refresh|stop|start|pause|resume <vm> | vmm verify app | vmm quarantine list|restore <name>', 'the virtual machine manager', vmmCommand),
  cmd('update', ['system', 'app'], 'update list | update apply <bundle> | update rollback [system|app] | update timing [hold <minutes>|release]', 'install signed image fragments, or roll back; in the application VM, ask updated when restarts may happen', updateCommand),
  cmd('ifconfig', ['app'], 'ifconfig', 'network interfaces and the path they take', ifconfigCommand),
  cmd('ping', ['app'], 'ping <host>', 'reach a host (through networkd when paravirtualized)', pingCommand),
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

/** The other consoles that have the command `name` (none when no console has it). */
export function consolesWith(name: string, except: VmId): VmId[] {
  const c = BY_NAME.get(name);
  if (!c) return [];
  return (['system', 'app', 'rt'] as const).filter((vm) => vm !== except && has(c, vm));
}

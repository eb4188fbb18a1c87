// The guest shell (CONTRACT §6): parses a command line and runs it in one
// environment. Commands print with "\n"; the console gets "\r\n".

import { KINDS } from '../model/catalog.ts';
import type { VmId } from './types.ts';
import type { Guest } from './guest.ts';
import type { Simulation } from './simulation.ts';
import { GuestFs } from './fs.ts';
import { devicesOf } from './devices.ts';
import { peekCommand, pokeCommand } from './busCommands.ts';
import { dmaCommand } from './dma.ts';
import { attackCommand } from './attacks.ts';
import { curlCommand, ifconfigCommand, pingCommand } from './netCommands.ts';
import { vmmCommand } from './vmmCommand.ts';
import { updateCommand } from './updates.ts';
import { launchCommand } from './supervisor.ts';
import { run32Command } from './kernelEmulator.ts';

export interface Shell {
  sim: Simulation;
  guest: Guest;
  vm: VmId;
  /** Prints text (lines joined by "\n"; a trailing newline is added). */
  print(text: string): void;
  error(text: string): void;
}

type Command = (sh: Shell, args: string[]) => void;

const HELP: Record<string, string> = {
  help: 'this list',
  ls: 'ls [path] — list a directory',
  cat: 'cat <file> — print a file',
  echo: 'echo <text> [> file | >> file] — print or write text',
  cd: 'cd <dir> — change directory',
  pwd: 'pwd — print the working directory',
  ps: 'ps — running processes',
  uname: 'uname -a — the kernel this environment runs',
  free: 'free — memory of this environment',
  dmesg: 'dmesg — the boot log',
  reboot: 'reboot — restart this environment',
  lsdev: 'lsdev — devices this environment can use (direct or paravirtual)',
  peek: 'peek <target> [offset] — CPU read of a component, app-ram, system-ram, rt-ram, mailbox or 0xADDRESS',
  poke: 'poke <target> <value> [offset] — CPU write, through the firewall',
  dma: 'dma <dma-id> copy <src> <dst> <bytes> — program a DMA transfer',
  attack: 'attack dma-escape|malware|crash|hang|oom — run a built-in attack',
  clear: 'clear — clear the screen',
  vmm: 'vmm list | vmm refresh|stop|start|pause|resume <vm> — the virtual machine manager',
  ifconfig: 'ifconfig — network interfaces and the path they take',
  ping: 'ping <host> — reach a host (through networkd when paravirtualized)',
  curl: 'curl <host> — fetch from a host',
  update: 'update list | update apply <bundle> — install signed image fragments',
  launch: 'launch <app> [<app> …] — start apps through the supervisor',
  run32: 'run32 <program> — run a 32-bit program through the kernel-call emulator',
};

const COMMON = ['help', 'ls', 'cat', 'echo', 'cd', 'pwd', 'ps', 'uname', 'free', 'dmesg', 'reboot', 'lsdev', 'peek', 'poke', 'dma', 'attack', 'clear'];
const EXTRA: Record<VmId, string[]> = { system: ['vmm', 'update'], app: ['ifconfig', 'ping', 'curl', 'launch', 'run32'], rt: [] };

export function commandNames(vm: VmId): string[] {
  return [...COMMON, ...EXTRA[vm]].sort();
}

const COMMANDS: Record<string, Command> = {
  help: (sh) => {
    const names = commandNames(sh.vm);
    sh.print(`${sh.guest.name} — commands:\n` + names.map((n) => `  ${n.padEnd(9)} ${HELP[n]}`).join('\n'));
  },
  ls: (sh, args) => {
    const paths = args.filter((a) => !a.startsWith('-'));
    const targets = paths.length ? paths : ['.'];
    for (const p of targets) {
      const path = GuestFs.normalize(sh.guest.cwd, p);
      if (sh.guest.fs.read(path) !== undefined) sh.print(p);
      else if (sh.guest.fs.isDir(path)) {
        const entries = sh.guest.fs.list(path).filter((e) => !e.startsWith('.'));
        if (targets.length > 1) sh.print(`${p}:`);
        if (entries.length) sh.print(entries.join('  '));
      } else sh.error(`ls: cannot access '${p}': No such file or directory`);
    }
  },
  cat: (sh, args) => {
    if (args.length === 0) return sh.error('cat: missing file operand');
    for (const p of args) {
      const path = GuestFs.normalize(sh.guest.cwd, p);
      const text = sh.guest.fs.read(path);
      if (text !== undefined) {
        if (text !== '') sh.guest.write(text.replace(/\n/g, '\r\n'));
      } else if (sh.guest.fs.isDir(path)) sh.error(`cat: ${p}: Is a directory`);
      else sh.error(`cat: ${p}: No such file or directory`);
    }
  },
  echo: (sh, args) => {
    let redirect: { append: boolean; path: string } | null = null;
    const words: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const m = /^(>>?)(.*)$/.exec(a);
      if (m && !redirect) {
        const path = m[2] || args[++i];
        if (!path) return sh.error('echo: syntax error: missing file after ' + m[1]);
        redirect = { append: m[1] === '>>', path };
      } else words.push(a);
    }
    const text = words.join(' ') + '\n';
    if (!redirect) return sh.print(words.join(' '));
    const path = GuestFs.normalize(sh.guest.cwd, redirect.path);
    if (sh.guest.fs.isDir(path)) return sh.error(`echo: ${redirect.path}: Is a directory`);
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (!sh.guest.fs.isDir(parent)) return sh.error(`echo: ${redirect.path}: No such file or directory`);
    const before = redirect.append ? sh.guest.fs.read(path) ?? '' : '';
    sh.guest.fs.write(path, before + text);
  },
  cd: (sh, args) => {
    const target = GuestFs.normalize(sh.guest.cwd, args[0] ?? (sh.vm === 'rt' ? '/' : '/root'));
    if (!sh.guest.fs.isDir(target)) return sh.error(`cd: ${args[0]}: No such directory`);
    sh.guest.cwd = target;
  },
  pwd: (sh) => sh.print(sh.guest.cwd),
  ps: (sh) => {
    const rows = sh.guest.processes.map((p) => `${String(p.pid).padStart(5)}  ${String(p.rssKiB).padStart(7)}  ${p.name}`);
    sh.print(`  PID  RSS(KiB)  CMD\n${rows.join('\n')}`);
  },
  uname: (sh, args) => {
    const full = sh.sim.uname(sh.vm);
    sh.print(args.includes('-a') ? full : full.split(' ')[0]);
  },
  free: (sh) => {
    const total = sh.sim.memoryOf(sh.vm) * 1024;
    const used = Math.min(total, sh.guest.processes.reduce((s, p) => s + p.rssKiB, 0) + (sh.vm === 'rt' ? 16 : Math.floor(total / 8)));
    sh.print(`         total(KiB)  used(KiB)  free(KiB)\nMem:     ${String(total).padStart(10)} ${String(used).padStart(10)} ${String(total - used).padStart(10)}`);
  },
  dmesg: (sh) => sh.print(sh.guest.dmesg.join('\n')),
  reboot: (sh) => {
    sh.print('Rebooting...');
    const vm = sh.vm;
    sh.guest.after(100, () => sh.sim.rebootVm(vm));
  },
  lsdev: (sh) => {
    const devs = devicesOf(sh.sim.board, sh.vm);
    if (devs.length === 0) return sh.print(`no devices: nothing on this board is assigned to the ${sh.guest.name}`);
    sh.print(devs.map((d) => `${d.id} ${d.kind} ${d.access}`).join('\n'));
  },
  peek: peekCommand,
  poke: pokeCommand,
  dma: dmaCommand,
  attack: attackCommand,
  clear: (sh) => sh.guest.write('\x1b[2J\x1b[H'),
  vmm: vmmCommand,
  ifconfig: ifconfigCommand,
  ping: pingCommand,
  curl: curlCommand,
  update: updateCommand,
  launch: launchCommand,
  run32: run32Command,
};

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

export function runShellLine(sim: Simulation, guest: Guest, line: string): void {
  const words = tokenize(line.trim());
  if (words.length === 0) return;
  const [name, ...args] = words;
  const sh: Shell = {
    sim, guest, vm: guest.id,
    print: (text) => guest.write(text.replace(/\n/g, '\r\n') + '\r\n'),
    error: (text) => guest.write(`\x1b[31m${text.replace(/\n/g, '\r\n')}\x1b[0m\r\n`),
  };
  if (!commandNames(guest.id).includes(name)) {
    sh.error(`${name}: command not found — type help`);
    return;
  }
  COMMANDS[name](sh, args);
}

/** Describes a component for messages: "wifi0 (Wi-Fi)". */
export function describe(sim: Simulation, id: string): string {
  const c = sim.component(id);
  return c ? `${id} (${KINDS[c.kind].name})` : id;
}

// The commands every console has that need no mechanism of their own: files,
// processes, the kernel's identity, the screen.

import { notTaken, refuseExtra, type CommandDef, type Shell } from './context.ts';
import { normalizePath } from '../fs.ts';
import { devicesOf } from '../devices.ts';
import { appFree, appPs } from './apps.ts';

/**
 * Looks up every operand before a command changes anything: one in /data while storaged does not
 * answer blocks the command there (storage/wait.ts runs it again later), with nothing done yet.
 */
const lookUpAll = (sh: Shell, paths: string[]) => paths.forEach((p) => sh.guest.fs.isDir(p));

/** A file system's "<path>: <reason>", without the path a message already names. */
const why = (failed: string, path: string) => (failed.startsWith(`${path}: `) ? failed.slice(path.length + 2) : failed);

export const BUILTINS: CommandDef[] = [
  {
    name: 'ls', where: 'all', usage: 'ls [path]', help: 'list a directory',
    run: (sh, args) => {
      // Names only: the files keep no modes, owners or times to show in a long listing, so options are refused, not ignored.
      const option = args.find((a) => a.startsWith('-') && a !== '-');
      if (option) return sh.error(`ls: option '${option}' is not supported: this ls lists names only (ls [path]); cat <file> prints a file, df shows sizes`);
      const targets = args.length ? args : ['.'];
      for (const p of targets) {
        const path = normalizePath(sh.guest.cwd, p);
        if (sh.guest.fs.read(path) !== undefined) sh.print(p);
        else if (sh.guest.fs.isDir(path)) {
          const entries = sh.guest.fs.list(path).filter((e) => !e.startsWith('.'));
          if (targets.length > 1) sh.print(`${p}:`);
          if (entries.length) sh.print(entries.join('  '));
        } else sh.error(`ls: cannot access '${p}': No such file or directory`);
      }
    },
  },
  {
    name: 'cat', where: 'all', usage: 'cat <file>…', help: 'print files',
    run: (sh, args) => {
      const option = args.find((a) => a.length > 1 && a.startsWith('-'));
      if (option) return sh.error(`cat: option '${option}' is not supported — cat <file>… prints files as they are`);
      if (args.length === 0) return sh.error('cat: missing file operand');
      for (const p of args) {
        const path = normalizePath(sh.guest.cwd, p);
        const text = sh.guest.fs.read(path);
        if (text !== undefined) {
          if (text !== '') sh.guest.write(text.replace(/\n/g, '\r\n'));
        } else if (sh.guest.fs.isDir(path)) sh.error(`cat: ${p}: Is a directory`);
        else sh.error(`cat: ${p}: No such file or directory`);
      }
    },
  },
  {
    name: 'echo', where: 'all', usage: 'echo <text> [> file | >> file]', help: 'print or write text',
    run: (sh, args) => {
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
      const path = normalizePath(sh.guest.cwd, redirect.path);
      if (sh.guest.fs.isDir(path)) return sh.error(`echo: ${redirect.path}: Is a directory`);
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      if (!sh.guest.fs.isDir(parent)) return sh.error(`echo: ${redirect.path}: No such file or directory`);
      const before = redirect.append ? sh.guest.fs.read(path) ?? '' : '';
      const failed = sh.guest.fs.write(path, before + text);
      if (failed) sh.error(`echo: ${failed}`);
    },
  },
  {
    name: 'mkdir', where: ['system', 'app'], usage: 'mkdir [-p] <dir>…', help: 'make directories (-p: their parents too, and one that exists is no error)',
    run: (sh, args) => {
      const option = args.find((a) => a.startsWith('-') && a !== '-p' && a !== '--parents');
      if (option) return sh.error(`mkdir: option '${option}' is not supported — mkdir [-p] <dir>…`);
      const parents = args.length > args.filter((a) => !a.startsWith('-')).length;
      const dirs = args.filter((a) => !a.startsWith('-'));
      if (dirs.length === 0) return sh.error('mkdir: missing operand — mkdir [-p] <dir>…');
      const fs = sh.guest.fs;
      lookUpAll(sh, dirs.map((d) => normalizePath(sh.guest.cwd, d)));
      for (const d of dirs) {
        const path = normalizePath(sh.guest.cwd, d);
        // Each directory on the way, from the root: with -p every missing one is made, without it only the last.
        const chain = path.split('/').slice(1).map((_, i, parts) => '/' + parts.slice(0, i + 1).join('/'));
        const file = chain.find((p) => fs.read(p) !== undefined);
        if (file === path) sh.error(`mkdir: cannot create directory '${d}': File exists`);
        else if (file) sh.error(`mkdir: cannot create directory '${d}': Not a directory (${file} is a file)`);
        else if (fs.isDir(path)) {
          if (!parents) sh.error(`mkdir: cannot create directory '${d}': File exists`);
        } else {
          const missing = chain.filter((p) => !fs.isDir(p));
          if (missing.length > 1 && !parents) {
            sh.error(`mkdir: cannot create directory '${d}': No such file or directory (mkdir -p makes ${missing[0]} too)`);
            continue;
          }
          for (const p of missing) {
            const failed = fs.mkdir!(p);
            if (failed) {
              sh.error(`mkdir: cannot create directory '${d}': ${why(failed, p)}`);
              break;
            }
          }
        }
      }
    },
  },
  {
    name: 'rm', where: ['system', 'app'], usage: 'rm [-f] <file>…', help: 'remove files (-f: a missing one is no error)',
    run: (sh, args) => {
      const option = args.find((a) => a.startsWith('-') && a !== '-f' && a !== '--force');
      if (option) return sh.error(`rm: option '${option}' is not supported — rm [-f] <file>… removes files, rmdir <dir> an empty directory`);
      const force = args.length > args.filter((a) => !a.startsWith('-')).length;
      const files = args.filter((a) => !a.startsWith('-'));
      if (files.length === 0 && !force) return sh.error('rm: missing operand — rm [-f] <file>…');
      lookUpAll(sh, files.map((f) => normalizePath(sh.guest.cwd, f)));
      for (const f of files) {
        const path = normalizePath(sh.guest.cwd, f);
        if (sh.guest.fs.read(path) === undefined) {
          if (sh.guest.fs.isDir(path)) sh.error(`rm: cannot remove '${f}': Is a directory (rmdir removes an empty one)`);
          else if (!force) sh.error(`rm: cannot remove '${f}': No such file or directory`);
          continue;
        }
        const failed = sh.guest.fs.remove!(path);
        if (failed) sh.error(`rm: cannot remove '${f}': ${why(failed, path)}`);
      }
    },
  },
  {
    name: 'rmdir', where: ['system', 'app'], usage: 'rmdir <dir>…', help: 'remove empty directories',
    run: (sh, args) => {
      const option = args.find((a) => a.length > 1 && a.startsWith('-'));
      if (option) return sh.error(`rmdir: option '${option}' is not supported — rmdir <dir>…, each an empty directory`);
      if (args.length === 0) return sh.error('rmdir: missing operand — rmdir <dir>…');
      lookUpAll(sh, args.map((d) => normalizePath(sh.guest.cwd, d)));
      for (const d of args) {
        const path = normalizePath(sh.guest.cwd, d);
        const fs = sh.guest.fs;
        if (path === '/' || path === '/dev' || path === '/data') sh.error(`rmdir: failed to remove '${d}': Device or resource busy (a file system is mounted there)`);
        else if (fs.read(path) !== undefined) sh.error(`rmdir: failed to remove '${d}': Not a directory`);
        else if (!fs.isDir(path)) sh.error(`rmdir: failed to remove '${d}': No such file or directory`);
        else if (fs.list(path).length) sh.error(`rmdir: failed to remove '${d}': Directory not empty`);
        else {
          const failed = fs.remove!(path, true);
          if (failed) sh.error(`rmdir: failed to remove '${d}': ${why(failed, path)}`);
        }
      }
    },
  },
  {
    name: 'cd', where: 'all', usage: 'cd <dir>', help: 'change directory', operands: 1,
    run: (sh, args) => {
      const target = normalizePath(sh.guest.cwd, args[0] ?? (sh.vm === 'rt' ? '/' : '/root'));
      if (!sh.guest.fs.isDir(target)) return sh.error(`cd: ${args[0]}: No such directory`);
      sh.guest.cwd = target;
    },
  },
  {
    name: 'pwd', where: 'all', usage: 'pwd', help: 'print the working directory', operands: 0,
    run: (sh) => sh.print(sh.guest.cwd),
  },
  {
    name: 'ps', where: 'all', usage: 'ps', help: 'running processes',
    helpIn: { app: { usage: 'ps | ps --ns <container>', help: 'running processes: the supervisor\'s table with both PID views, or as one container sees them' } },
    run: (sh, args) => {
      if (sh.vm === 'app') return appPs(sh, args);
      if (refuseExtra(sh, 'ps', args, 0, 'ps')) return;
      const rows = sh.guest.processes.map((p) => `${String(p.pid).padStart(5)}  ${String(p.rssKiB).padStart(7)}  ${p.name}`);
      sh.print(`  PID  RSS(KiB)  CMD\n${rows.join('\n')}`);
    },
  },
  {
    name: 'uname', where: 'all', usage: 'uname [-asnrvmo]', help: 'the kernel this environment runs',
    run: (sh, args) => {
      // uname(1): each letter picks a field of uname(2); they print in this order, -s when none is given.
      const u = sh.sim.utsname(sh.vm);
      const fields: [string, string][] = [['s', u.sysname], ['n', u.nodename], ['r', u.release], ['v', u.version], ['m', u.machine], ['o', u.os]];
      // GNU uname's long options.
      const long: Record<string, string> = { '--all': 'a', '--kernel-name': 's', '--nodename': 'n', '--kernel-release': 'r',
        '--kernel-version': 'v', '--machine': 'm', '--operating-system': 'o' };
      const picked = new Set<string>();
      let all = false;
      for (const a of args) {
        const letters = Object.hasOwn(long, a) ? long[a]! : (/^-[a-z]+$/i.test(a) ? a.slice(1) : null);
        if (letters === null) {
          return sh.error(a.startsWith('--') ? `uname: unrecognized option '${a}' — use --all, --kernel-name, --nodename, --kernel-release, --kernel-version, --machine or --operating-system`
            : `uname: extra operand '${a}' — uname takes only options: -a, -s, -n, -r, -v, -m, -o`);
        }
        for (const ch of letters) {
          if (ch === 'a') all = true;
          else if (fields.some(([k]) => k === ch)) picked.add(ch);
          else return sh.error(`uname: invalid option -- '${ch}' — use -a (all), -s (kernel name), -n (node name), -r (release), -v (version), -m (machine) or -o (operating system)`);
        }
      }
      // -a is uname -a's own line; letters asked for one by one print every field they name, -o included.
      if (all && !picked.has('o')) return sh.print(sh.sim.uname(sh.vm));
      if (all) fields.forEach(([k]) => picked.add(k));
      if (picked.size === 0) picked.add('s');
      sh.print(fields.filter(([k]) => picked.has(k)).map(([, v]) => v).join(' '));
    },
  },
  {
    name: 'free', where: 'all', usage: 'free [-k|-m]', help: 'this environment\'s memory in KiB, or in MiB with -m',
    helpIn: { app: { usage: 'free [-k|-m]', help: 'this VM\'s memory in KiB, or in MiB with -m, and each container\'s charge against its limit' } },
    run: (sh, args) => {
      const bad = args.find((a) => !['-k', '-m', '--kibi', '--mebi'].includes(a));
      // procps free's other options (bytes, GiB, human-readable, totals, wide, repeat…) are not modelled; anything else is no option of free's.
      const procps = /^-[bghltwsc]$/.test(bad ?? '') || /^--(bytes|gibi|tebi|pebi|kilo|mega|giga|tera|peta|human|si|lohi|total|wide|seconds|count)$/.test(bad ?? '');
      if (bad) {
        return sh.error(`free: ${procps ? `option '${bad}' is not supported` : notTaken(bad)}`
          + ' — free -k (KiB, the default) or free -m (MiB)');
      }
      const unit = args.some((a) => a === '-m' || a === '--mebi') && !['-k', '--kibi'].includes(args[args.length - 1]!) ? 'MiB' : 'KiB';
      if (sh.vm === 'app') return appFree(sh, unit);
      // Total: MemTotal, the VM's RAM less what its kernel reserved at boot.
      const total = sh.sim.memTotalKiB(sh.vm);
      // Used: the kernel's run-time memory and every process's resident memory, as ps shows it.
      const used = total - sh.sim.freeKiB(sh.vm);
      const n = (kib: number) => String(unit === 'MiB' ? Math.floor(kib / 1024) : kib).padStart(10);
      sh.print(`         total(${unit})  used(${unit})  free(${unit})\nMem:     ${n(total)} ${n(used)} ${n(total - used)}`);
    },
  },
  {
    name: 'dmesg', where: 'all', usage: 'dmesg', help: 'the boot log', operands: 0,
    run: (sh) => sh.print(sh.guest.dmesg.join('\n')),
  },
  {
    name: 'reboot', where: 'all', usage: 'reboot', help: 'restart this environment', operands: 0,
    run: (sh) => {
      sh.print('Rebooting...');
      const vm = sh.vm;
      sh.guest.after(100, () => sh.sim.rebootVm(vm));
    },
  },
  {
    name: 'lsdev', where: 'all', usage: 'lsdev', help: 'devices this environment can use (direct or paravirtual)', operands: 0,
    run: (sh) => {
      const devs = devicesOf(sh.sim.board, sh.vm);
      if (devs.length === 0) return sh.print(`no devices: nothing on this board is assigned to the ${sh.guest.name}`);
      sh.print(devs.map((d) => `${d.id} ${d.kind} ${d.access}`).join('\n'));
    },
  },
  {
    name: 'mount', where: ['system', 'app'], usage: 'mount', help: 'the mounted file systems: the verified root volume, its overlay', operands: 0,
    helpIn: { app: { usage: 'mount', help: 'the mounted file systems: the verified root volume, its overlay, /data' } },
    run: (sh) => {
      const root = sh.sim.rootFs(sh.vm);
      if (!root) return sh.error('mount: no root file system is mounted');
      sh.print([...root.mounts(), 'devtmpfs on /dev type devtmpfs (rw,nosuid)'].join('\n'));
    },
  },
  {
    name: 'df', where: ['system', 'app'], usage: 'df', help: 'space used and free on each file system', operands: 0,
    run: (sh) => {
      const root = sh.sim.rootFs(sh.vm);
      if (!root) return sh.error('df: no root file system is mounted');
      sh.print(root.df().join('\n'));
    },
  },
  {
    name: 'clear', where: 'all', usage: 'clear', help: 'clear the screen', operands: 0,
    run: (sh) => sh.guest.write('\x1b[2J\x1b[H'),
  },
];

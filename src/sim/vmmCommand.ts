// `vmm` in the system VM: the virtual machine manager's console.

import { refuseExtra, type Shell } from './commands/context.ts';
import { pauseHow, type VmId } from './types.ts';
import { cpuIsolationText, profile } from '../model/profiles.ts';
import { refreshPolicyOf } from '../model/board.ts';
import { parsePart } from './fragments/index.ts';

const VMS: Record<string, VmId> = { system: 'system', app: 'app', rt: 'rt' };

function uptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m${String(s % 60).padStart(2, '0')}s`;
}

/** vmm's forms (help shows them: registry.ts). */
export const VMM_USAGE = 'vmm list | vmm refresh|stop|start|pause|resume <vm> | vmm refresh app --part kernel|driver:<id>|app:<name> | vmm verify app | vmm quarantine list|restore <name>';

/**
 * The operands each form of vmm takes, the subcommand counted: checked before it acts, so that
 * `vmm refresh app --parts kernel` does not refresh the whole VM (`--part <part>` is taken out first).
 */
function refused(sh: Shell, args: string[]): boolean {
  const [sub, which] = args;
  const part = sub === 'refresh' ? args.indexOf('--part') : -1;
  const rest = part >= 0 ? [...args.slice(0, part), ...args.slice(part + 2)] : args;
  const max = sub === 'list' || sub === undefined ? 1 : sub === 'quarantine' ? (which === 'restore' ? 3 : 2) : 2;
  return refuseExtra(sh, 'vmm', rest, max, VMM_USAGE);
}

export function vmmCommand(sh: Shell, args: string[]): void {
  const [sub, which] = args;
  if (refused(sh, args)) return;
  if (sub === 'list' || sub === undefined) {
    // 56 columns, so that a console of 60 never wraps a row. COMPROMISED, on a line of its own under
    // the VM's: as the VMM knows it, from a measurement that found it (the timeline knows at once).
    const row = (vm: string, name: string, state: string, memory: string, up: string) =>
      `${vm.padEnd(7)} ${name.padEnd(20)} ${state.padEnd(8)} ${memory.padStart(8)}  ${up.padStart(8)}`;
    const rows = sh.sim.status().map((s) => row(s.vm, s.name, s.state, `${s.memoryMiB} MiB`, uptime(s.uptimeMs))
      + (sh.sim.guests[s.vm].compromiseKnown ? `\n${' '.repeat(8)}COMPROMISED: a measurement found it changed` : ''));
    const soc = profile(sh.sim.board.soc);
    return sh.print(`${row('VM', 'NAME', 'STATE', 'MEMORY', 'UPTIME')}\n${rows.join('\n')}\nisolation: ${cpuIsolationText(soc)}`);
  }
  if (sub === 'quarantine') return quarantine(sh, args.slice(1));
  if (sub === 'verify') return verify(sh, which);
  if (!['refresh', 'stop', 'start', 'pause', 'resume'].includes(sub)) {
    return sh.error(`vmm: unknown subcommand '${sub}' — ${VMM_USAGE}`);
  }
  const vm = which !== undefined && Object.hasOwn(VMS, which) ? VMS[which] : undefined;
  if (!vm) return sh.error(which === undefined ? `vmm: ${sub} which VM? (app or rt)` : `vmm: ${sub}: no VM '${which}' — app or rt (vmm list shows them)`);
  if (vm === 'system') return sh.error(`vmm: the VMM runs in the system VM; it cannot ${sub} itself (use reboot)`);
  const g = sh.sim.guests[vm];
  if (sub === 'refresh') {
    const at = args.indexOf('--part');
    if (at >= 0) {
      if (vm !== 'app') return sh.error('vmm: --part refreshes a part of the application VM (vmm refresh app --part kernel|driver:<id>|app:<name>)');
      const text = args[at + 1];
      if (!text) return sh.error(`vmm: --part which part? kernel, driver:<id> (${sh.sim.appDrivers().join(', ') || 'none'}) or app:<name> (${sh.sim.installedApps.join(', ') || 'none'})`);
      const p = parsePart(text, { drivers: sh.sim.appDrivers(), apps: sh.sim.installedApps });
      if (!p.ok) return sh.error(`vmm: ${p.error}`);
      if (p.part !== 'full' && g.state !== 'running') return sh.error(`vmm: ${g.name} is ${g.state}; a part can be reloaded only while it runs (vmm refresh app reloads all of it)`);
      sh.print(`vmm: reloading ${p.part} of the ${g.name} from its master image`);
      return sh.sim.refreshPartOf(p.part, 'manual');
    }
    sh.print(`vmm: refreshing ${g.name} from its master image`);
    sh.sim.refreshVm(vm, 'manual');
  } else if (sub === 'stop') {
    if (!g.alive && g.state !== 'hung') return sh.print(`vmm: ${g.name} is already ${g.state}`);
    sh.sim.stopVm(vm, 'stopped by vmm');
    sh.print(`vmm: ${g.name} stopped`);
  } else if (sub === 'pause') {
    if (!sh.sim.pauseVm(vm)) return sh.print(`vmm: ${g.name} is ${g.state}; only a running VM can be paused`);
    sh.print(`vmm: ${g.name} paused — ${pauseHow(vm)} (vmm resume ${vm})`);
  } else if (sub === 'resume') {
    if (!sh.sim.resumeVm(vm)) return sh.print(`vmm: ${g.name} is ${g.state}, not paused`);
    sh.print(`vmm: ${g.name} resumed`);
  } else {
    if (!sh.sim.startVm(vm)) return sh.print(`vmm: ${g.name} is already ${g.state}`);
    sh.print(`vmm: starting ${g.name}`);
  }
}

/** `vmm quarantine list|restore <name>`: what the refreshes moved aside from /data, and putting it back. */
function quarantine(sh: Shell, args: string[]): void {
  const [op, name] = args;
  const refresher = sh.sim.refresher;
  if (op === 'list' || op === undefined) return sh.print(refresher.list().join('\n'));
  if (op !== 'restore') return sh.error(`vmm: quarantine ${op}? — vmm quarantine list | vmm quarantine restore <name>`);
  if (!name) return sh.error('vmm: quarantine restore what? — see vmm quarantine list');
  const r = refresher.restore(name);
  if (!r.ok) return sh.error(`vmm: ${r.error}`);
  sh.print(`vmm: ${r.message}`);
}

/**
 * `vmm verify app`: secmon's measurement, on demand. Any change outside /data
 * and the overlay's allowed paths is a finding, and a finding is a
 * compromise: the refresh policy applies.
 */
function verify(sh: Shell, which: string | undefined): void {
  if (which !== 'app') return sh.error(`vmm: verify which VM? only app is measured against its master image (vmm verify app)`);
  const g = sh.sim.guests.app;
  if (!sh.sim.rootFs('app') || !sh.sim.volumes.app || g.state !== 'running') return sh.error(`vmm: ${g.name} is ${g.state}: nothing to measure`);
  const onCompromise = refreshPolicyOf(sh.sim.board, 'app').onCompromise;
  const m = sh.sim.secmonCheck('app', 'vmm verify');
  sh.print(m.lines.join('\n'));
  if (m.findings.length > 0 && !onCompromise) sh.print(`vmm: the refresh policy does not refresh on compromise: ${g.name} keeps running changed`);
}

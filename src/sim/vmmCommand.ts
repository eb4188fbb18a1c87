// `vmm` in the system VM: the virtual machine manager's console.

import type { Shell } from './commands/context.ts';
import type { VmId } from './types.ts';
import { cpuIsolationText, profile } from '../model/profiles.ts';

const VMS: Record<string, VmId> = { system: 'system', app: 'app', rt: 'rt' };

function uptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m${String(s % 60).padStart(2, '0')}s`;
}

export function vmmCommand(sh: Shell, args: string[]): void {
  const [sub, which] = args;
  if (sub === 'list' || sub === undefined) {
    const rows = sh.sim.status().map((s) =>
      `${s.vm.padEnd(7)} ${s.name.padEnd(20)} ${s.state.padEnd(8)} ${String(s.memoryMiB).padStart(5)} MiB  ${uptime(s.uptimeMs).padStart(10)}${s.compromised ? '  COMPROMISED' : ''}`);
    const soc = profile(sh.sim.board.soc);
    return sh.print(`VM      NAME                 STATE    MEMORY       UPTIME\n${rows.join('\n')}\nisolation: ${cpuIsolationText(soc)}`);
  }
  if (!['refresh', 'stop', 'start', 'pause', 'resume'].includes(sub)) {
    return sh.error(`vmm: unknown subcommand '${sub}' — vmm list | refresh|stop|start|pause|resume <vm>`);
  }
  const vm = which !== undefined && Object.hasOwn(VMS, which) ? VMS[which] : undefined;
  if (!vm) return sh.error(`vmm: ${sub} which VM? (app or rt)`);
  if (vm === 'system') return sh.error(`vmm: the VMM runs in the system VM; it cannot ${sub} itself (use reboot)`);
  const g = sh.sim.guests[vm];
  if (sub === 'refresh') {
    sh.print(`vmm: refreshing ${g.name} from its master image`);
    sh.sim.refreshVm(vm, 'manual');
  } else if (sub === 'stop') {
    if (!g.alive && g.state !== 'hung') return sh.print(`vmm: ${g.name} is already ${g.state}`);
    sh.sim.stopVm(vm, 'stopped by vmm');
    sh.print(`vmm: ${g.name} stopped`);
  } else if (sub === 'pause') {
    if (!sh.sim.pauseVm(vm)) return sh.print(`vmm: ${g.name} is ${g.state}; only a running VM can be paused`);
    sh.print(`vmm: ${g.name} paused — its CPUs stop, its memory and state are kept (vmm resume ${vm})`);
  } else if (sub === 'resume') {
    if (!sh.sim.resumeVm(vm)) return sh.print(`vmm: ${g.name} is ${g.state}, not paused`);
    sh.print(`vmm: ${g.name} resumed`);
  } else {
    if (!sh.sim.startVm(vm)) return sh.print(`vmm: ${g.name} is already ${g.state}`);
    sh.print(`vmm: starting ${g.name}`);
  }
}

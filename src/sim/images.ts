// What each environment boots from: its master image (files), its kernel, the
// services it starts and the boot log it prints. Refresh reloads exactly this.

import { KINDS } from '../model/catalog.ts';
import { profile } from '../model/profiles.ts';
import type { Board } from '../model/types.ts';
import type { VmId } from './types.ts';
import { devicesOf } from './devices.ts';


export const PROMPTS: Record<VmId, string> = {
  system: '\x1b[1;31mroot@system-vm\x1b[0m:~# ',
  app: '\x1b[1;32mroot@app-vm\x1b[0m:~# ',
  rt: '\x1b[1;36mrt>\x1b[0m ',
};

export const DEFAULT_EGRESS = [
  '# networkd egress policy for the application VM (one rule a line)',
  '# allow <host>            the host may be reached',
  '# block <pattern> <cat>   hosts matching the pattern are refused (category)',
  'allow updates.vendor.example',
  'allow api.vendor.example',
  'allow time.example',
  'block *.ads.example ads',
  'block *.tracking.example tracking',
  '',
].join('\n');

/** `uname -a`: the machine field is the core's real architecture (Cortex-A5/A7: armv7l, A53: aarch64, M0+: armv6-m, M4/M7: armv7e-m). */
export function unameOf(board: Board, vm: VmId): string {
  const p = profile(board.soc);
  const smp = p.cores.application > 1 ? 'SMP ' : '';
  if (vm === 'system') return `Linux system-vm 6.6.30-sys #1 ${smp}PREEMPT ${p.cores.applicationName} ${p.arch.application} GNU/Linux`;
  if (vm === 'app') return `Linux app-vm 5.15.148-devicemaker #1 ${smp}PREEMPT ${p.cores.applicationName} ${p.arch.application} GNU/Linux`;
  return `RTOS rt-core 3.2.1 bare-metal ${p.cores.realtimeName} (real-time core) ${p.arch.realtime}`;
}

export function imageOf(board: Board, vm: VmId): Map<string, string> {
  const files = new Map<string, string>();
  const f = (path: string, text: string) => files.set(path, text.endsWith('\n') ? text : text + '\n');
  if (vm === 'system') {
    f('/etc/hostname', 'system-vm');
    f('/etc/os-release', 'NAME="System OS"\nVERSION="1.0"\nID=system-os');
    f('/etc/networkd/egress.conf', DEFAULT_EGRESS);
    f('/etc/vmm/app.conf', `memory=${board.vms.app.memoryMiB}M\nimage=/images/app-master.img\nrefresh.everySeconds=${board.vms.app.refresh?.everySeconds ?? 'none'}`);
    f('/etc/secrets/wifi.psk', '(held by the system VM; the application VM never sees it)');
    f('/images/app-master.img', '[read-only master image of the application VM]');
    f('/var/log/vmm.log', 'vmm: started');
    f('/root/README', 'This is the system VM. It owns the security processor, flash and the primary\nnetwork, and runs the VMM, networkd, the update service and the security monitor.\nTry: vmm list, lsdev, cat /etc/networkd/egress.conf');
  } else if (vm === 'app') {
    f('/etc/hostname', 'app-vm');
    f('/etc/os-release', 'NAME="Device Maker OS"\nVERSION="5.2"\nID=devicemaker');
    f('/usr/bin/oven-control', '[application binary]');
    f('/var/log/app.log', 'app: started');
    f('/root/README', 'This is the application VM: the device maker\'s own OS and code. Peripherals are\npassed through directly; shared ones appear as paravirtual devices served by the\nsystem VM. Files outside /data are reset when the VM is refreshed.\nTry: lsdev, ifconfig, ping updates.vendor.example, attack malware');
    f('/tmp/.keep', '');
  } else {
    f('/README', 'Real-time container: bare-metal code on the real-time core, with its own\nperipherals and a mailbox shared with the application VM.');
    f('/tasks/control-loop', 'period=1ms priority=high');
    f('/tasks/mailbox', 'period=10ms priority=normal');
  }
  for (const d of devicesOf(board, vm)) {
    const how = d.access === 'direct'
      ? `${d.id} (${KINDS[d.kind].name}), passed through: this environment's own driver controls it`
      : `${d.id} (${KINDS[d.kind].name}), paravirtual: requests go over vsock to the system VM (${SERVING_DAEMON[d.kind] ?? 'its device service'})`;
    f(`/dev/${d.devName}`, how);
  }
  return files;
}

/** The system-VM service behind each paravirtualized kind: networkd for networks, storaged for storage. */
const SERVING_DAEMON: Partial<Record<string, string>> = {
  wifi: 'networkd', ethernet: 'networkd', cellular: 'networkd', flash: 'storaged', sdcard: 'storaged',
};

/** Initial contents of the application VM's user-data store (kept across refreshes). */
export function initialUserData(): Map<string, string> {
  return new Map([['/data/settings.conf', 'temperature.unit=C\nwifi.ssid=kitchen\n']]);
}

export function servicesOf(vm: VmId): [string, number][] {
  if (vm === 'system') {
    return [['init', 812], ['vmm', 2048], ['gatewayd', 1536], ['networkd', 1320], ['updated', 1104],
      ['crashd', 640], ['appman', 980], ['storaged', 540], ['secmon', 760], ['watchdogd', 256], ['sh', 420]];
  }
  if (vm === 'app') return [['init', 640], ['supervisor', 900], ['oven-control', 2400], ['sh', 420]];
  return [['idle', 1], ['control-loop', 24], ['mailbox', 8], ['shell', 6]];
}

/** Boot log lines with the simulated ms (from boot start) at which each appears. */
export function bootLog(board: Board, vm: VmId, jitter: () => number, uname = unameOf(board, vm)): [number, string][] {
  const p = profile(board.soc);
  const out: [number, string][] = [];
  let t = 0;
  const line = (gap: number, text: string) => {
    t += gap + jitter();
    out.push([t, text]);
  };
  const devs = devicesOf(board, vm);
  if (vm === 'rt') {
    line(5, `RTOS 3.2.1 starting on ${p.cores.realtimeName} (real-time core, ${p.arch.realtime})`);
    line(20, `rt-ram: ${p.realtimeMemoryMiB} MiB at 0x20000000, mailbox at 0x${(0x2000_0000 + p.realtimeMemoryMiB * 1048576).toString(16)}`);
    for (const d of devs) line(15, `driver: ${d.id} (${KINDS[d.kind].name}) ready`);
    if (devs.length === 0) line(10, 'no peripherals assigned to the real-time container');
    line(30, 'task control-loop started (1 ms period)');
    line(20, 'task mailbox started');
    return out;
  }
  const mem = vm === 'system' ? board.vms.system.memoryMiB : board.vms.app.memoryMiB;
  const kernel = uname.split(' ')[2];
  line(0, `Booting Linux ${kernel} on ${p.cores.application} x ${p.cores.applicationName}`);
  line(40, `Memory: ${mem * 1024}K available`);
  if (vm === 'system') {
    if (p.cpuIsolation === 'stage-2') {
      line(60, `hypervisor: ${p.arch.application === 'aarch64' ? 'EL2' : 'HYP mode (PL2)'} VMM up, stage-2 translation on for both VMs`);
    } else {
      line(60, `secure monitor: ${p.cores.applicationName} has no virtualization extensions (no EL2, no stage-2)`);
      line(20, 'secure monitor: system VM in the TrustZone secure world, application VM in the normal world; the firewall is the only wall');
    }
  } else {
    line(60, p.cpuIsolation === 'stage-2' ? 'virtio: guest of the system VM VMM (stage-2 confined)' : 'virtio: normal-world guest of the secure-world system VM');
  }
  for (const d of devs) {
    const how = d.access === 'direct' ? 'direct (passed through)' : 'paravirtual over vsock';
    line(35, `${d.devName}: ${d.id} ${KINDS[d.kind].name} — ${how}`);
  }
  if (vm === 'system') {
    line(80, 'firewall: ' + (board.firewall?.enforce === false
      ? `DISABLED: every bus master reaches everything${p.cpuIsolation === 'stage-2' ? '; VM CPUs stay confined by stage-2' : ', CPUs included (no stage-2 on this SoC)'}`
      : 'rules loaded, enforcing'));
    for (const s of ['vmm', 'networkd', 'storaged', 'gatewayd', 'updated', 'crashd', 'appman', 'secmon', 'watchdogd']) line(45, `systemd: started ${s}`);
  } else {
    line(80, 'vsock: connected to system VM (cid 2)');
    line(60, 'supervisor: started');
    line(60, 'oven-control: started');
  }
  return out;
}

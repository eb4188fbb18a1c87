// The built-in attacks (CONTRACT §6 `attack <name>`). Each one tries a real
// path through the engine — bus accesses, DMA transfers, network egress,
// failures the VMM must notice — and says which mechanism stopped it or which
// hole let it through.

import type { Component, ComponentKind } from '../model/types.ts';
import { refuseExtra, type Shell } from './commands/context.ts';
import { dmaEnv, engineFor, runTransfer, transferTime } from './dma.ts';
import { appRoute, sendFromApp } from './netCommands.ts';
import { hex } from './memoryMap.ts';
import { allowedDomains, instanceCount, profile } from '../model/profiles.ts';
import { kernelPanic } from './images.ts';
import { panicTimeoutS } from './fragments/builtin.ts';
import { VM_IDS, VM_NAMES } from './types.ts';
import type { VmId } from './types.ts';
import { refreshPolicyOf } from '../model/board.ts';
import { KINDS, PROTECTION_WORDS } from '../model/catalog.ts';

export type AttackName = 'dma-escape' | 'malware' | 'crash' | 'hang' | 'oom';

interface AttackSpec {
  /** Its arguments, as `help` shows them after the name. */
  args: string;
  /** The consoles it runs in. */
  where: readonly VmId[];
  /** Why the other consoles refuse it, and where to type it instead. */
  refusal?: string;
}

/** Each built-in attack, in `help`'s order. The refusals and `help` both read it, so they cannot disagree. */
export const ATTACK_TABLE: Readonly<Record<AttackName, AttackSpec>> = {
  // The system VM owns its RAM already: there is no escape to make.
  'dma-escape': { args: ' [<master-id>]', where: ['app', 'rt'],
    refusal: 'the system VM may already write its own RAM — run it from the application VM or the real-time container' },
  malware: { args: '', where: ['app'], refusal: 'the malware arrives in the application VM — run it there' },
  crash: { args: '', where: VM_IDS },
  hang: { args: '', where: VM_IDS },
  oom: { args: '', where: VM_IDS },
};

export const ATTACKS = Object.keys(ATTACK_TABLE) as readonly AttackName[];

const isAttack = (name: string | undefined): name is AttackName => name !== undefined && Object.hasOwn(ATTACK_TABLE, name);

/** The attacks a console runs (every one without `vm`). */
function attacksIn(vm?: VmId): AttackName[] {
  return ATTACKS.filter((a) => vm === undefined || ATTACK_TABLE[a].where.includes(vm));
}

/** The attacks this console runs (every one without `vm`), as `help` lists them: `attack dma-escape [<master-id>]|crash|hang|oom`. */
export function attackUsage(vm?: VmId): string {
  return `attack ${attacksIn(vm).map((a) => a + ATTACK_TABLE[a].args).join('|')}`;
}

const say = (sh: Shell, text: string) => sh.print(`\x1b[35m[attack]\x1b[0m ${text}`);

export function attackCommand(sh: Shell, args: string[]): void {
  const name = args[0];
  if (isAttack(name) && !ATTACK_TABLE[name].where.includes(sh.vm)) return sh.error(`attack ${name}: ${ATTACK_TABLE[name].refusal ?? `not in the ${sh.guest.name}`}`);
  // Before it runs: `attack crash --help` must not crash the VM.
  if (isAttack(name) && refuseExtra(sh, `attack ${name}`, args.slice(1), ATTACK_TABLE[name].args ? 1 : 0, `attack ${name}${ATTACK_TABLE[name].args}`)) return;
  const stale = sh.sim.staleNote();
  if (stale && isAttack(name)) sh.print(`\x1b[33m[attack] note: ${stale}\x1b[0m`);
  switch (name) {
    case 'dma-escape': return dmaEscape(sh, args[1]);
    case 'malware': return malware(sh);
    case 'crash': return crash(sh);
    case 'hang': return hang(sh);
    case 'oom': return oom(sh);
    default:
      sh.error(`attack: ${name ? `unknown attack '${name}'` : 'which attack?'} — in the ${sh.guest.name}, one of ${attacksIn(sh.vm).join(', ')}`);
  }
}

function dmaEscape(sh: Shell, masterId?: string): void {
  const masters = sh.sim.board.components.filter((c) => KINDS[c.kind].busMaster);
  const byId = (a: Component, b: Component) => (a.id < b.id ? -1 : 1);
  // A compromised driver can program only the bus masters of the environment it runs in:
  // the real-time container's engines are driven by its own firmware, not by the application VM's kernel.
  let engine: Component | undefined;
  if (masterId !== undefined) {
    const c = engineFor(sh.sim, sh.vm, masterId);
    if (typeof c === 'string') {
      // Another console can help only where the block is a bus master another environment programs.
      const other = sh.sim.component(masterId);
      const env = other && KINDS[other.kind].busMaster ? dmaEnv(other) : null;
      const where = env && env !== sh.vm ? ` — type the attack in the ${VM_NAMES[env]} console` : ' (dma list shows the ones this console can program)';
      return sh.error(`attack dma-escape: ${c}${where}`);
    }
    engine = c;
  } else {
    // A DMA engine first, then any other bus master whose driver the attacker holds.
    engine = masters.filter((d) => dmaEnv(d) === sh.vm).sort((a, b) => Number(b.kind === 'dma') - Number(a.kind === 'dma') || byId(a, b))[0];
  }
  if (!engine) return sh.error(`attack dma-escape: the ${sh.guest.name} owns no DMA engine or bus-master peripheral, so the attack has no path — ${giveMaster(sh)}`);
  const env = dmaEnv(engine)!;
  const src = env === 'app' ? 'app-ram' : 'rt-ram';
  const payload = 0xdeadc0de;
  const prot = sh.sim.dmaProtectionOf(engine);
  sh.sim.busAccess(`cpu:${env}`, src, 'write', 0, payload);
  const what = engine.kind === 'dma' ? 'programs' : `reprograms ${KINDS[engine.kind].name.toLowerCase()} controller`;
  say(sh, `a malicious driver stages a payload (${hex(payload)}) in ${src} and ${what} ${engine.id} `
    + `(DMA protection: ${PROTECTION_WORDS[prot]}) to copy it over system-ram at ${hex(sh.sim.map.get('system-ram')!.base)} — the system VM kernel`);
  sh.guest.after(transferTime(4096), () => {
    const outcome = runTransfer(sh.sim, engine, src, 'system-ram', 4096);
    for (const l of outcome.lines) (outcome.ok ? sh.print : sh.error)(l);
    if (outcome.result === 'escape') {
      say(sh, `\x1b[1;31mGOT THROUGH\x1b[0m: the payload overwrote system-VM memory, and the system VM was not told. Hole: `
        + (sh.sim.firewall.enforce
          ? `${engine.id} has no firewall identity, so its transfers bypass the VM's memory protection. Fix: set its DMA protection to Firewall identity${profileHasIommu(sh) ? ' or IOMMU' : ''} and apply & reboot.`
          : 'the hardware firewall is switched off (board settings: "Hardware firewall enforced" is unticked).'));
    } else if (outcome.result === 'fault') {
      say(sh, `STOPPED by the IOMMU: ${engine.id}'s addresses are translated only inside the ${env === 'app' ? 'application VM' : 'real-time container'}'s window.`);
    } else if (outcome.result === 'blocked') {
      say(sh, `STOPPED by the firewall: ${engine.id} has its own firewall identity, whose rules deny it system RAM and system peripherals.`);
    }
  });
}

/** How to give this console's environment a bus master, in the words of what this SoC has. */
function giveMaster(sh: Shell): string {
  const p = profile(sh.sim.board.soc);
  const kinds = (Object.keys(KINDS) as ComponentKind[])
    .filter((k) => KINDS[k].busMaster && instanceCount(p, k) > 0 && allowedDomains(p, k).includes(sh.vm));
  if (kinds.length === 0) return `this SoC (${p.name}) has no bus master that may be assigned to the ${sh.guest.name}`;
  return `assign one to the ${sh.guest.name} (on ${p.name}: ${kinds.map((k) => KINDS[k].name).join(', ')}), then apply & reboot`;
}

function stageName(stage: string): string {
  return stage === 'stage-2' ? 'stage-2 translation' : stage === 'iommu' ? 'the IOMMU' : 'the firewall';
}

function profileHasIommu(sh: Shell): boolean {
  return profile(sh.sim.board.soc).iommu;
}

function malware(sh: Shell): void {
  const sim = sh.sim;
  const g = sh.guest;
  g.spawn('evil-updater', 1800);
  // It comes in through the browser when the browser is installed, and drops its binary next to it.
  const via = sim.installedApps.includes('browser') ? '/opt/apps/browser/bin' : '/usr/bin';
  g.fs.write(`${via}/evil-updater`, '\x7fELF[malicious binary]\n');
  say(sh, `a malicious process, evil-updater, starts in the application VM${via.startsWith('/opt') ? ' through the browser app' : ''} (its binary is dropped in ${via})`);
  const results: string[] = [];

  g.after(200, () => {
    const d = sim.busAccess('cpu:app', 'system-ram', 'write', 0x40, 0x0bad0bad);
    if (d.allowed) {
      say(sh, `\x1b[1;31mGOT THROUGH\x1b[0m: it wrote system-ram from the application VM's CPU. Hole: ${d.rule} (trace ${d.txn.n}).`);
      sim.landed(d.txn, 'evil-updater in the application VM');
      results.push('system-ram: reached');
    } else {
      sim.reportDenied(d.txn, 'evil-updater (application VM CPU)');
      say(sh, `write to system-ram: STOPPED by ${stageName(d.txn.decidedBy)} (${d.rule}; trace ${d.txn.n})`);
      results.push(`system-ram: blocked by ${stageName(d.txn.decidedBy)}`);
    }
  });

  g.after(400, () => {
    const comps = sim.board.components;
    const target = comps.find((c) => c.kind === 'security-processor' && c.domain === 'system')
      ?? [...comps].sort((a, b) => (a.id < b.id ? -1 : 1)).find((c) => c.domain === 'system' || c.domain === 'shared');
    if (!target) {
      say(sh, 'no system peripheral on this board to attack');
      return;
    }
    const d = sim.busAccess('cpu:app', target.id, 'write', 0, 0xffffffff);
    if (d.allowed) {
      say(sh, `\x1b[1;31mGOT THROUGH\x1b[0m: it reprogrammed ${target.id}'s registers. Hole: ${d.rule} (trace ${d.txn.n}).`);
      sim.landed(d.txn, 'evil-updater in the application VM');
      results.push(`${target.id}: reached`);
    } else {
      sim.reportDenied(d.txn, 'evil-updater (application VM CPU)');
      say(sh, `write to ${target.id} registers: STOPPED by ${stageName(d.txn.decidedBy)} (${d.rule}; trace ${d.txn.n})`);
      results.push(`${target.id}: blocked by ${stageName(d.txn.decidedBy)}`);
    }
  });

  g.after(600, () => {
    const host = 'collector.tracking.example';
    const route = appRoute(sim, true);
    const refused = sendFromApp(sim, route, host, 'an upload of stolen data');
    if (route.kind === 'none') {
      say(sh, `exfiltration to ${host}: no path — ${route.why}`);
      results.push('exfiltration: no network path');
    } else if (refused) {
      say(sh, `exfiltration to ${host}: STOPPED by networkd in the system VM (${refused.replace(/^refused by networkd \(system VM\): /, '')})`);
      results.push('exfiltration: blocked by networkd');
    } else {
      sim.emit('net.exfiltrated', 'app',
        `Stolen data left the device to ${host} through ${route.dev.id}, which is passed straight to the application VM: no networkd, no egress filter.`,
        [route.dev.id], { host, via: route.dev.id });
      say(sh, `\x1b[1;31mGOT THROUGH\x1b[0m: data sent to ${host} over ${route.dev.devName} (${route.dev.id} passed straight to the application VM — primary-network-in-app: no networkd, no egress filter)`);
      results.push('exfiltration: got out');
    }
  });

  g.after(800, () => {
    say(sh, `summary: ${results.join('; ')}`);
    const policy = refreshPolicyOf(sim.board, 'app').onCompromise;
    say(sh, `the security monitor in the system VM finds the changed files at its next measurement — `
      + (policy ? 'the refresh policy refreshes it on compromise, from its master image' : 'the refresh policy does not refresh it on compromise, so it stays compromised'));
    sim.compromise('app', `evil-updater dropped ${via}/evil-updater outside /data`, ['app']);
  });
}

/**
 * The real-time core's fault when its control task reads where nothing answers: RT_FAULT_ADDRESS, in
 * the External RAM region of the Cortex-M memory map, which no SoC's map fills (a test checks), so the interconnect
 * answers with a bus error. A load waits for its data, so that error is precise and the core knows the
 * address; a store there (Normal memory, bufferable by default) would complete before its error came
 * back: IMPRECISERR, and no BFAR (Cortex-M4 Generic User Guide, BusFault Status Register). Armv7-M
 * escalates the precise data bus error to HardFault while BusFault is not enabled (FORCED), with the
 * cause and address in CFSR and BFAR; Armv6-M (Cortex-M0+) has only HardFault, and no registers that
 * say why or where (Armv7-M and Armv6-M Architecture Reference Manuals).
 */
const RT_FAULT_ADDRESS = 0x6000_0000;

function rtFault(sh: Shell): string {
  if (profile(sh.sim.board.soc).arch.realtime === 'armv6-m') return 'HardFault (Armv6-M keeps no fault status or fault address)';
  return `HardFault: HFSR 0x40000000 (FORCED), CFSR 0x00008200 (BFARVALID PRECISERR: a precise data bus error), BFAR 0x${RT_FAULT_ADDRESS.toString(16).padStart(8, '0')}`;
}

function crash(sh: Shell): void {
  if (sh.vm === 'rt') sh.print(`${rtFault(sh)}\nRTOS halted.`);
  else sh.print(kernelPanic('Fatal exception in interrupt', { pid: 1, comm: 'init' }, panicTimeoutS(sh.vm as 'system' | 'app')).join('\n'));
  // The RTOS has no kernel to panic: the fault handler halts the core.
  sh.sim.crashVm(sh.vm, sh.vm === 'rt' ? 'HardFault' : 'kernel panic');
}

function hang(sh: Shell): void {
  say(sh, 'spinning in an infinite loop with interrupts off — this console stops answering');
  sh.sim.hangVm(sh.vm);
}

/**
 * memhog takes every free page. A Linux guest's image sets vm.panic_on_oom = 1,
 * so the VM panics instead of killing a process and the VMM (for the system VM,
 * the SoC) sees the failure and rebuilds it: out_of_memory() calls
 * check_panic_on_oom() before choosing a victim (mm/oom_kill.c), after
 * dump_header()'s "invoked oom-killer" line.
 */
function oom(sh: Shell): void {
  const g = sh.guest;
  const total = sh.sim.memTotalKiB(sh.vm);
  const hog = g.spawn('memhog', 0);
  const free = sh.sim.freeKiB(sh.vm);
  say(sh, `memhog allocates memory without freeing it (${free} KiB free of ${total} KiB in this VM)`);
  g.after(300, () => {
    hog.rssKiB = Math.max(0, free);
    // An anonymous page fault's allocation: a plain page in 5.x, a folio (__GFP_COMP) in 6.x kernels.
    const gfp = sh.sim.utsname(sh.vm).release.startsWith('5.') ? '0x100cca(GFP_HIGHUSER_MOVABLE)' : '0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)';
    sh.print(sh.vm === 'rt' ? 'heap: allocation failed, no memory left'
      : `memhog invoked oom-killer: gfp_mask=${gfp}, order=0, oom_score_adj=0`);
  });
  g.after(600, () => {
    sh.print(sh.vm === 'rt' ? 'RTOS halted: heap exhausted'
      : kernelPanic('Out of memory: system-wide panic_on_oom is enabled', { pid: hog.pid, comm: 'memhog' }, panicTimeoutS(sh.vm as 'system' | 'app')).join('\n'));
    sh.sim.crashVm(sh.vm, 'out of memory', { oom: true });
  });
}

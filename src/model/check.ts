// Diagnostics (CONTRACT §3): a pure function of the board. Each message says
// what is wrong, why it matters for isolation, and how to fix it.
//
// Order is deterministic: errors before warnings; within a severity,
// per-component findings in board order, then board-wide ones (pin-mux,
// network, sharing, memory, firewall).
//
// Besides the contract's rule ids, check reports:
//   kind-not-on-soc     (error)   the SoC has no block of this kind
//   too-many-instances  (error)   more components of a kind than the SoC has
//   firewall-disabled   (warning) `firewall.enforce: false` — nothing is isolated
//   no-system-watchdog  (warning) no hardware watchdog in the system VM — nothing resets it if it hangs
// A `dma` with no `dmaProtection` field is treated as `"none"`; another
// bus-master kind without it as `"firewall-id"` (defaultDmaProtection).
//
// Each diagnostic has a class (CONTRACT §3): `cannot-boot` rules describe what
// the hardware cannot do, and power on is refused while one stands;
// `security-hole` rules boot, so an attack can show what they let through.
// A security processor outside `system` is reported once, as
// `security-processor-domain` (the more specific lesson), not also as
// `kind-domain-not-allowed`.

import { systemWatchdogOf } from './board.ts';
import { DOMAIN_LABELS, KINDS, NETWORK_KINDS, defaultDmaProtection, isBusMaster, placement } from './catalog.ts';
import { memoryBudget } from './memory.ts';
import { allowedDomains, instanceCount, profile, refusal } from './profiles.ts';
import type { Board, Component, ComponentKind, Diagnostic, DiagnosticClass, Domain, SocProfile } from './types.ts';

export { memoryBudget } from './memory.ts';
export type { MemoryBudget, VmMemory } from './memory.ts';

/** More paravirtualized components than this draws `shared-set-large`. */
export const SHARED_SET_LIMIT = 3;

export const RULES = [
  'unassigned-component', 'kind-domain-not-allowed', 'security-processor-domain',
  'dma-unprotected', 'iommu-unavailable', 'memory-budget', 'pin-conflict',
  'shared-set-large', 'primary-network-in-app',
  'kind-not-on-soc', 'too-many-instances', 'firewall-disabled', 'refresh-schedule', 'no-system-watchdog',
] as const;

/** The class of each rule (CONTRACT §3). */
export const RULE_CLASS: Record<(typeof RULES)[number], DiagnosticClass> = {
  'memory-budget': 'cannot-boot',
  'pin-conflict': 'cannot-boot',
  'kind-domain-not-allowed': 'cannot-boot',
  'iommu-unavailable': 'cannot-boot',
  'kind-not-on-soc': 'cannot-boot',
  'too-many-instances': 'cannot-boot',
  'dma-unprotected': 'security-hole',
  'security-processor-domain': 'security-hole',
  'primary-network-in-app': 'security-hole',
  'firewall-disabled': 'security-hole',
  'unassigned-component': 'advice',
  'shared-set-large': 'advice',
  'refresh-schedule': 'advice',
  'no-system-watchdog': 'advice',
};

type Finding = Omit<Diagnostic, 'class'> & { rule: (typeof RULES)[number] };

function classify(d: Finding): Diagnostic {
  return {
    rule: d.rule, severity: d.severity, class: RULE_CLASS[d.rule],
    ...(d.component ? { component: d.component } : {}), ...(d.others ? { others: d.others } : {}), message: d.message,
  };
}

/** The diagnostics that keep a board from powering on. */
export function bootBlockers(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.class === 'cannot-boot');
}

/** The protection a bus master has, its file's default applied. */
export function protectionOf(c: Component): 'none' | 'firewall-id' | 'iommu' {
  return c.dmaProtection ?? defaultDmaProtection(c.kind);
}

/** Where a block is, after "in the" / "to the": the VM's name, or the paravirtualized set (its zone's label is not a noun). */
function label({ domain }: { domain: Domain | null }): string {
  if (domain === 'shared') return 'paravirtualized set';
  return domain === null ? DOMAIN_LABELS.null : DOMAIN_LABELS[domain];
}

/**
 * Why a block of `kind` cannot be put in `domain` on this board's SoC (as the inspector's Domain select
 * and tap-to-place disable it), or null when it can: a drop there is refused with these words.
 */
export function placementRefusal(board: Board, kind: ComponentKind, domain: Domain): string | null {
  const p = profile(board.soc);
  const why = refusal(p, kind, domain);
  if (!why) return null;
  const name = KINDS[kind].name;
  const where = label({ domain });
  const allowed = allowedDomains(p, kind).map((d) => DOMAIN_LABELS[d]).join(', ');
  if (instanceCount(p, kind) === 0) return `${p.name} has no ${name}: choose a SoC that has one. Your board is unchanged.`;
  return `${p.name} cannot connect the ${name} block to the ${where}${why === 'soc' ? ' (other SoCs can)' : ''}; the chip's wiring decides which `
    + `domain can reach it. Put it in one of: ${allowed}. Your board is unchanged.`;
}

function componentRules(c: Component, p: SocProfile, seen: Map<ComponentKind, number>): Finding[] {
  const out: Finding[] = [];
  const name = KINDS[c.kind].name;
  const have = instanceCount(p, c.kind);
  if (have === 0) {
    out.push({
      rule: 'kind-not-on-soc', severity: 'error', component: c.id,
      message: `${c.id}: ${p.name} has no ${name}, so this block cannot be wired to any domain. `
        + `Remove ${c.id} or choose a SoC that has one.`,
    });
    return out; // nothing else about a block that does not exist is meaningful
  }
  const n = (seen.get(c.kind) ?? 0) + 1;
  seen.set(c.kind, n);
  if (n > have) {
    out.push({
      rule: 'too-many-instances', severity: 'error', component: c.id,
      message: `${c.id}: ${p.name} has only ${have} ${name} instance${have === 1 ? '' : 's'}, and this is number ${n}; `
        + `two domains cannot own the same hardware. Remove ${c.id}.`,
    });
  }
  if (c.domain === null) {
    out.push({
      rule: 'unassigned-component', severity: 'warning', component: c.id,
      message: `${c.id} (${name}) is placed but not assigned to any domain, so no VM can use it. `
        + `Assign it in the inspector (usually: ${DOMAIN_LABELS[KINDS[c.kind].usualDomain]}) or remove it.`,
    });
  } else if (c.kind === 'security-processor') {
    if (c.domain !== 'system') {
      out.push({
        rule: 'security-processor-domain', severity: 'error', component: c.id,
        message: `${c.id}: the security processor is in the ${label(c)}; guest code there could use the device keys `
          + `and sign its own updates. Assign ${c.id} to the System VM.`,
      });
    }
  } else if (!allowedDomains(p, c.kind).includes(c.domain)) {
    const allowed = allowedDomains(p, c.kind).map((d) => DOMAIN_LABELS[d]).join(', ');
    out.push({
      rule: 'kind-domain-not-allowed', severity: 'error', component: c.id,
      // "the ADC block", not "a ADC": the kinds' names are initialisms and words alike, and no article fits them all.
      message: `${c.id}: ${p.name} cannot connect the ${name} block to the ${label(c)}; the chip's wiring decides which `
        + `domain can reach it. Assign ${c.id} to one of: ${allowed}.`,
    });
  }
  if (isBusMaster(c.kind)) {
    const protection = protectionOf(c);
    if (protection === 'iommu' && !p.iommu) {
      out.push({
        rule: 'iommu-unavailable', severity: 'error', component: c.id,
        message: `${c.id} is set to be translated by the IOMMU, but ${p.name} has no IOMMU, so the board cannot be `
          + `built this way. Set its DMA protection to "Firewall identity" instead (firewall-id in the board file).`,
      });
    } else if (protection === 'none' && (c.domain === 'app' || c.domain === 'rt')) {
      const missing = c.dmaProtection === undefined ? ' has no DMA protection set (a board file without dmaProtection means "none" for a DMA engine) and' : '';
      const what = c.kind === 'dma' ? 'DMA engine' : `bus master (${name}, it reads and writes memory itself)`;
      out.push({
        rule: 'dma-unprotected', severity: 'error', component: c.id,
        message: `${c.id}${missing} is an unprotected ${what} in the ${label(c)}: its transfers bypass the VM's `
          + `memory protection and can write system-VM RAM (a VM escape). Set its DMA protection to "Firewall identity"`
          + `${p.iommu ? ' or "IOMMU"' : ''} (firewall-id${p.iommu ? ' or iommu' : ''} in the board file).`,
      });
    }
  }
  return out;
}

function pinConflicts(board: Board, p: SocProfile): Finding[] {
  const out: Finding[] = [];
  const enabled = board.components.filter((c) => c.domain !== null && instanceCount(p, c.kind) > 0);
  for (const group of p.pinMuxGroups) {
    const members = enabled.filter((c) => group.members.includes(c.kind));
    const first = members[0];
    if (!first) continue;
    for (const c of members) {
      if (c.kind === first.kind) continue;
      out.push({
        rule: 'pin-conflict', severity: 'error', component: c.id, others: [first.id],
        message: `${c.id} (${KINDS[c.kind].name}) and ${first.id} (${KINDS[first.kind].name}) share the ${group.name} pads `
          + `(${group.pads.join(', ')}), and a pad can be muxed to only one block. Unassign or remove one of them.`,
      });
    }
  }
  return out;
}

/**
 * The board's primary network adapter: the first assigned one, by the
 * profile's order of preference (an adapter left unassigned carries no traffic).
 */
export function primaryNetworkAdapter(board: Board): Component | undefined {
  const p = profile(board.soc);
  const order = [...p.primaryNetwork, ...NETWORK_KINDS.filter((k) => !p.primaryNetwork.includes(k))];
  for (const kind of order) {
    const c = board.components.find((x) => x.kind === kind && x.domain !== null && instanceCount(p, x.kind) > 0);
    if (c) return c;
  }
  return undefined;
}

function networkAndSharing(board: Board): Finding[] {
  const out: Finding[] = [];
  const primary = primaryNetworkAdapter(board);
  if (primary && primary.domain === 'app') {
    out.push({
      rule: 'primary-network-in-app', severity: 'warning', component: primary.id,
      message: `${primary.id} (${KINDS[primary.kind].name}) is the primary network adapter and is passed straight to `
        + `the Application VM, so guest code reaches the network without the system VM's firewall. `
        + `Assign it to Paravirtualized (or the System VM).`,
    });
  }
  const shared = board.components.filter((c) => c.domain === 'shared');
  if (shared.length > SHARED_SET_LIMIT) {
    out.push({
      rule: 'shared-set-large', severity: 'warning',
      message: `${shared.length} components are paravirtualized (${shared.map((c) => c.id).join(', ')}); every one `
        + `is a path between the two VMs. Keep the shared set to the primary network and flash access `
        + `(at most ${SHARED_SET_LIMIT}) and pass the rest to one VM.`,
    });
  }
  return out;
}

/** Part schedules the engine cannot run: a random interval upside down, a driver not in the application VM, no interval. */
function scheduleRule(board: Board): Finding[] {
  const out: Finding[] = [];
  for (const s of board.vms.app.refresh?.parts ?? []) {
    const where = `Refresh schedule "${s.part}"`;
    const bad = s.everySeconds !== undefined && s.randomSeconds ? 'gives both a period and a random interval; keep one'
      : s.everySeconds === undefined && !s.randomSeconds ? 'has no period; give one, or a random interval'
        : s.randomSeconds && s.randomSeconds[0] > s.randomSeconds[1] ? `has a random interval from ${s.randomSeconds[0]} s to ${s.randomSeconds[1]} s; put the smaller number first`
          : null;
    if (bad) out.push({ rule: 'refresh-schedule', severity: 'warning', message: `${where} ${bad}. It is not run until then.` });
    if (s.part.startsWith('driver:')) {
      const id = s.part.slice(7);
      const c = board.components.find((x) => x.id === id);
      if (!c || (c.domain !== 'app' && c.domain !== 'shared')) {
        out.push({
          rule: 'refresh-schedule', severity: 'warning', ...(c ? { component: id } : {}),
          message: `${where}: ${c ? `${id} is not a device of the application VM` : `there is no component ${id}`}, so there is no driver to reload. Pick a driver of the application VM or remove the schedule.`,
        });
      }
    }
  }
  return out;
}

function memoryRule(board: Board): Finding[] {
  const b = memoryBudget(board);
  const out: Finding[] = [];
  if (b.totalMiB > b.ramMiB) {
    const rest = (b.spareMiB > 0 ? ` + hot spare ${b.spareMiB}` : '') + (b.rtMiB > 0 ? ` + real-time container ${b.rtMiB}` : '');
    out.push({
      rule: 'memory-budget', severity: 'error',
      message: `Memory needed is ${b.totalMiB} MiB (system VM ${b.systemMiB} + application VM ${b.appMiB}${rest}; each VM's kernel `
        + `runs inside its own RAM) but the SoC has ${b.ramMiB} MiB, so the VMs cannot all boot. `
        + `Reduce VM memory by ${b.totalMiB - b.ramMiB} MiB${b.spareMiB > 0 ? ', or turn the hot spare off' : ''}.`,
    });
  }
  for (const vm of b.tooSmall) {
    const name = DOMAIN_LABELS[vm];
    out.push({
      rule: 'memory-budget', severity: 'error',
      message: `The ${name} has ${board.vms[vm].memoryMiB} MiB of RAM, but its kernel needs ${b.kernelMiB} MiB of it `
        + `(${b.kernelReservedMiB} MiB reserved at boot for its image and reserved regions, ${b.kernelRuntimeMiB} MiB at run time) `
        + `and its services at least ${b.servicesMiB} MiB, so it cannot boot. Give the ${name} at least ${b.vmMinMiB} MiB.`,
    });
  }
  return out;
}

function firewallRule(board: Board): Finding[] {
  if (board.firewall?.enforce !== false) return [];
  const p = profile(board.soc);
  // The IOMMU translates its masters' addresses whatever the firewall does: those stay confined
  // (on a SoC that has one: elsewhere "iommu" is the iommu-unavailable error, and confines nothing).
  const iommu = !p.iommu ? [] : board.components
    .filter((c) => c.domain !== null && isBusMaster(c.kind) && (c.dmaProtection ?? defaultDmaProtection(c.kind)) === 'iommu')
    .map((c) => c.id).sort();
  return [{
    rule: 'firewall-disabled', severity: 'warning',
    message: `The hardware firewall is not enforced, so every bus master ${iommu.length ? 'not behind the IOMMU ' : ''}(DMA engines and bus-master peripherals) `
      + 'reaches all memory and registers, and so does the real-time core; '
      + (iommu.length ? `${iommu.join(', ')} ${iommu.length === 1 ? 'stays' : 'stay'} confined by the IOMMU, which does not depend on the firewall; ` : '')
      + (p.cpuIsolation === 'stage-2'
        ? `the VMs' CPUs stay confined by stage-2 translation on the ${p.cores.applicationName}. `
        : `on ${p.name} the firewall is the only wall, so the VMs' CPUs get through too. `)
      + 'Turn firewall enforcement on.',
  }];
}

/**
 * The system VM's own hang is caught only by a hardware watchdog it kicks (the engine's hang, and
 * watchdogd, need one assigned to it); the application VM's hangs are the system VM's to catch.
 * Told once the system VM has blocks of its own: a board that gives it none is not set up yet.
 */
function watchdogRule(board: Board): Finding[] {
  if (!board.components.some((c) => c.domain === 'system') || instanceCount(profile(board.soc), 'watchdog') === 0) return [];
  if (systemWatchdogOf(board)) return [];
  const elsewhere = board.components.find((c) => c.kind === 'watchdog');
  const why = 'so if the system VM hangs nothing resets it: its watchdogd is not started, and a hang lasts until the board is powered off.';
  return [{
    rule: 'no-system-watchdog', severity: 'warning',
    ...(elsewhere
      ? { component: elsewhere.id, message: `No hardware watchdog is assigned to the System VM (${elsewhere.id} is ${placement(elsewhere.domain)}), ${why} Assign ${elsewhere.id} to the System VM.` }
      : { message: `No hardware watchdog is assigned to the System VM, ${why} Place a Watchdog and assign it to the System VM.` }),
  }];
}

/** All diagnostics of a board, errors first, in a deterministic order. */
export function check(board: Board): Diagnostic[] {
  const p = profile(board.soc);
  const seen = new Map<ComponentKind, number>();
  const all: Finding[] = [
    ...board.components.flatMap((c) => componentRules(c, p, seen)),
    ...pinConflicts(board, p),
    ...networkAndSharing(board),
    ...memoryRule(board),
    ...scheduleRule(board),
    ...firewallRule(board),
    ...watchdogRule(board),
  ];
  return [...all.filter((d) => d.severity === 'error'), ...all.filter((d) => d.severity === 'warning')].map(classify);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

// Small pure edits of a board, shared by the editor and the engine. Every
// function returns a new board and never mutates its input, so undo/redo can
// keep old boards as they are.

import { KINDS, defaultDmaProtection, isBusMaster } from './catalog.ts';
import { memoryBudget } from './memory.ts';
import { allowedDomains, instanceCount, profile } from './profiles.ts';
import type {
  Board, Component, ComponentKind, Domain, DmaProtection, RefreshPolicy, SocId, VmSettings,
} from './types.ts';

export const BOARD_FORMAT = 'isolation-lab/board' as const;
export const BOARD_VERSION = 1 as const;
export const DEFAULT_SOC: SocId = 'iot-a7m4';
export const COMPONENT_ID_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;
/**
 * Names the engine and its consoles already use for memory regions and VMs
 * (`peek system-ram`, `vmm refresh app`): a component with one of these ids
 * would be mistaken for them, so board files refuse them.
 */
export const RESERVED_COMPONENT_IDS: readonly string[] = [
  'system-ram', 'app-ram', 'rt-ram', 'mailbox', 'pv-buffers', 'system', 'app', 'rt', 'shared',
];

/** A fresh board on a SoC with no components and VM memory that fits. */
export function emptyBoard(soc: SocId = DEFAULT_SOC): Board {
  const p = profile(soc);
  return {
    format: BOARD_FORMAT,
    version: BOARD_VERSION,
    name: `New ${p.name} board`,
    soc,
    components: [],
    vms: {
      system: { memoryMiB: p.defaultVmMemoryMiB.system },
      app: { memoryMiB: p.defaultVmMemoryMiB.app },
    },
    firewall: { enforce: true },
  };
}

/** Short id prefixes; a kind not listed uses its own name. */
const ID_PREFIX: Partial<Record<ComponentKind, string>> = {
  'usb-host': 'usb',
  'security-processor': 'sec',
  'crypto-accelerator': 'crypto',
  'sensor-imu': 'imu',
  sdcard: 'sd',
  watchdog: 'wdt',
  display: 'disp',
  camera: 'cam',
  bluetooth: 'bt',
  cellular: 'modem',
  ethernet: 'eth',
};

/** The id prefix for a kind ("uart", "sec", "usb"). */
export function idPrefix(kind: ComponentKind): string {
  return ID_PREFIX[kind] ?? kind;
}

/** The first free id for a new component of this kind: "uart0", "uart1", … */
export function nextComponentId(board: Board, kind: ComponentKind): string {
  const used = new Set(board.components.map((c) => c.id));
  const prefix = idPrefix(kind);
  for (let n = 0; ; n++) {
    const id = `${prefix}${n}`;
    if (!used.has(id)) return id;
  }
}

/** The hardware watchdog assigned to the system VM, if any: the only thing that resets a hung system VM. */
export function systemWatchdogOf(board: Board): Component | undefined {
  return board.components.find((c) => c.kind === 'watchdog' && c.domain === 'system');
}

export function findComponent(board: Board, id: string): Component | undefined {
  return board.components.find((c) => c.id === id);
}

/** Adds the component, or replaces the one with the same id (keeping its place). */
export function withComponent(board: Board, component: Component): Board {
  const copy = { ...component };
  if (!isBusMaster(copy.kind)) delete copy.dmaProtection;
  const at = board.components.findIndex((c) => c.id === copy.id);
  const components = at < 0
    ? [...board.components, copy]
    : board.components.map((c, i) => (i === at ? copy : c));
  return { ...board, components };
}

/**
 * Places a new component of `kind` with a fresh id. A DMA engine starts with
 * `dmaProtection: "none"`: the participant decides how to contain it. Other
 * bus masters start with their own firewall identity, as the SoC assigns them.
 */
export function addComponent(
  board: Board, kind: ComponentKind, domain: Domain | null = null,
): { board: Board; id: string } {
  const id = nextComponentId(board, kind);
  const component: Component = isBusMaster(kind)
    ? { id, kind, domain, dmaProtection: defaultDmaProtection(kind) }
    : { id, kind, domain };
  return { board: withComponent(board, component), id };
}

function updateComponent(board: Board, id: string, f: (c: Component) => Component): Board {
  if (!findComponent(board, id)) return board;
  return { ...board, components: board.components.map((c) => (c.id === id ? f(c) : c)) };
}

export function assignDomain(board: Board, id: string, domain: Domain | null): Board {
  return updateComponent(board, id, (c) => ({ ...c, domain }));
}

/** Removes the component and its editor position. */
export function removeComponent(board: Board, id: string): Board {
  if (!findComponent(board, id)) return board;
  const next: Board = { ...board, components: board.components.filter((c) => c.id !== id) };
  if (board.layout && id in board.layout) {
    const layout = { ...board.layout };
    delete layout[id];
    next.layout = layout;
  }
  return next;
}

/** Sets how a bus master is contained; ignored for kinds that do not master the bus. */
export function setDmaProtection(board: Board, id: string, protection: DmaProtection): Board {
  return updateComponent(board, id, (c) => (isBusMaster(c.kind) ? { ...c, dmaProtection: protection } : c));
}

export function setVmMemory(board: Board, vm: 'system' | 'app', memoryMiB: number): Board {
  const settings: VmSettings = { ...board.vms[vm], memoryMiB };
  return { ...board, vms: { ...board.vms, [vm]: settings } };
}

/** How often the security monitor measures the application VM when the board does not say. */
export const DEFAULT_MEASURE_SECONDS = 10;

/** A VM's refresh policy with CONTRACT §1's defaults filled in. */
export function refreshPolicyOf(board: Board, vm: 'system' | 'app'): Required<RefreshPolicy> {
  const r = board.vms[vm].refresh;
  return {
    everySeconds: r?.everySeconds ?? null, onCrash: r?.onCrash ?? true, onCompromise: r?.onCompromise ?? true,
    measureEverySeconds: r?.measureEverySeconds ?? DEFAULT_MEASURE_SECONDS, parts: r?.parts ?? [],
  };
}

export function setRefreshPolicy(board: Board, vm: 'system' | 'app', refresh: RefreshPolicy | undefined): Board {
  const settings: VmSettings = { ...board.vms[vm] };
  if (refresh === undefined) delete settings.refresh;
  else settings.refresh = { ...refresh };
  return { ...board, vms: { ...board.vms, [vm]: settings } };
}

/** The application VM's hot spare on or off (absent means off). */
export function setHotSpare(board: Board, on: boolean): Board {
  const settings: VmSettings = { ...board.vms.app };
  if (on) settings.hotSpare = true;
  else delete settings.hotSpare;
  return { ...board, vms: { ...board.vms, app: settings } };
}

export function setFirewallEnforce(board: Board, enforce: boolean): Board {
  return { ...board, firewall: { ...board.firewall, enforce } };
}

export function setName(board: Board, name: string): Board {
  return { ...board, name };
}

export function setPosition(board: Board, id: string, x: number, y: number): Board {
  return { ...board, layout: { ...board.layout, [id]: { x, y } } };
}

/** What switchProfile changed: a component removed, unassigned, or a setting changed. */
export interface ProfileSwitchReport {
  /** The component id, or "vms" for the VM memory settings. */
  id: string;
  reason: string;
  action: 'removed' | 'unassigned' | 'changed';
}

/**
 * Moves the board to another SoC, keeping what fits. Components of a kind the
 * new SoC lacks, or beyond its instance count, are removed; an assignment the
 * new SoC forbids is unassigned; `"iommu"` protection on a SoC without an
 * IOMMU becomes `"firewall-id"`; VM memory that no longer fits (more than the
 * new SoC's RAM, or a VM too small for its kernel) is reset to the new SoC's
 * defaults. Every change is reported.
 */
export function switchProfile(board: Board, soc: SocId): { board: Board; dropped: ProfileSwitchReport[] } {
  const p = profile(soc);
  const dropped: ProfileSwitchReport[] = [];
  const counts = new Map<ComponentKind, number>();
  const components: Component[] = [];
  for (const c of board.components) {
    const name = KINDS[c.kind].name;
    const have = instanceCount(p, c.kind);
    if (have === 0) {
      dropped.push({ id: c.id, action: 'removed', reason: `${p.name} has no ${name}.` });
      continue;
    }
    const n = (counts.get(c.kind) ?? 0) + 1;
    if (n > have) {
      dropped.push({
        id: c.id, action: 'removed',
        reason: `${p.name} has only ${have} ${name} instance${have === 1 ? '' : 's'}.`,
      });
      continue;
    }
    counts.set(c.kind, n);
    let next: Component = { ...c };
    if (c.domain !== null && !allowedDomains(p, c.kind).includes(c.domain)) {
      dropped.push({
        id: c.id, action: 'unassigned',
        reason: `${p.name} does not allow a ${name} in domain "${c.domain}"; it is now unassigned.`,
      });
      next = { ...next, domain: null };
    }
    if (isBusMaster(c.kind) && c.dmaProtection === 'iommu' && !p.iommu) {
      dropped.push({
        id: c.id, action: 'changed',
        reason: `${p.name} has no IOMMU; the bus master now gets its own firewall identity instead.`,
      });
      next = { ...next, dmaProtection: 'firewall-id' };
    }
    components.push(next);
  }
  const next: Board = { ...board, soc, components };
  if (board.layout) {
    const keep = new Set(components.map((c) => c.id));
    next.layout = Object.fromEntries(Object.entries(board.layout).filter(([id]) => keep.has(id)));
  }
  const budget = memoryBudget(next);
  if (!budget.fits) {
    next.vms = {
      system: { ...board.vms.system, memoryMiB: p.defaultVmMemoryMiB.system },
      app: { ...board.vms.app, memoryMiB: p.defaultVmMemoryMiB.app },
    };
    dropped.push({
      id: 'vms', action: 'changed',
      // Too much for the RAM, or a VM too small for this SoC's kernel, which lives inside each VM.
      reason: (budget.totalMiB > budget.ramMiB
        ? `The VM memory did not fit in ${p.name}'s ${p.ramMiB} MiB; `
        : `The VM memory was too small for ${p.name}: each Linux VM needs at least ${budget.vmMinMiB} MiB, ${budget.kernelMiB} MiB for its kernel and ${budget.servicesMiB} MiB for its services; `)
        + `it was reset to ${p.defaultVmMemoryMiB.system} MiB (system) and ${p.defaultVmMemoryMiB.app} MiB (application).`,
    });
  }
  return { board: next, dropped };
}

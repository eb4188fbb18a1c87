// The engine's public vocabulary: what the worker, the CLI and tests see.

import { DOMAIN_LABELS } from '../model/catalog.ts';

export type VmId = 'system' | 'app' | 'rt';
export const VM_IDS: readonly VmId[] = ['system', 'app', 'rt'];

/** Each environment is named like its domain on the diagram (CONTRACT §7). */
export const VM_NAMES: Record<VmId, string> = {
  system: DOMAIN_LABELS.system,
  app: DOMAIN_LABELS.app,
  rt: DOMAIN_LABELS.rt,
};

/** Every event type the engine raises (docs/events.md describes each). */
export const EVENT_TYPES = [
  'vm.boot', 'vm.stop', 'vm.crash', 'vm.refresh', 'vm.hang', 'vm.pause', 'vm.resume', 'vm.compromise',
  'firewall.deny', 'stage2.fault', 'cpu.escape', 'integrity.violation', 'power.refused',
  'dma.escape', 'dma.blocked', 'iommu.fault', 'net.blocked', 'vsock.request', 'storage.timeout', 'net.exfiltrated',
  'update.applied', 'update.rejected', 'update.boot-attempt', 'update.rollback', 'data.quarantined', 'app.quarantined',
  'app.launch', 'app.timeout', 'app.exit', 'app.oom', 'app.rejected', 'emu.call', 'emu.fault',
] as const;

/** One engine event (CONTRACT §5). `message` explains it in one sentence. */
export interface SimEvent {
  /** Simulated time in ms. */
  t: number;
  type: string;
  vm?: VmId;
  message: string;
  /** Component ids (and memory regions like "system-ram") the event involves, for the diagram. */
  involves?: string[];
  /** Number of the bus transaction this event is about, when it is about one (`trace <n>`). */
  txn?: number;
  [detail: string]: unknown;
}

/** Text a guest wrote to its console (terminal text, lines end in "\r\n"). */
export interface ConsoleChunk {
  vm: VmId;
  text: string;
}

export type VmState = 'off' | 'booting' | 'running' | 'paused' | 'crashed' | 'hung' | 'stopped';

export interface VmStatus {
  vm: VmId;
  name: string;
  state: VmState;
  memoryMiB: number;
  /** Simulated ms since the last boot, 0 when not running. */
  uptimeMs: number;
  compromised: boolean;
}

/** One bus access as the firewall saw it, for the diagram's access flashes. */
export interface AccessRecord {
  t: number;
  master: string;
  target: string;
  op: 'read' | 'write';
  allowed: boolean;
  rule: string;
  /** Its transaction number (`trace <n>`). */
  txn: number;
  /** An allowed write into another environment's memory or registers. */
  escape?: true;
}

/** A stage on the bus path: a CPU's stage-2 tables, the firewall, or the IOMMU. */
export type StageKind = 'stage-2' | 'firewall' | 'iommu';

export interface TxnStage {
  stage: StageKind;
  verdict: 'allow' | 'deny';
  /** The rule that decided at this stage. */
  rule: string;
}

/**
 * One bus transaction (docs/hardware.md): who mastered the bus, what it did,
 * every stage it passed and the outcome. `decidedBy` is the stage that denied
 * it, or the last stage it passed when it reached its target.
 */
export interface Transaction {
  n: number;
  t: number;
  /** cpu:system | cpu:app | cpu:rt | dma:<component id> */
  master: string;
  op: 'read' | 'write';
  /** A memory region or a component id (its registers). */
  target: string;
  /** Physical address (for an IOMMU master: the address after translation, or the I/O address that faulted). */
  address: number;
  stages: readonly TxnStage[];
  allowed: boolean;
  decidedBy: StageKind;
  /** The deciding rule. */
  rule: string;
  /** An allowed write that landed in another environment's memory or registers (a VM escape). */
  escape?: true;
  /** Background traffic (heartbeats, paravirtual I/O) rather than something a console or an attack did. */
  background?: true;
}

/** Everything the engine produced since the last drain. */
export interface SimOutput {
  console: ConsoleChunk[];
  events: SimEvent[];
  accesses: AccessRecord[];
  /** Bus transactions since the last drain, oldest first (the trace view). */
  transactions: Transaction[];
}

/**
 * What a pause does. A VM's virtual CPUs are no longer scheduled by the hypervisor. The real-time
 * core has no hypervisor above it: the system VM halts it through its debug port (DHCSR.C_HALT,
 * Armv7-M/Armv6-M debug), and its control loop stops with it.
 */
export function pauseHow(vm: VmId): string {
  return vm === 'rt'
    ? 'its core is halted through its debug port (DHCSR C_HALT), its memory and registers kept; its control loop stops meanwhile'
    : 'its virtual CPUs are no longer scheduled, its memory and state are kept';
}

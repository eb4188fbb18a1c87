// The memory budget (DOMAIN.md §1): one model for the diagnostics and the
// guests' `free`. A VM's memoryMiB is the RAM the VMM gives it, and its
// kernel lives inside that RAM, as on Linux: at boot the kernel reserves its
// image and reserved regions (the memblock reservations), so MemTotal is the
// RAM less that reservation, and at run time it keeps more for itself (slab,
// page tables, stacks), which `free` counts as used
// (Documentation/filesystems/proc.rst, MemTotal: "Total usable RAM (i.e.
// physical RAM minus a few reserved bits and the kernel binary code)").
//
// The budget is then two questions: do the VMs' RAM (system + application +
// hot spare + the real-time container's window) fit in the SoC's RAM, and is
// each Linux VM big enough for its kernel and the smallest build of its
// services?

import { profile } from './profiles.ts';
import type { Board, SocProfile } from './types.ts';

export type LinuxVm = 'system' | 'app';

/**
 * The smallest build of a VM's services (init, a shell and the VM's daemons,
 * each scaled down to whole pages) needs this much RAM besides its kernel.
 */
export const SERVICES_MIN_MIB = 1;

/** What a Linux VM's kernel reserves at boot (its image and reserved regions): half of the profile's kernel need. */
export function kernelReservedMiB(p: SocProfile): number {
  return p.kernelOverheadMiB / 2;
}

/** What a Linux VM's kernel keeps at run time (slab, page tables, stacks): the rest of the profile's kernel need. */
export function kernelRuntimeMiB(p: SocProfile): number {
  return p.kernelOverheadMiB - kernelReservedMiB(p);
}

/** The smallest RAM a Linux VM boots in on this SoC: its kernel's need and the smallest build of its services. */
export function vmMinMiB(p: SocProfile): number {
  return p.kernelOverheadMiB + SERVICES_MIN_MIB;
}

/** One Linux VM's memory as its kernel sees it, KiB. */
export interface VmMemory {
  /** The RAM the VMM gives the VM (its memoryMiB). */
  ramKiB: number;
  /** Reserved at boot for the kernel's image and reserved regions: not part of MemTotal. */
  reservedKiB: number;
  /** MemTotal: the RAM less the boot reservation; `free`'s total. */
  totalKiB: number;
  /** The kernel's run-time memory: part of `free`'s used, with the processes' resident memory. */
  kernelKiB: number;
}

export function vmMemory(board: Pick<Board, 'soc' | 'vms'>, vm: LinuxVm): VmMemory {
  const p = profile(board.soc);
  const ramKiB = board.vms[vm].memoryMiB * 1024;
  const reservedKiB = Math.min(ramKiB, kernelReservedMiB(p) * 1024);
  return { ramKiB, reservedKiB, totalKiB: ramKiB - reservedKiB, kernelKiB: kernelRuntimeMiB(p) * 1024 };
}

export interface MemoryBudget {
  ramMiB: number;
  systemMiB: number;
  appMiB: number;
  /**
   * The real-time container's memory window, counted only when a component is
   * assigned to `rt` (otherwise the container is not started). Its RTOS runs
   * inside that window.
   */
  rtMiB: number;
  /** The application VM's hot spare: a second instance of the same size, with its own kernel inside, when the board keeps one. */
  spareMiB: number;
  /** The VMs' RAM: system + application + hot spare + real-time window. Each kernel is inside its VM's RAM. */
  totalMiB: number;
  /** RAM left over (negative when over the SoC's RAM). */
  freeMiB: number;
  /** What each Linux VM's kernel needs inside its RAM: the boot reservation and the minimum run-time memory. */
  kernelMiB: number;
  kernelReservedMiB: number;
  kernelRuntimeMiB: number;
  /** The smallest build of a VM's services. */
  servicesMiB: number;
  /** The smallest RAM a Linux VM boots in: kernelMiB + servicesMiB. */
  vmMinMiB: number;
  /** The Linux VMs given less than vmMinMiB. */
  tooSmall: LinuxVm[];
  /** The VMs fit in the SoC's RAM and each is big enough for its kernel. */
  fits: boolean;
}

export function memoryBudget(board: Board): MemoryBudget {
  const p = profile(board.soc);
  const systemMiB = board.vms.system.memoryMiB;
  const appMiB = board.vms.app.memoryMiB;
  const rtMiB = board.components.some((c) => c.domain === 'rt') ? p.realtimeMemoryMiB : 0;
  const spareMiB = board.vms.app.hotSpare ? appMiB : 0;
  const totalMiB = systemMiB + appMiB + spareMiB + rtMiB;
  const min = vmMinMiB(p);
  const tooSmall = (['system', 'app'] as const).filter((vm) => board.vms[vm].memoryMiB < min);
  return {
    ramMiB: p.ramMiB, systemMiB, appMiB, rtMiB, spareMiB, totalMiB,
    freeMiB: p.ramMiB - totalMiB,
    kernelMiB: p.kernelOverheadMiB, kernelReservedMiB: kernelReservedMiB(p), kernelRuntimeMiB: kernelRuntimeMiB(p),
    servicesMiB: SERVICES_MIN_MIB, vmMinMiB: min, tooSmall,
    fits: totalMiB <= p.ramMiB && tooSmall.length === 0,
  };
}

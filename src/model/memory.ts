// The memory budget (DOMAIN.md §1): two kernels cost RAM, and on a small SoC
// the system VM, the application VM and the real-time container must all fit.

import { profile } from './profiles.ts';
import type { Board } from './types.ts';

export interface MemoryBudget {
  ramMiB: number;
  systemMiB: number;
  appMiB: number;
  /**
   * The real-time container's memory window, counted only when a component is
   * assigned to `rt` (otherwise the container is not started).
   */
  rtMiB: number;
  /** The application VM's hot spare: a second instance of the same size, when the board keeps one. */
  spareMiB: number;
  /**
   * One kernel per VM: the system VM and the application VM. The real-time
   * container's RTOS runs inside its own memory window, so it adds no kernel share.
   */
  kernelMiB: number;
  totalMiB: number;
  /** RAM left over (negative when over budget). */
  freeMiB: number;
  fits: boolean;
}

export function memoryBudget(board: Board): MemoryBudget {
  const p = profile(board.soc);
  const systemMiB = board.vms.system.memoryMiB;
  const appMiB = board.vms.app.memoryMiB;
  const rtMiB = board.components.some((c) => c.domain === 'rt') ? p.realtimeMemoryMiB : 0;
  const spareMiB = board.vms.app.hotSpare ? appMiB : 0;
  // The spare runs its own kernel too.
  const kernelMiB = (spareMiB ? 3 : 2) * p.kernelOverheadMiB;
  const totalMiB = systemMiB + appMiB + spareMiB + rtMiB + kernelMiB;
  return {
    ramMiB: p.ramMiB, systemMiB, appMiB, rtMiB, spareMiB, kernelMiB, totalMiB,
    freeMiB: p.ramMiB - totalMiB,
    fits: totalMiB <= p.ramMiB,
  };
}

// "Takes effect at the next boot": the firewall tables, the domains and the
// memory map are set when the SoC boots, so an edit while powered on waits
// for "Apply & reboot" — and says so where it was made, for as long as it waits.
import type { Board } from '../../model/types.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';

/**
 * Shown while powered on when what `of` reads from the board differs from the board that is running.
 * Placed after its control, not in its label, so the control keeps its name.
 */
export function NextBoot({ of }: { of: (board: Board) => unknown }) {
  const running = useEngineStore((s) => s.runningBoard);
  const board = useBoardStore((s) => s.board);
  if (!running || JSON.stringify(of(running)) === JSON.stringify(of(board))) return null;
  return <span className="next-boot">takes effect at the next boot (Apply &amp; reboot)</span>;
}

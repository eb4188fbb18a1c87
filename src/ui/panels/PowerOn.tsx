// "Power on", which says before it is pressed why a board cannot boot: the
// hardware cannot do what a cannot-boot diagnostic describes (CONTRACT §3).
import { useMemo } from 'react';
import { bootBlockers } from '../../model/check.ts';
import { diagnosticsOf } from '../store/diagnostics.ts';
import type { Board } from '../../model/types.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardAfterPaint } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';
import { useLessonStore } from '../lessons/lessonStore.ts';
import { plural, refusalTooltip } from '../text/format.ts';
import '../diagram/trace.css';

/** The rules that keep `board` from powering on, or an empty list. */
export function blockersOf(board: Board) {
  return bootBlockers(diagnosticsOf(board));
}

export function PowerOnButton() {
  // Checked just after the frame that shows an edit: on a large board the check would hold up that
  // frame. For that frame the button says what it said before; the action checks the board itself.
  const board = useBoardAfterPaint();
  const powered = useEngineStore((s) => s.powered);
  const blockers = useMemo(() => blockersOf(board), [board]);
  const refused = blockers.length > 0;
  // A challenge that hides the diagnostics: neither the line nor the tooltip says what the problems are.
  const hidden = useLessonStore((s) => s.diagnosticsHidden);
  const refusal = `Cannot boot: ${plural(blockers.length, 'problem')}`;
  const them = blockers.length === 1 ? 'it' : 'them';
  const where = hidden ? ` — find ${them}, or press Show diagnostics in the lesson` : ` — fix ${them} in Diagnostics`;
  return (
    <span className="power-wrap">
      {refused && (
        // One short line, so the toolbar keeps its height and fits a laptop's width: what each problem
        // is, and how to fix it, is in Diagnostics (the first ones also in the button's tooltip).
        <span id="power-refusal" className="power-refusal" role="status" title={refusal + where}>
          {refusal}
          <span className="visually-hidden">{where}</span>
        </span>
      )}
      <button
        type="button"
        className="power"
        disabled={powered || refused}
        aria-describedby={refused ? 'power-refusal' : undefined}
        title={refused ? (hidden ? refusal + where : refusalTooltip(blockers.map((d) => d.message))) : 'Power on'}
        onClick={() => runAction('powerOn')}
      >
        Power on
      </button>
    </span>
  );
}

// Simulation controls, attacks and the blast-radius overlay.
import { useEffect, useMemo } from 'react';
import { runAction } from '../actions/registry.ts';
import { useBoardAfterPaint } from '../store/boardStore.ts';
import { engineControls, useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';
import { formatSimTime } from '../text/format.ts';
import { ATTACKS } from './attackButtons.ts';

/** Kept here too: other panels import the clock format from the simulation bar. */
export { formatSimTime };

const SPEEDS = [1, 10, 100];

function BlastRadius() {
  const board = useBoardAfterPaint();
  const { blastMaster, blastFirewallOff, set } = useUiStore();
  const dmas = useMemo(() => board.components.filter((c) => c.kind === 'dma'), [board]);

  useEffect(() => {
    let cancelled = false;
    if (!blastMaster) {
      set({ blastReach: [] });
      return;
    }
    const enforced = (board.firewall?.enforce ?? true) && !blastFirewallOff;
    void engineControls.blastRadius(board, blastMaster, enforced).then((reach) => {
      if (!cancelled) set({ blastReach: reach });
    });
    return () => {
      cancelled = true;
    };
  }, [board, blastMaster, blastFirewallOff, set]);

  return (
    <div className="group" role="group" aria-label="Blast radius">
      <label className="inline">
        <span>Blast radius of</span>
        <select value={blastMaster ?? ''} onChange={(e) => set({ blastMaster: e.target.value || null })}>
          <option value="">— nothing —</option>
          <option value="app">Application VM (compromised)</option>
          <option value="rt">Real-time container</option>
          <option value="system">System VM</option>
          {dmas.map((d) => (
            <option key={d.id} value={d.id}>
              DMA {d.id}
            </option>
          ))}
        </select>
      </label>
      <label className="inline checkbox">
        <input type="checkbox" checked={blastFirewallOff} onChange={(e) => set({ blastFirewallOff: e.target.checked })} />
        <span>if the firewall were off</span>
      </label>
    </div>
  );
}

/** The clock alone re-renders on every batch. */
function Clock() {
  const now = useEngineStore((s) => s.now);
  return (
    <span className="clock" role="timer" aria-label="Simulated time" title="Simulated time since power on">
      <span aria-hidden>◷ </span>
      {formatSimTime(now)}
    </span>
  );
}

export function SimBar() {
  // Narrow selectors: a worker batch (up to 60 a second) re-renders the bar only when what it shows changed.
  const powered = useEngineStore((s) => s.powered);
  const speed = useEngineStore((s) => s.speed);
  const resumeSpeed = useEngineStore((s) => s.resumeSpeed);
  const appState = useEngineStore((s) => s.status.find((x) => x.vm === 'app')?.state ?? 'off');
  const runningBoard = useEngineStore((s) => s.runningBoard);
  // The bar follows an edit just after the frame that shows it on the diagram.
  const board = useBoardAfterPaint();
  const stale = powered && runningBoard !== null && runningBoard !== board;

  return (
    <div className="simbar" role="toolbar" aria-label="Simulation">
      <Clock />
      <div className="group">
        {/* Run resumes at the speed chosen before the pause, which stays pressed meanwhile. */}
        <button type="button" disabled={!powered} title={speed === 0 ? `Run at ${resumeSpeed}×` : undefined} onClick={() => runAction('setSpeed', speed === 0 ? resumeSpeed : 0)}>
          {speed === 0 ? 'Run' : 'Pause'}
        </button>
        {SPEEDS.map((s) => (
          <button key={s} type="button" disabled={!powered} aria-pressed={(speed || resumeSpeed) === s} onClick={() => runAction('setSpeed', s)}>
            {s}×
          </button>
        ))}
        <button type="button" disabled={!powered} onClick={() => runAction('step', 100)} title="Advance simulated time by 100 ms">
          Step
        </button>
        <button type="button" disabled={!powered} onClick={() => runAction('skipToNextEvent')} title="Run simulated time up to the next event on the timeline (at most a day ahead)">
          Skip to next event
        </button>
      </div>
      {/* Every button attacks the application VM, whichever console is shown: the label says so. */}
      <div className="group" role="group" aria-label="Attacks on the application VM">
        <span className="muted">Attack the application VM:</span>
        {ATTACKS.map((a) => (
          <button
            key={a.name}
            type="button"
            className="attack"
            disabled={appState !== 'running'}
            title={appState === 'running' ? a.title : `${a.title} — needs the application VM running (it is ${appState})`}
            onClick={() => runAction('attack', { name: a.name, vm: 'app' })}
          >
            {a.label}
          </button>
        ))}
      </div>
      <BlastRadius />
      {stale && (
        <button type="button" className="warn" onClick={() => runAction('restart')} title="The board changed since power on">
          Board changed — apply &amp; reboot
        </button>
      )}
    </div>
  );
}

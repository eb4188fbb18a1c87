// When the engine worker dies or hangs: what happened, and one click to start again with the same board.
import { useEngineStore, engineControls } from '../store/engineStore.ts';

export function EngineNotice() {
  const failure = useEngineStore((s) => s.failure);
  if (!failure) return null;
  return (
    <div className="notice notice-error engine-failure" role="alert">
      <span>
        The simulation stopped — {failure.reason}. Your board is safe.{' '}
        {failure.board ? 'Restart boots the same board again from power-on.' : 'Restart starts a new engine.'}
      </span>
      <button type="button" className="engine-restart" onClick={() => void engineControls.restartEngine()}>
        Restart
      </button>
      <button type="button" aria-label="Dismiss" onClick={engineControls.dismissFailure}>×</button>
    </div>
  );
}

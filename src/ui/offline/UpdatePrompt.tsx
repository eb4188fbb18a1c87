// "Update available": shown when a newer build of the page is installed and waiting.
import { applyUpdate, useOfflineStore } from './register.ts';

export function UpdatePrompt() {
  const waiting = useOfflineStore((s) => s.waiting);
  const dismissed = useOfflineStore((s) => s.dismissed);
  if (!waiting || dismissed) return null;
  return (
    <div className="notice update" role="status">
      <span>An update of Isolation Lab is available. Reloading keeps your board; a running simulation starts again.</span>
      <button type="button" onClick={applyUpdate}>Reload to update</button>
      <button type="button" onClick={() => useOfflineStore.setState({ dismissed: true })}>Later</button>
    </div>
  );
}

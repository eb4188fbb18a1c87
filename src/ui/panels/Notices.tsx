// What just happened, or what went wrong and how to fix it. Always plain text.
import { useNoticeStore } from '../store/noticeStore.ts';
import { EngineNotice } from './EngineNotice.tsx';

export function Notices() {
  const { notices, dismiss } = useNoticeStore();
  // While someone points at a notice or tabs to its button, it waits for them.
  const hold = (held: boolean) => () => useNoticeStore.setState({ held });
  return (
    <div className="notices" role="status" aria-live="polite" onPointerEnter={hold(true)} onPointerLeave={hold(false)} onFocus={hold(true)} onBlur={hold(false)}>
      <EngineNotice />
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : undefined}>
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>×</button>
        </div>
      ))}
    </div>
  );
}

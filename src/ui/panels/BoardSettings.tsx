// VM memory and the hardware firewall switch.
import { useState } from 'react';
import { useBoardStore } from '../store/boardStore.ts';
import { runAction } from '../actions/registry.ts';
import { notify } from '../store/noticeStore.ts';

const MAX_MIB = 4096;

/** Edits a draft; the board changes (one undo step) on Enter or when the field loses focus. */
function MemoryInput({ vm, label }: { vm: 'system' | 'app'; label: string }) {
  const value = useBoardStore((s) => s.board.vms[vm].memoryMiB);
  const [draft, setDraft] = useState<string | null>(null);
  function apply() {
    if (draft === null) return;
    setDraft(null);
    const n = Number(draft);
    if (!Number.isInteger(n) || n < 1 || n > MAX_MIB) {
      notify('error', `${label}: “${draft}” is not a whole number of MiB from 1 to ${MAX_MIB}; kept ${value} MiB.`);
      return;
    }
    if (n !== value) runAction('setVmMemory', { vm, memoryMiB: n });
  }
  return (
    <label className="field inline">
      <span>{label}</span>
      <input
        type="number"
        min={1}
        max={MAX_MIB}
        value={draft ?? value}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => {
          if (e.key === 'Enter') apply();
          if (e.key === 'Escape') setDraft(null);
        }}
      />
      <span className="muted">MiB</span>
    </label>
  );
}

export function BoardSettings() {
  const enforce = useBoardStore((s) => s.board.firewall?.enforce ?? true);
  return (
    <section className="settings" aria-label="Board settings">
      <MemoryInput vm="system" label="System VM memory" />
      <MemoryInput vm="app" label="Application VM memory" />
      <label className="field inline checkbox">
        <input type="checkbox" checked={enforce} onChange={(e) => runAction('setFirewallEnforce', e.target.checked)} />
        <span>Hardware firewall enforced</span>
      </label>
    </section>
  );
}

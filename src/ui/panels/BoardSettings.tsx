// VM memory and the hardware firewall switch.
import { useBoardStore } from '../store/boardStore.ts';
import { runAction } from '../actions/registry.ts';

function MemoryInput({ vm, label }: { vm: 'system' | 'app'; label: string }) {
  const value = useBoardStore((s) => s.board.vms[vm].memoryMiB);
  return (
    <label className="field inline">
      <span>{label}</span>
      <input
        type="number"
        min={1}
        max={4096}
        value={value}
        onChange={(e) => {
          const n = Math.round(Number(e.target.value));
          if (Number.isFinite(n) && n >= 1 && n <= 4096) runAction('setVmMemory', { vm, memoryMiB: n });
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

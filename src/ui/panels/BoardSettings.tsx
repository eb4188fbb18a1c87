// VM memory and the hardware firewall switch.
import { useState } from 'react';
import { refreshPolicyOf } from '../../model/board.ts';
import { MAX_MEMORY_MIB as MAX_MIB } from '../../model/boardFile.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { runAction } from '../actions/registry.ts';
import { cpuIsolationText, profile } from '../../model/profiles.ts';
import { NextBoot } from './NextBoot.tsx';
import '../diagram/trace.css';
import { notify } from '../store/noticeStore.ts';
import { SettledSelect } from './SettledSelect.tsx';


/** Edits a draft; the board changes (one undo step) on Enter or when the field loses focus. */
function MemoryInput({ vm, label }: { vm: 'system' | 'app'; label: string }) {
  const value = useBoardStore((s) => s.board.vms[vm].memoryMiB);
  const [draft, setDraft] = useState<string | null>(null);
  function apply() {
    if (draft === null) return;
    setDraft(null);
    const n = /^\s*\d+\s*$/.test(draft) ? Number(draft) : NaN;
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

const PERIODS: { seconds: number | null; label: string }[] = [
  { seconds: null, label: 'never' },
  { seconds: 60, label: 'every minute' },
  { seconds: 3600, label: 'every hour' },
  { seconds: 86400, label: 'every day' },
];

/** When the system VM refreshes the application VM from its master image (CONTRACT §1 defaults). */
function RefreshSettings() {
  const board = useBoardStore((s) => s.board);
  const policy = refreshPolicyOf(board, 'app');
  const custom = policy.everySeconds !== null && !PERIODS.some((p) => p.seconds === policy.everySeconds);
  return (
    <fieldset className="refresh">
      <legend>Refresh the application VM from its master image</legend>
      <label className="field inline">
        <span>On a schedule</span>
        <SettledSelect
          value={String(policy.everySeconds)}
          onCommit={(v) => runAction('setRefreshPolicy', { ...policy, everySeconds: v === 'null' ? null : Number(v) })}
        >
          {PERIODS.map((p) => (
            <option key={p.label} value={String(p.seconds)}>{p.label}</option>
          ))}
          {custom && <option value={String(policy.everySeconds)}>every {policy.everySeconds} s</option>}
        </SettledSelect>
      </label>
      <label className="field inline checkbox">
        <input type="checkbox" checked={policy.onCrash} onChange={(e) => runAction('setRefreshPolicy', { ...policy, onCrash: e.target.checked })} />
        <span>after a crash or out-of-memory (a hang is always caught by the watchdog)</span>
      </label>
      <label className="field inline checkbox">
        <input type="checkbox" checked={policy.onCompromise} onChange={(e) => runAction('setRefreshPolicy', { ...policy, onCompromise: e.target.checked })} />
        <span>when the security monitor finds it compromised</span>
      </label>
      <NextBoot />
    </fieldset>
  );
}

export function BoardSettings() {
  const enforce = useBoardStore((s) => s.board.firewall?.enforce ?? true);
  const soc = profile(useBoardStore((s) => s.board.soc));
  return (
    <section className="settings" aria-label="Board settings">
      <MemoryInput vm="system" label="System VM memory" />
      <MemoryInput vm="app" label="Application VM memory" />
      <NextBoot />
      <RefreshSettings />
      <label className="field inline checkbox">
        <input type="checkbox" checked={enforce} onChange={(e) => runAction('setFirewallEnforce', e.target.checked)} />
        <span>Hardware firewall enforced</span>
      </label>
      <NextBoot />
      <p className="cpu-isolation">
        CPU isolation on {soc.name}: {cpuIsolationText(soc)}.
        {!enforce && (soc.cpuIsolation === 'stage-2'
          ? ' With the firewall off, every bus master and the real-time core reach everything; the VMs\' CPUs stay confined by stage-2.'
          : ' With the firewall off, nothing separates the worlds: CPUs and bus masters reach everything.')}
      </p>
    </section>
  );
}

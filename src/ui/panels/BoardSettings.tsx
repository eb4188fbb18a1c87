// VM memory and the hardware firewall switch.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { refreshPolicyOf } from '../../model/board.ts';
import { MAX_MEMORY_MIB as MAX_MIB, MAX_PART_SCHEDULES } from '../../model/boardJson.ts';
import type { Component, PartSchedule, RefreshPolicy } from '../../model/types.ts';
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

const MEASURE: { seconds: number; label: string }[] = [
  { seconds: 10, label: 'every 10 s' },
  { seconds: 60, label: 'every minute' },
  { seconds: 600, label: 'every 10 minutes' },
];

/** Intervals offered for a part's own schedule: fixed, or drawn at random each time. */
const PART_INTERVALS: { key: string; label: string; schedule: Omit<PartSchedule, 'part'> }[] = [
  { key: 'm', label: 'every minute', schedule: { everySeconds: 60 } },
  { key: 'h', label: 'every hour', schedule: { everySeconds: 3600 } },
  { key: 'rm', label: 'at random, 1–10 minutes apart', schedule: { randomSeconds: [60, 600] } },
  { key: 'rh', label: 'at random, 1–24 hours apart', schedule: { randomSeconds: [3600, 86400] } },
];

/** The app packages every application VM image installs (src/sim's built-in apps). */
const APPS = ['browser', 'media-player'];

function describeSchedule(s: PartSchedule): string {
  // In the words of the choice that made it, where one did.
  const offered = PART_INTERVALS.find((i) => i.schedule.everySeconds === s.everySeconds && String(i.schedule.randomSeconds) === String(s.randomSeconds));
  if (offered) return offered.label;
  if (s.everySeconds !== undefined) return `every ${s.everySeconds} s`;
  if (s.randomSeconds) return `at random, ${s.randomSeconds[0]}–${s.randomSeconds[1]} s apart`;
  return 'no interval';
}

const driverLists = new WeakMap<Component[], string[]>();

/**
 * The blocks with a driver in the application VM (its own and the paravirtualized ones), sorted by id:
 * worked out once per list of components, though the store asks for it at every change of its state.
 */
function driversOf(components: Component[]): string[] {
  let ids = driverLists.get(components);
  if (!ids) driverLists.set(components, (ids = components.filter((c) => c.domain === 'app' || c.domain === 'shared').map((c) => c.id).sort()));
  return ids;
}

/** When the system VM refreshes the application VM from its master image (CONTRACT §1 defaults). */
function RefreshSettings() {
  // Only what this form shows, not the whole board: its part list holds an option per driver, and
  // drawing it again for every edit (an add, an undo) was part of what kept a large board's edit from showing.
  const vm = useBoardStore((s) => s.board.vms.app);
  const drivers = useBoardStore(useShallow((s) => driversOf(s.board.components)));
  const policy = refreshPolicyOf(useBoardStore.getState().board, 'app'); // reads only the VM's settings, subscribed to above
  const raw = vm.refresh ?? {};
  // Only what the board sets, plus the three keys this form always wrote: defaults stay out of the file.
  const update = (change: RefreshPolicy) => runAction('setRefreshPolicy', {
    everySeconds: policy.everySeconds, onCrash: policy.onCrash, onCompromise: policy.onCompromise,
    ...(raw.measureEverySeconds !== undefined ? { measureEverySeconds: raw.measureEverySeconds } : {}),
    ...(raw.parts?.length ? { parts: raw.parts } : {}),
    ...change,
  });
  const custom = policy.everySeconds !== null && !PERIODS.some((p) => p.seconds === policy.everySeconds);
  const customMeasure = !MEASURE.some((m) => m.seconds === policy.measureEverySeconds);
  const parts = ['kernel', ...drivers.map((d) => `driver:${d}`), ...APPS.map((a) => `app:${a}`)];
  const [picked, setPart] = useState('kernel');
  // A part picked before its driver went (a component removed, another board) is not offered, so it is not added either.
  const part = parts.includes(picked) ? picked : 'kernel';
  const [interval, setPartInterval] = useState('rm');
  const spare = vm.hotSpare ?? false;
  return (
    <fieldset className="refresh">
      <legend>Refresh the application VM from its master image</legend>
      <label className="field inline">
        <span>On a schedule</span>
        <SettledSelect
          value={String(policy.everySeconds)}
          onCommit={(v) => update({ everySeconds: v === 'null' ? null : Number(v) })}
        >
          {PERIODS.map((p) => (
            <option key={p.label} value={String(p.seconds)}>{p.label}</option>
          ))}
          {custom && <option value={String(policy.everySeconds)}>every {policy.everySeconds} s</option>}
        </SettledSelect>
      </label>
      <label className="field inline checkbox">
        <input type="checkbox" checked={policy.onCrash} onChange={(e) => update({ onCrash: e.target.checked })} />
        <span>after a crash or out-of-memory (a hang is always caught by the watchdog)</span>
      </label>
      <label className="field inline checkbox">
        <input type="checkbox" checked={policy.onCompromise} onChange={(e) => update({ onCompromise: e.target.checked })} />
        <span>when the security monitor finds it compromised</span>
      </label>
      <label className="field inline">
        <span>Security monitor measures it</span>
        <SettledSelect value={String(policy.measureEverySeconds)} onCommit={(v) => update({ measureEverySeconds: Number(v) })}>
          {MEASURE.map((m) => <option key={m.seconds} value={String(m.seconds)}>{m.label}</option>)}
          {customMeasure && <option value={String(policy.measureEverySeconds)}>every {policy.measureEverySeconds} s</option>}
        </SettledSelect>
      </label>
      <div className="part-schedules" role="group" aria-label="Parts refreshed on their own">
        <span>Parts refreshed on their own</span>
        {policy.parts.length === 0 && <p className="muted">None: only whole-VM refreshes.</p>}
        <ul>
          {policy.parts.map((s, i) => (
            <li key={`${s.part}-${i}`}>
              <code>{s.part}</code> {describeSchedule(s)}{' '}
              <button type="button" aria-label={`Remove the schedule of ${s.part}`} onClick={() => update({ parts: policy.parts.filter((_, k) => k !== i) })}>Remove</button>
            </li>
          ))}
        </ul>
        <div className="field inline">
          <select aria-label="Part" value={part} onChange={(e) => setPart(e.target.value)}>
            {parts.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
          <select aria-label="Interval" value={interval} onChange={(e) => setPartInterval(e.target.value)}>
            {PART_INTERVALS.map((x) => <option key={x.key} value={x.key}>{x.label}</option>)}
          </select>
          <button
            type="button"
            disabled={policy.parts.length >= MAX_PART_SCHEDULES}
            onClick={() => update({ parts: [...policy.parts, { part, ...PART_INTERVALS.find((x) => x.key === interval)!.schedule }] })}
          >
            Add schedule
          </button>
        </div>
      </div>
      <label className="field inline checkbox">
        <input type="checkbox" checked={spare} onChange={(e) => runAction('setHotSpare', e.target.checked)} />
        <span>Hot spare: keep a second instance booted, so a refresh switches over with no downtime (for a crash or a hang, once the VMM notices; its memory counts twice)</span>
      </label>
      <NextBoot of={(b) => [b.vms.app.refresh, b.vms.app.hotSpare]} />
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
      <NextBoot of={(b) => [b.vms.system.memoryMiB, b.vms.app.memoryMiB]} />
      <RefreshSettings />
      <label className="field inline checkbox">
        <input type="checkbox" checked={enforce} onChange={(e) => runAction('setFirewallEnforce', e.target.checked)} />
        <span>Hardware firewall enforced</span>
      </label>
      <NextBoot of={(b) => b.firewall?.enforce ?? true} />
      <p className="cpu-isolation">
        CPU isolation on {soc.name}: {cpuIsolationText(soc)}.
        {!enforce && (soc.cpuIsolation === 'stage-2'
          ? ' With the firewall off, every bus master and the real-time core reach everything; the VMs\' CPUs stay confined by stage-2.'
          : ' With the firewall off, nothing separates the worlds: CPUs and bus masters reach everything.')}
      </p>
    </section>
  );
}

// Where three consoles side by side would be too narrow to read, one is shown at a time: these tabs
// choose which (each says its guest's state and whether it is compromised, as its console does, so
// a crash or a compromise in a hidden console is not missed).
import { VM_IDS, VM_NAMES, type VmId } from '../../sim/types.ts';
import { shownConsole } from '../layout.ts';
import { guestState, useEngineStore } from '../store/engineStore.ts';
import { useUiStore } from '../store/uiStore.ts';

function Tab({ vm }: { vm: VmId }) {
  const state = useEngineStore(guestState(vm));
  const compromised = useEngineStore((s) => s.status.find((x) => x.vm === vm)?.compromised ?? false);
  const selected = useUiStore((s) => shownConsole(s.wideConsole) === vm);
  return (
    <button
      type="button"
      role="tab"
      id={`console-tab-${vm}`}
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      onClick={() => useUiStore.getState().set({ wideConsole: vm })}
    >
      {VM_NAMES[vm]} <span className={`state state-${state}`}>{state}</span>
      {compromised && <span className="state state-crashed">compromised</span>}
    </button>
  );
}

export function ConsoleTabs() {
  return (
    <div
      className="console-tabs"
      role="tablist"
      aria-label="Consoles"
      onKeyDown={(e) => {
        // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
        const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
        if (!step) return;
        const i = VM_IDS.indexOf(shownConsole(useUiStore.getState().wideConsole));
        const next = VM_IDS[(i + step + VM_IDS.length) % VM_IDS.length]!;
        useUiStore.getState().set({ wideConsole: next });
        document.getElementById(`console-tab-${next}`)?.focus();
        e.preventDefault();
      }}
    >
      {VM_IDS.map((vm) => (
        <Tab key={vm} vm={vm} />
      ))}
    </div>
  );
}

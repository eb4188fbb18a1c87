// The top bar: the board (name, SoC, files, examples, history) and the power switch.
import { useEffect, useRef, useState } from 'react';
import { EXAMPLES } from '../../model/examples.ts';
import { PROFILES } from '../../model/profiles.ts';
import { SOC_IDS, type SocId } from '../../model/types.ts';
import { actions, isEnabled, runAction, type ActionName } from '../actions/registry.ts';
import { MAX_BOARD_FILE_BYTES, MAX_BOARD_FILE_CHARS, MAX_NAME_CHARS } from '../../model/boardJson.ts';
import { useBoardStore } from '../store/boardStore.ts';
import { useEngineStore } from '../store/engineStore.ts';
import { notify } from '../store/noticeStore.ts';
import { useLessonStore } from '../lessons/lessonStore.ts';
import { PowerOnButton } from './PowerOn.tsx';
import { SettledSelect } from './SettledSelect.tsx';


/**
 * Power on and Power off, one in place of the other: the keyboard focus on one moves to the other, so
 * a keyboard or screen-reader user pressing it does not land back at the top of the page.
 */
function PowerSwitch({ powered }: { powered: boolean }) {
  const wrap = useRef<HTMLSpanElement>(null);
  const hadFocus = useRef(false);
  useEffect(() => {
    const active = document.activeElement;
    if (hadFocus.current && (!active || active === document.body)) wrap.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, [powered]);
  return (
    <span
      ref={wrap}
      className="power-switch"
      onFocus={() => void (hadFocus.current = true)}
      // Focus that moves on to another control leaves the switch; a button taken away moves it nowhere.
      onBlur={(e) => void (hadFocus.current = e.relatedTarget === null && hadFocus.current)}
    >
      {powered ? <ActionButton name="powerOff" className="power on" /> : <PowerOnButton />}
    </span>
  );
}

function ActionButton({ name, className, expanded }: { name: ActionName; className?: string; expanded?: boolean }) {
  useBoardStore((s) => `${s.past.length}:${s.future.length}:${s.selectedId}`); // re-render when enabled state may change
  useEngineStore((s) => s.powered);
  const a = actions[name] as { label: string; shortcut?: string };
  return (
    <button
      type="button"
      className={className}
      aria-expanded={expanded}
      disabled={!isEnabled(name)}
      title={a.shortcut ? `${a.label} (${a.shortcut})` : a.label}
      onClick={() => runAction(name as never)}
    >
      {a.label}
    </button>
  );
}

/** Lessons opens and closes the list, and says which (the list is far from the button in the page). */
function LessonsButton() {
  const open = useLessonStore((s) => s.listOpen);
  return <ActionButton name="toggleLessonList" expanded={open} />;
}

function BoardName() {
  const name = useBoardStore((s) => s.board.name);
  const [draft, setDraft] = useState<string | null>(null);
  return (
    <input
      className="board-name"
      aria-label="Board name"
      // Typing stops at the limit, rather than a notice refusing the whole name after the fact.
      maxLength={MAX_NAME_CHARS}
      value={draft ?? name}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        if (draft !== null) runAction('renameBoard', draft);
        setDraft(null);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
        if (e.key === 'Escape') setDraft(null);
      }}
    />
  );
}

export function Toolbar() {
  const soc = useBoardStore((s) => s.board.soc);
  const powered = useEngineStore((s) => s.powered);
  const fileInput = useRef<HTMLInputElement>(null);

  async function importFile(file: File) {
    if (file.size > MAX_BOARD_FILE_BYTES) {
      notify('error', `${file.name} refused — it is ${(file.size / 1024 / 1024).toFixed(1)} MB, and a board file is at most ${MAX_BOARD_FILE_CHARS / 1_000_000} MB. Is it the right file? Your current board is unchanged.`);
      return;
    }
    runAction('importFile', { bytes: new Uint8Array(await file.arrayBuffer()), source: file.name });
  }

  return (
    <header className="toolbar">
      <h1 className="brand">
        <span className="logo" aria-hidden>◧</span> Isolation Lab
      </h1>
      <BoardName />
      <label className="inline">
        <span>SoC</span>
        <SettledSelect value={soc} onCommit={(v) => runAction('switchProfile', v as SocId)}>
          {SOC_IDS.map((id) => (
            <option key={id} value={id}>
              {id} — {PROFILES[id].ramMiB >= 1024 ? `${PROFILES[id].ramMiB / 1024} GiB` : `${PROFILES[id].ramMiB} MiB`}
            </option>
          ))}
        </SettledSelect>
      </label>
      <SettledSelect
        className="examples"
        aria-label="Examples"
        title="Open a ready-made board (arrow keys choose, Enter opens)"
        value=""
        commitOnBlur={false}
        onCommit={(v) => {
          if (v === 'new') runAction('newBoard');
          else if (v) runAction('loadExample', v);
        }}
      >
        <option value="">Examples…</option>
        <option value="new">New empty board</option>
        {EXAMPLES.map((ex) => (
          <option key={ex.id} value={ex.id}>
            {ex.title}
          </option>
        ))}
      </SettledSelect>
      <div className="group">
        <button type="button" onClick={() => fileInput.current?.click()} title="Import a .board.json file">
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Board file to import"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void importFile(f);
          }}
        />
        <ActionButton name="exportBoard" />
        <ActionButton name="copyShareLink" className="share" />
      </div>
      <LessonsButton />
      <div className="group">
        <ActionButton name="undo" />
        <ActionButton name="redo" />
      </div>
      <PowerSwitch powered={powered} />
    </header>
  );
}

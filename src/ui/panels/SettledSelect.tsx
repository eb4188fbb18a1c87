// A <select> that commits when the user settles on an option, not on every arrow key.
//
// On a focused, closed <select>, Chromium and Firefox change the value (and fire `change`) on each
// ArrowDown: a plain onChange would load a board or add an undo step per key press. Here a change
// made by a key is a draft; Enter (or leaving the field, where that is safe) commits it, Escape
// drops it. A choice made with the pointer in the open list commits at once.
import { useRef, useState, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange' | 'defaultValue'> & {
  ref?: Ref<HTMLSelectElement>;
  value: string;
  onCommit: (value: string) => void;
  /** Leaving the field commits the draft (true) or drops it (false: for actions such as loading a board). */
  commitOnBlur?: boolean;
  children: ReactNode;
};

export function SettledSelect({ value, onCommit, commitOnBlur = true, children, onKeyDown, onKeyUp, onBlur, ...rest }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  const byKey = useRef(false);
  const commit = (v: string) => {
    setDraft(null);
    if (v !== value) onCommit(v);
  };
  return (
    <select
      {...rest}
      value={draft ?? value}
      onKeyDown={(e) => {
        onKeyDown?.(e);
        if (e.key === 'Enter') {
          if (draft !== null) {
            e.preventDefault();
            commit(draft);
          }
        } else if (e.key === 'Escape') {
          if (draft !== null) e.stopPropagation();
          setDraft(null);
        } else byKey.current = true;
      }}
      onKeyUp={(e) => {
        onKeyUp?.(e);
        byKey.current = false;
      }}
      onChange={(e) => {
        if (byKey.current) setDraft(e.target.value);
        else commit(e.target.value);
      }}
      onBlur={(e) => {
        onBlur?.(e);
        byKey.current = false;
        if (draft === null) return;
        if (commitOnBlur) commit(draft);
        else setDraft(null);
      }}
    >
      {children}
    </select>
  );
}

// What a shell command gets to work with: the engine, the guest it runs in,
// and a way to print. Commands depend on this and on mechanisms, never on the
// shell that dispatches them.

import type { Engine } from '../engine.ts';
import type { Guest } from '../guest.ts';
import type { VmId } from '../types.ts';

export interface Shell {
  sim: Engine;
  guest: Guest;
  vm: VmId;
  /** Prints text (lines joined by "\n"; a trailing newline is added). */
  print(text: string): void;
  error(text: string): void;
}

/** One shell command (CONTRACT §6): a plain object in the registry. */
export interface CommandDef {
  name: string;
  /** The environments whose console has it. */
  where: 'all' | readonly VmId[];
  /** Its forms, separated by " | " (help prints each form on a line of its own). */
  usage: string;
  help: string;
  /** Where a console accepts other forms, or the command means something narrower there: what help shows in it. */
  helpIn?: Partial<Record<VmId, { usage: string; help: string }>>;
  run(sh: Shell, args: string[]): void;
}

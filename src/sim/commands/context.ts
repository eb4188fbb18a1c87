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
  /** The line ended in a lone '&' outside quotes, which the shell took off: run in the background (CommandDef.background). */
  background?: boolean;
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
  /**
   * The most operands it takes, where it takes no option: a line with more, or with an option, is
   * refused before the command runs (refuseExtra). Unset: the command reads its arguments itself.
   */
  operands?: number;
  /** It runs in the background when the line ends in a lone '&' (which it gets as its last argument). */
  background?: true;
  run(sh: Shell, args: string[]): void;
}

/**
 * Refuses, before a command does anything, what it was given beyond what it takes, in GNU tools'
 * words: an option ("invalid option -- 'z'", "unrecognized option '--zz'") or an operand past the
 * first `max` ("extra operand 'x'"), then the forms it takes. True when it refused: a typo such as
 * `attack crash --help` must not crash the VM, and `reboot now` must not read as a form of reboot.
 */
export function refuseExtra(sh: Shell, name: string, args: readonly string[], max: number, usage: string, numbers = false): boolean {
  // With `numbers`, a negative number is an operand the command refuses in its own words ("'-5' is not a whole number").
  const option = args.find((a) => a.length > 1 && a.startsWith('-') && !(numbers && /^-\d+$/.test(a)));
  const bad = option ?? (args.length > max ? args[max] : undefined);
  if (bad !== undefined) sh.error(`${name}: ${notTaken(bad)} — usage: ${usage}`);
  return bad !== undefined;
}

/** How GNU tools name an argument they do not take: "unrecognized option '--zz'", "invalid option -- 'z'", "extra operand 'x'". */
export function notTaken(arg: string): string {
  return arg.startsWith('--') ? `unrecognized option '${arg}'` : arg.length > 1 && arg.startsWith('-') ? `invalid option -- '${arg[1]}'` : `extra operand '${arg}'`;
}

// The Simulation facade (the worker, the CLI and tests use it): the engine
// with the shell's command registry plugged in.

import { Engine } from './engine.ts';
import type { Guest } from './guest.ts';
import { commandNames, runShellLine } from './shell.ts';

export { Engine, SYSTEM_RAM_MARKER, SYSTEM_MEASURE_MS, WATCHDOG_TIMEOUT_MS } from './engine.ts';
export type { OrderedOutput, RefreshReason, SimulationOptions } from './engine.ts';

export class Simulation extends Engine {
  runLine(guest: Guest, line: string): void {
    runShellLine(this, guest, line);
  }

  completions(guest: Guest, prefix: string): string[] {
    return commandNames(guest.id).filter((c) => c.startsWith(prefix));
  }
}

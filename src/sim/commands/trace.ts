// `trace last` / `trace <n>` (CONTRACT §6): a thin adapter over the bus's
// transaction record.

import type { CommandDef } from './context.ts';
import { TRACE_DEPTH } from '../hw/bus.ts';
import { traceLines } from '../hw/traceText.ts';

export const TRACE: CommandDef = {
  name: 'trace', where: 'all', usage: 'trace last | trace <n>', operands: 1,
  help: 'the stages of a recent bus transaction (numbers appear in denials, escapes and the timeline)',
  run: (sh, args) => {
    const which = args[0] ?? 'last';
    const bus = sh.sim.bus;
    if (which !== 'last' && !/^[0-9]+$/.test(which)) return sh.error(`trace: '${which}' is not a transaction number — trace last | trace <n>`);
    if (bus.total === 0) return sh.print('trace: no bus transaction yet');
    const n = which === 'last' ? undefined : Number(which);
    const txn = n === undefined ? bus.latest() : bus.find(n);
    if (!txn && n === undefined) return sh.print(`trace: the last ${Math.min(TRACE_DEPTH, bus.total)} transactions are all background traffic; trace <n> shows one of them`);
    if (!txn) {
      const oldest = Math.max(1, bus.total - TRACE_DEPTH + 1);
      if (n === 0) return sh.error(`trace: there is no transaction 0 — they are numbered from 1 (the latest is ${bus.total})`);
      return sh.error(n !== undefined && n > bus.total
        ? `trace: no transaction ${n} yet (the latest is ${bus.total})`
        : `trace: transaction ${n} is too old; the last ${TRACE_DEPTH} are kept (${oldest}–${bus.total})`);
    }
    sh.print(traceLines(txn).join('\n'));
  },
};

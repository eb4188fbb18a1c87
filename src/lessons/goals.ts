// Checking a step's goal: a pure function of the lab's state, with a reason
// in plain words when the goal is not met (the CLI prints it; the page shows
// what is still missing).

import { refreshPolicyOf } from '../model/board.ts';
import { domainLabel, kindInfo, PROTECTION_WORDS, withArticle } from '../model/catalog.ts';
import { bootBlockers, check } from '../model/check.ts';
import type { Diagnostic } from '../model/types.ts';
import { VM_NAMES } from '../sim/types.ts';
import type { EventFields, Goal, LabState } from './types.ts';

/** Errors of the "cannot boot" class (CONTRACT §3), as the model classes them. */
export function cannotBoot(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return bootBlockers(diagnostics);
}

export type GoalResult = { met: true } | { met: false; why: string };

const MET: GoalResult = { met: true };
const notMet = (why: string): GoalResult => ({ met: false, why });

function matches(event: LabState['events'][number], type: string, where: EventFields | undefined): boolean {
  if (event.type !== type) return false;
  // A detail that is a list (vm.refresh's dataKept) matches when it holds the value.
  return Object.entries(where ?? {}).every(([k, v]) => {
    const field = event[k];
    return Array.isArray(field) ? field.includes(v) : field === v;
  });
}

const REFRESH_REASONS: Record<string, string> = {
  compromise: ' after a compromise', crash: ' after a crash', hang: ' after a hang', schedule: ' on its schedule', manual: ' by hand (vmm refresh)',
};
/** An emu.fault kind: [has … yet, what happened]. */
const EMU_FAULTS: Record<string, [string, string]> = {
  efault: ['got EFAULT', 'got EFAULT'], signal: ['been stopped by a signal', 'was stopped by a signal'], budget: ['run out of its step budget', 'ran out of its step budget'],
};

/**
 * An event goal in words, for someone in their first hour: what has not
 * happened yet (`event`), and what happened that should not have (`no-event`).
 * The built-in lessons' event types have sentences of their own; any other
 * type falls back to its name and fields.
 */
export function describeEvent(type: string, where: EventFields | undefined): { notYet: string; happened: string } {
  const w = where ?? {};
  const str = (k: string) => (w[k] === undefined ? undefined : String(w[k]));
  const vm = str('vm');
  const vmName = vm && Object.hasOwn(VM_NAMES, vm) ? `the ${VM_NAMES[vm as keyof typeof VM_NAMES]}` : undefined;
  const only = (...keys: string[]) => Object.keys(w).every((k) => keys.includes(k));
  switch (type) {
    case 'vm.boot':
      if (only('vm')) return vmName ? { notYet: `${vmName} has not booted yet`, happened: `${vmName} booted` } : { notYet: 'no VM has booted yet', happened: 'a VM booted' };
      break;
    case 'vm.stop':
      if (only('vm')) {
        return { notYet: vmName ? `${vmName} has not been stopped or restarted yet` : 'no VM has been stopped or restarted yet',
          happened: `${vmName ?? 'a VM'} was stopped or restarted` };
      }
      break;
    case 'vm.refresh': {
      const reason = str('reason');
      if (only('vm', 'reason', 'dataKept') && (reason === undefined || Object.hasOwn(REFRESH_REASONS, reason))) {
        const how = `${reason ? REFRESH_REASONS[reason] : ''}${str('dataKept') ? `, keeping ${str('dataKept')}` : ''}`;
        const who = vmName ?? 'a VM';
        return { notYet: `${vmName ? `${vmName} has not been refreshed` : 'no VM has been refreshed'}${how} yet`, happened: `${who} was refreshed${how}` };
      }
      break;
    }
    case 'dma.escape':
      if (only()) return { notYet: 'no DMA transfer has escaped yet', happened: 'a DMA transfer escaped into another environment\'s memory' };
      break;
    case 'dma.blocked': {
      const p = str('protection');
      if (only('protection') && (p === undefined || Object.hasOwn(PROTECTION_WORDS, p))) {
        const by = p ? ` by its protection "${PROTECTION_WORDS[p as keyof typeof PROTECTION_WORDS]}"` : ' by its protection';
        return { notYet: `no DMA transfer has been stopped${by} yet`, happened: `a DMA transfer was stopped${by}` };
      }
      break;
    }
    case 'app.launch':
      if (only('app') && str('app')) return { notYet: `${str('app')} has not been launched yet`, happened: `${str('app')} was launched` };
      break;
    case 'app.timeout':
      if (only('app') && str('app')) return { notYet: `${str('app')} has not timed out yet`, happened: `${str('app')} timed out` };
      break;
    case 'emu.call':
      if (only('program') && str('program')) return { notYet: `${str('program')} has made no kernel call yet`, happened: `${str('program')} made a kernel call` };
      break;
    case 'emu.fault': {
      const kind = str('kind');
      if (only('vm', 'kind', 'program') && kind && Object.hasOwn(EMU_FAULTS, kind)) {
        const [has, did] = EMU_FAULTS[kind]!;
        return { notYet: str('program') ? `${str('program')} has not ${has} yet` : `no 32-bit program has ${has} yet`, happened: `${str('program') ?? 'a 32-bit program'} ${did}` };
      }
      break;
    }
    case 'net.blocked':
      if (only('host', 'category')) {
        const what = `${str('host') ?? 'traffic'}${str('category') ? ` (category ${str('category')})` : ''}`;
        return { notYet: `networkd has not blocked ${what} yet`, happened: `networkd blocked ${what}` };
      }
      break;
    case 'net.exfiltrated':
      if (only('host')) return { notYet: `no data has left the device${str('host') ? ` for ${str('host')}` : ''} yet`, happened: `data left the device${str('host') ? ` for ${str('host')}` : ''} past networkd` };
      break;
    case 'update.applied':
      if (only('bundle')) return str('bundle') ? { notYet: `${str('bundle')} has not been applied yet`, happened: `${str('bundle')} was applied` } : { notYet: 'no update has been applied yet', happened: 'an update was applied' };
      break;
    case 'update.rejected':
      if (only('vm', 'bundle')) {
        const of = vmName ? ` of ${vmName}` : '';
        const bundle = str('bundle');
        return { notYet: bundle ? `${bundle} has not been refused yet` : `no update${of} has been refused yet`, happened: `${bundle ?? `an update${of}`} was refused` };
      }
      break;
  }
  // Any other type (a lesson file may name any): its name, and its fields in words.
  const fields = Object.entries(w).map(([k, v]) => (k === 'vm' && vmName ? `in ${vmName}` : `${k} ${String(v)}`));
  const what = `${/^[aeiou]/i.test(type) ? 'an' : 'a'} "${type}" event${fields.length ? ` (${fields.join(', ')})` : ''}`;
  return { notYet: `${what} has not happened yet`, happened: `${what} happened` };
}

function firstDiagnostic(ds: Diagnostic[]): string {
  return ds.length ? `${ds[0].rule}: ${ds[0].message}` : '';
}

/** The goals about the board: while it runs, they are met when the running board meets them too. */
const BOARD_CHECKS: ReadonlySet<string> = new Set(['component', 'all-assigned', 'no-diagnostic', 'bootable', 'no-errors', 'soc', 'vm-memory', 'refresh-policy', 'firewall']);

export function evaluate(goal: Goal, state: LabState): GoalResult {
  if ('all' in goal) {
    for (const g of goal.all) {
      const r = evaluate(g, state);
      if (!r.met) return r;
    }
    return MET;
  }
  const r = evaluateOn(goal, state.board, state);
  // An edit made while the board runs reaches the simulation only at the next boot: until then the
  // step is not done, and says what is left to do.
  if (!r.met || !BOARD_CHECKS.has(goal.check) || !state.running || state.running === state.board || evaluateOn(goal, state.running, state).met) return r;
  return notMet('done on the board, but the running simulation still has the board from before the change: press “Board changed — apply & reboot” (or Power off, then Power on)');
}

function evaluateOn(goal: Exclude<Goal, { all: readonly Goal[] }>, board: LabState['board'], state: LabState): GoalResult {
  switch (goal.check) {
    case 'component': {
      const found = board.components.filter((c) =>
        (goal.id === undefined || c.id === goal.id)
        && (goal.kind === undefined || c.kind === goal.kind)
        && (goal.domain === undefined || c.domain === goal.domain)
        && (goal.dmaProtection === undefined || (c.dmaProtection ?? 'none') === goal.dmaProtection));
      const want = goal.count ?? 1;
      if (found.length >= want) return MET;
      // The palette's names ("Security processor"), not the file's ("security-processor").
      const kind = goal.kind && kindInfo(goal.kind).name;
      const what = goal.id && kind ? `${goal.id} (${kind})` : goal.id ?? kind ?? 'component';
      const where = goal.domain !== undefined ? ` in ${domainLabel(goal.domain)}` : '';
      const prot = goal.dmaProtection ? ` with DMA protection "${PROTECTION_WORDS[goal.dmaProtection]}"` : '';
      const needs = `needs ${want > 1 ? `${want} × ${what}` : goal.id ? what : withArticle(what)}${where}${prot}`;
      // Where the blocks of that kind (or that id) are instead, so the step says what to change.
      const elsewhere = board.components.filter((c) => !found.includes(c) && (goal.id === undefined || c.id === goal.id) && (goal.kind === undefined || c.kind === goal.kind));
      const instead = elsewhere.slice(0, 3).map((c) =>
        `${c.id} is in ${domainLabel(c.domain)}${goal.dmaProtection ? ` with DMA protection "${PROTECTION_WORDS[c.dmaProtection ?? 'none']}"` : ''}`);
      const has = want > 1 ? `the board has ${found.length}` : elsewhere.length ? '' : 'the board has none yet';
      return notMet([needs, [has, ...instead].filter(Boolean).join(', ')].filter(Boolean).join('; '));
    }
    case 'all-assigned': {
      if (board.components.length === 0) return notMet('the board has no components yet');
      const loose = board.components.filter((c) => c.domain === null);
      return loose.length ? notMet(`not assigned to a domain yet: ${loose.map((c) => c.id).join(', ')}`) : MET;
    }
    case 'no-diagnostic': {
      const standing = check(board).filter((d) => goal.rules.includes(d.rule));
      return standing.length ? notMet(firstDiagnostic(standing)) : MET;
    }
    case 'bootable': {
      const standing = cannotBoot(check(board));
      return standing.length ? notMet(`the board cannot boot — ${firstDiagnostic(standing)}`) : MET;
    }
    case 'no-errors': {
      const standing = check(board).filter((d) => d.severity === 'error');
      return standing.length ? notMet(`${standing.length} error${standing.length === 1 ? '' : 's'} left — ${firstDiagnostic(standing)}`) : MET;
    }
    case 'soc':
      return board.soc === goal.soc ? MET : notMet(`the board is on ${board.soc}, not ${goal.soc}`);
    case 'vm-memory': {
      const mib = board.vms[goal.vm].memoryMiB;
      if (goal.atMostMiB !== undefined && mib > goal.atMostMiB) return notMet(`${VM_NAMES[goal.vm]} has ${mib} MiB, more than ${goal.atMostMiB} MiB`);
      if (goal.atLeastMiB !== undefined && mib < goal.atLeastMiB) return notMet(`${VM_NAMES[goal.vm]} has ${mib} MiB, less than ${goal.atLeastMiB} MiB`);
      return MET;
    }
    case 'refresh-policy': {
      const p = refreshPolicyOf(board, 'app');
      if (goal.onCrash !== undefined && p.onCrash !== goal.onCrash) return notMet(`refresh on crash ("after a crash or out-of-memory" in Board settings) is ${p.onCrash ? 'on' : 'off'}`);
      if (goal.onCompromise !== undefined && p.onCompromise !== goal.onCompromise) return notMet(`refresh on compromise ("when the security monitor finds it compromised" in Board settings) is ${p.onCompromise ? 'on' : 'off'}`);
      return MET;
    }
    case 'firewall': {
      const enforce = board.firewall?.enforce !== false;
      return enforce === goal.enforce ? MET : notMet(`the firewall is ${enforce ? 'enforced' : 'not enforced'}`);
    }
    case 'powered':
      return state.powered ? MET : notMet('the board is not powered on');
    case 'vm-state': {
      const s = state.status.find((x) => x.vm === goal.vm)?.state ?? 'off';
      return s === goal.state ? MET : notMet(`the ${VM_NAMES[goal.vm]} is ${s}, not ${goal.state}`);
    }
    case 'event': {
      const n = state.events.filter((e) => matches(e, goal.type, goal.where)).length;
      const want = goal.count ?? 1;
      return n >= want ? MET : notMet(`${describeEvent(goal.type, goal.where).notYet}${want > 1 ? ` (${n} of ${want} times)` : ''}`);
    }
    case 'no-event': {
      const hit = state.events.find((e) => matches(e, goal.type, goal.where));
      return hit ? notMet(`${describeEvent(goal.type, goal.where).happened} since the last power on: ${String(hit.message ?? '')}`.trim()) : MET;
    }
  }
}

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

function describeWhere(type: string, where: EventFields | undefined): string {
  const fields = Object.entries(where ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  return fields.length ? `${type} (${fields.join(', ')})` : type;
}

function firstDiagnostic(ds: Diagnostic[]): string {
  return ds.length ? `${ds[0].rule}: ${ds[0].message}` : '';
}

export function evaluate(goal: Goal, state: LabState): GoalResult {
  if ('all' in goal) {
    for (const g of goal.all) {
      const r = evaluate(g, state);
      if (!r.met) return r;
    }
    return MET;
  }
  const { board } = state;
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
      const prot = goal.dmaProtection ? ` with DMA protection: ${PROTECTION_WORDS[goal.dmaProtection]}` : '';
      const needs = `needs ${want > 1 ? `${want} × ${what}` : goal.id ? what : withArticle(what)}${where}${prot}`;
      // Where the blocks of that kind (or that id) are instead, so the step says what to change.
      const elsewhere = board.components.filter((c) => !found.includes(c) && (goal.id === undefined || c.id === goal.id) && (goal.kind === undefined || c.kind === goal.kind));
      const instead = elsewhere.slice(0, 3).map((c) =>
        `${c.id} is in ${domainLabel(c.domain)}${goal.dmaProtection ? ` with DMA protection: ${PROTECTION_WORDS[c.dmaProtection ?? 'none']}` : ''}`);
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
      return n >= want ? MET : notMet(`no ${describeWhere(goal.type, goal.where)} event yet${want > 1 ? ` (${n} of ${want})` : ''}`);
    }
    case 'no-event': {
      const hit = state.events.find((e) => matches(e, goal.type, goal.where));
      return hit ? notMet(`${describeWhere(goal.type, goal.where)} happened since the last power on: ${String(hit.message ?? '')}`.trim()) : MET;
    }
  }
}

// Shared helpers for the engine tests: small boards, a booted simulation, and
// a tiny terminal that renders console output the way xterm would show it.

import type { Board, Component, RefreshPolicy, SocId } from '../../src/model/types.ts';
import { Screen, Simulation, stripAnsi } from '../../src/sim/index.ts';
import type { SimEvent, VmId } from '../../src/sim/index.ts';

export interface BoardOptions {
  soc?: SocId;
  enforce?: boolean;
  systemMiB?: number;
  appMiB?: number;
  refresh?: RefreshPolicy;
  hotSpare?: boolean;
}

export function makeBoard(components: Component[], o: BoardOptions = {}): Board {
  return {
    format: 'isolation-lab/board',
    version: 1,
    name: 'Test board',
    soc: o.soc ?? 'iot-a7m4',
    components,
    vms: {
      system: { memoryMiB: o.systemMiB ?? 16 },
      app: { memoryMiB: o.appMiB ?? 24, ...(o.refresh ? { refresh: o.refresh } : {}), ...(o.hotSpare ? { hotSpare: true } : {}) },
    },
    ...(o.enforce === undefined ? {} : { firewall: { enforce: o.enforce } }),
  };
}

/** The smart oven of CONTRACT §1, with the DMA protection as a parameter. */
export function oven(dmaProtection: 'none' | 'firewall-id' | 'iommu' = 'firewall-id', o: BoardOptions = {}): Board {
  return makeBoard([
    { id: 'uart0', kind: 'uart', domain: 'app' },
    { id: 'spi1', kind: 'spi', domain: 'rt' },
    { id: 'wifi0', kind: 'wifi', domain: 'shared' },
    { id: 'sec0', kind: 'security-processor', domain: 'system' },
    { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection },
    { id: 'gpio2', kind: 'gpio', domain: null },
  ], o);
}

/** A simulation powered on and left to boot until every console is at its prompt. */
export function booted(board: Board, seed = 1): Simulation {
  const sim = new Simulation(board, { seed });
  sim.powerOn();
  sim.settle();
  sim.drain();
  return sim;
}

/** Runs a command to completion; returns what the console printed (plain text) and the events. */
export function run(sim: Simulation, vm: VmId, line: string): { text: string; events: SimEvent[] } {
  sim.exec(vm, line);
  sim.settle();
  const out = sim.drain();
  const text = out.console.filter((c) => c.vm === vm).map((c) => stripAnsi(c.text)).join('');
  return { text, events: out.events };
}

/** Output lines of a command, without the echoed command line and the next prompt. */
export function outputLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(1, -1);
}

/** A console attached to a Screen: type keys, read what is shown. */
export function terminal(sim: Simulation, vm: VmId) {
  const screen = new Screen();
  // booted() drained the first prompt; draw it as the participant saw it.
  if (sim.guests[vm].atPrompt) screen.write(sim.guests[vm].promptText);
  const pull = () => {
    for (const c of sim.drain().console) if (c.vm === vm) screen.write(c.text);
  };
  pull();
  return {
    screen,
    type(data: string) {
      sim.keys(vm, data);
      sim.settle();
      pull();
    },
  };
}


/** A gateway whose application VM has what the built-in apps ask for: a display, a DSP, audio and a network. */
export function appsBoard(): Board {
  return makeBoard([
    { id: 'display0', kind: 'display', domain: 'app' },
    { id: 'dsp0', kind: 'dsp', domain: 'app', dmaProtection: 'iommu' },
    { id: 'audio0', kind: 'audio', domain: 'app' },
    { id: 'eth0', kind: 'ethernet', domain: 'app', dmaProtection: 'iommu' },
  ], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 });
}

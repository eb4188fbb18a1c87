import { describe, expect, it } from 'vitest';
import { SYSTEM_RAM_MARKER } from '../../src/sim/index.ts';
import { booted, makeBoard, oven, run } from './helpers.ts';

const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('dma <id> copy follows the engine\'s dmaProtection', () => {
  it('none: the write lands in system RAM — dma.escape, and the system VM is compromised', () => {
    const sim = booted(oven('none'));
    const { text, events } = run(sim, 'app', 'dma dma0 copy app-ram system-ram 64');
    expect(text).toContain('VM escape');
    expect(types(events)).toContain('dma.escape');
    expect(events.find((e) => e.type === 'dma.escape')).toMatchObject({ vm: 'app', master: 'dma:dma0', target: 'system-ram' });
    expect(sim.writesLanded('system-ram')).toBe(1);
    expect(sim.status().find((s) => s.vm === 'system')!.compromised).toBe(true);
  });

  it('firewall-id: denied — dma.blocked and firewall.deny, system RAM untouched', () => {
    const sim = booted(oven('firewall-id'));
    const { text, events } = run(sim, 'app', 'dma dma0 copy app-ram system-ram 64');
    expect(text).toContain('access denied');
    expect(types(events)).toEqual(['firewall.deny', 'dma.blocked']);
    expect(sim.load('system-ram', 0)).toBe(SYSTEM_RAM_MARKER);
  });

  it('iommu: device addresses are translated inside the VM\'s window; outside it, an iommu.fault', () => {
    const board = makeBoard([{ id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'iommu' }],
      { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 });
    const sim = booted(board);
    run(sim, 'app', 'poke app-ram 0xabcd 0');
    const inside = run(sim, 'app', 'dma dma0 copy app-ram 0x1000 4');
    expect(inside.text).toContain('copied 4 bytes');
    expect(sim.load('app-ram', 0x1000)).toBe(0xabcd);
    const outside = run(sim, 'app', 'dma dma0 copy app-ram 0x40000000 4');
    expect(types(outside.events)).toContain('iommu.fault');
    const named = run(sim, 'app', 'dma dma0 copy app-ram system-ram 4');
    expect(types(named.events)).toEqual(['iommu.fault', 'dma.blocked']);
  });

  it('a DMA that does not exist or belongs to another environment gets a clear message', () => {
    const sim = booted(makeBoard([
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'firewall-id' },
      { id: 'dma1', kind: 'dma', domain: 'rt', dmaProtection: 'firewall-id' },
    ]));
    expect(run(sim, 'app', 'dma dma9 copy app-ram app-ram 4').text).toContain("no DMA engine or bus master 'dma9'");
    expect(run(sim, 'app', 'dma dma1 copy rt-ram rt-ram 4').text).toContain('dma1 belongs to the Real-time container');
    expect(run(sim, 'rt', 'dma dma1 copy rt-ram mailbox 4').text).toContain('copied 4 bytes');
  });

  it('a system-VM DMA may write system RAM without any escape', () => {
    const sim = booted(makeBoard([{ id: 'dma0', kind: 'dma', domain: 'system', dmaProtection: 'none' }]));
    const { events } = run(sim, 'system', 'dma dma0 copy system-ram system-ram 8');
    expect(types(events)).toEqual([]);
    expect(sim.status().find((s) => s.vm === 'system')!.compromised).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  COMPONENT_ID_PATTERN, addComponent, assignDomain, emptyBoard, nextComponentId, removeComponent,
  setDmaProtection, setFirewallEnforce, setName, setPosition, setRefreshPolicy, setVmMemory, switchProfile, withComponent,
} from '../../src/model/board.ts';
import { check } from '../../src/model/check.ts';
import { COMPONENT_KINDS } from '../../src/model/types.ts';
import type { Board } from '../../src/model/types.ts';
import { deepFreeze, exampleBoard } from './helpers.ts';

describe('editing a board', () => {
  it('starts empty, on the IoT SoC by default, with the firewall on', () => {
    const b = emptyBoard();
    expect(b).toMatchObject({ format: 'isolation-lab/board', version: 1, soc: 'iot-a7m4', components: [], firewall: { enforce: true } });
    expect(check(b)).toEqual([]);
  });

  it('numbers new components per kind, filling gaps, with ids the file format accepts', () => {
    let b = emptyBoard('gateway-a53');
    expect(nextComponentId(b, 'uart')).toBe('uart0');
    b = addComponent(b, 'uart').board;
    b = addComponent(b, 'uart').board;
    expect(b.components.map((c) => c.id)).toEqual(['uart0', 'uart1']);
    b = removeComponent(b, 'uart0');
    expect(nextComponentId(b, 'uart')).toBe('uart0');
    expect(nextComponentId(b, 'security-processor')).toBe('sec0');
    for (const kind of COMPONENT_KINDS) expect(nextComponentId(b, kind)).toMatch(COMPONENT_ID_PATTERN);
  });

  it('places a new DMA engine unprotected, so containing it is the participant\'s decision', () => {
    const { board, id } = addComponent(emptyBoard(), 'dma', 'app');
    expect(board.components).toEqual([{ id, kind: 'dma', domain: 'app', dmaProtection: 'none' }]);
    expect(check(board).map((d) => d.rule)).toContain('dma-unprotected');
  });

  it('never mutates the board it is given', () => {
    const before = exampleBoard('smart-oven');
    const b = deepFreeze(structuredClone(before)) as Board;
    const withPos = setPosition(b, 'gpio0', 10, 20);
    expect(assignDomain(b, 'gpio0', 'rt').components.find((c) => c.id === 'gpio0')!.domain).toBe('rt');
    expect(removeComponent(withPos, 'gpio0').layout).toEqual({});
    expect(setDmaProtection(b, 'dma0', 'none').components.find((c) => c.id === 'dma0')!.dmaProtection).toBe('none');
    expect(setDmaProtection(b, 'gpio0', 'none').components.find((c) => c.id === 'gpio0')).not.toHaveProperty('dmaProtection');
    expect(setVmMemory(b, 'app', 30).vms.app).toEqual({ ...before.vms.app, memoryMiB: 30 });
    expect(setRefreshPolicy(b, 'app', undefined).vms.app).toEqual({ memoryMiB: 24 });
    expect(setFirewallEnforce(b, false).firewall).toEqual({ enforce: false });
    expect(setName(b, 'Oven 2').name).toBe('Oven 2');
    expect(withComponent(b, { id: 'gpio0', kind: 'gpio', domain: null }).components.map((c) => c.id))
      .toEqual(before.components.map((c) => c.id));
    expect(b).toEqual(before);
  });

  it('leaves the board as it is when the id does not exist', () => {
    const b = exampleBoard('smart-oven');
    expect(assignDomain(b, 'nope0', 'app')).toBe(b);
    expect(removeComponent(b, 'nope0')).toBe(b);
  });
});

describe('switching to another SoC', () => {
  it('given the smart oven moved to the 16 MiB SoC, then it keeps what fits and reports the rest', () => {
    const oven = deepFreeze(setPosition(exampleBoard('smart-oven'), 'disp0', 1, 2));
    const { board, dropped } = switchProfile(oven, 'mcu-16');
    expect(board.soc).toBe('mcu-16');
    expect(board.components.map((c) => c.id)).toEqual(['gpio0', 'dma0', 'pwm0', 'adc0', 'sec0', 'wdt0', 'wifi0', 'flash0']);
    expect(dropped).toEqual([
      { id: 'disp0', action: 'removed', reason: expect.stringContaining('has no Display') },
      { id: 'audio0', action: 'removed', reason: expect.stringContaining('has no Audio') },
      { id: 'vms', action: 'changed', reason: expect.stringContaining('16 MiB') },
    ]);
    expect(board.layout).toEqual({});
    expect(check(board)).toEqual([]);
  });

  it('given more instances than the new SoC has, then the extra ones are removed', () => {
    let b = exampleBoard('edge-gateway');
    b = addComponent(b, 'spi', 'rt').board;
    b = addComponent(b, 'spi', 'rt').board;
    const { board, dropped } = switchProfile(b, 'mcu-16');
    expect(board.components.filter((c) => c.kind === 'spi').map((c) => c.id)).toEqual(['spi0']);
    expect(dropped).toContainEqual({ id: 'spi1', action: 'removed', reason: expect.stringContaining('only 1 SPI instance') });
  });

  it('given an assignment the new SoC forbids, then the component stays but is unassigned', () => {
    const b = addComponent(exampleBoard('smart-oven'), 'can', 'app').board;
    const { board, dropped } = switchProfile(b, 'mcu-16');
    expect(board.components.find((c) => c.id === 'can0')).toEqual({ id: 'can0', kind: 'can', domain: null });
    expect(dropped).toContainEqual({ id: 'can0', action: 'unassigned', reason: expect.stringContaining('now unassigned') });
  });

  it('given IOMMU protection and a SoC without an IOMMU, then the DMA engine gets a firewall identity instead', () => {
    const { board, dropped } = switchProfile(exampleBoard('edge-gateway'), 'iot-a7m4');
    expect(board.components.find((c) => c.id === 'dma0')!.dmaProtection).toBe('firewall-id');
    expect(dropped.map((d) => `${d.action}:${d.id}`)).toEqual(['removed:npu0', 'changed:dma0', 'removed:eth0', 'removed:modem0', 'changed:vms']);
    expect(check(board).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('given a board that fits, then moving to a larger SoC keeps its components and resets VMs too small for the bigger kernel', () => {
    // Each VM holds its own kernel: 4 and 6 MiB VMs cannot hold the gateway's 64 MiB kernel.
    const sensor = exampleBoard('industrial-sensor');
    const { board, dropped } = switchProfile(sensor, 'gateway-a53');
    expect(dropped).toEqual([{
      id: 'vms', action: 'changed',
      reason: 'The VM memory was too small for Gateway A53: each Linux VM needs at least 65 MiB, 64 MiB for its kernel and 1 MiB for its services; '
        + 'it was reset to 256 MiB (system) and 512 MiB (application).',
    }]);
    expect(board).toEqual({ ...sensor, soc: 'gateway-a53', vms: { system: { ...sensor.vms.system, memoryMiB: 256 }, app: { ...sensor.vms.app, memoryMiB: 512 } } });
    expect(check(board).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('given VMs big enough for the larger SoC\'s kernel, then moving to it changes nothing but the SoC', () => {
    const oven = exampleBoard('smart-oven');
    const big = { ...oven, vms: { system: { ...oven.vms.system, memoryMiB: 65 }, app: { ...oven.vms.app, memoryMiB: 65 } } };
    const { board, dropped } = switchProfile(big, 'gateway-a53');
    expect(dropped).toEqual([]);
    expect(board).toEqual({ ...big, soc: 'gateway-a53' });
  });
});

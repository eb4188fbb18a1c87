// Each rule: a board that triggers it and one that does not. The clean
// example boards are the starting point, changed one step at a time.

import { describe, expect, it } from 'vitest';
import { addComponent, assignDomain, emptyBoard, removeComponent, setDmaProtection, setFirewallEnforce, setVmMemory, withComponent } from '../../src/model/board.ts';
import { RULES, check, hasErrors, memoryBudget, placementRefusal, primaryNetworkAdapter } from '../../src/model/check.ts';
import { COMPONENT_KINDS, DOMAINS, type Board } from '../../src/model/types.ts';
import { deepFreeze, exampleBoard, rules } from './helpers.ts';

const oven = (): Board => exampleBoard('smart-oven');
const gateway = (): Board => exampleBoard('edge-gateway');
const sensor = (): Board => exampleBoard('industrial-sensor');

describe('check: a clean board', () => {
  it('reports nothing for the smart oven', () => {
    expect(check(oven())).toEqual([]);
  });
  it('does not mutate the board and gives the same answer twice', () => {
    const b = deepFreeze(exampleBoard('broken-oven'));
    expect(check(b)).toEqual(check(b));
  });
  it('knows every rule it can report', () => {
    for (const d of check(exampleBoard('broken-oven'))) expect(RULES).toContain(d.rule);
  });
});

describe('unassigned-component', () => {
  it('given a GPIO placed but not assigned, then it is a warning naming gpio0', () => {
    const ds = check(assignDomain(oven(), 'gpio0', null));
    expect(ds).toEqual([expect.objectContaining({ rule: 'unassigned-component', severity: 'warning', component: 'gpio0' })]);
    expect(ds[0]!.message).toContain('gpio0');
  });
  it('given every component assigned, then it is not reported', () => {
    expect(rules(check(oven()))).not.toContain('unassigned-component:gpio0');
  });
});

describe('kind-domain-not-allowed', () => {
  it('given the flash passed to the application VM, then it is an error that lists where it may go', () => {
    const [d] = check(assignDomain(oven(), 'flash0', 'app'));
    expect(d).toMatchObject({ rule: 'kind-domain-not-allowed', severity: 'error', component: 'flash0' });
    expect(d!.message).toContain('System VM, Paravirtualized');
  });
  it('given a display paravirtualized, then the message names the paravirtualized set, not a zone with "the" before it', () => {
    const [d] = check(assignDomain(oven(), 'disp0', 'shared'));
    expect(d).toMatchObject({ rule: 'kind-domain-not-allowed', component: 'disp0' });
    expect(d!.message).toContain('cannot connect the Display block to the paravirtualized set;');
    expect(d!.message).not.toContain('the Paravirtualized');
  });
  it('given any kind where its SoC cannot connect it, then the message reads well whatever the kind\'s name ("the ADC block", never "a ADC")', () => {
    const messages = COMPONENT_KINDS.flatMap((kind) => {
      const board = addComponent(oven(), kind, null).board;
      const id = board.components.at(-1)!.id;
      return (['system', 'shared', 'app', 'rt'] as const).flatMap((domain) => check(assignDomain(board, id, domain)))
        .filter((d) => d.rule === 'kind-domain-not-allowed' && d.component === id).map((d) => d.message);
    });
    expect(messages.length).toBeGreaterThan(10);
    for (const m of messages) expect(m).toMatch(/cannot connect the .+ block to the /);
    expect(messages.join('\n')).not.toMatch(/\ba [AEIOU]/);
  });
  it('given the flash in the system VM, then it is allowed', () => {
    expect(check(assignDomain(oven(), 'flash0', 'system'))).toEqual([]);
  });
  it('given CAN in the application VM on the small SoC (wired to the real-time core only), then it is an error', () => {
    expect(rules(check(assignDomain(sensor(), 'can0', 'app')))).toContain('kind-domain-not-allowed:can0');
  });
});

describe('security-processor-domain', () => {
  it('given the security processor in the application VM, then it is one error, not two', () => {
    const ds = check(assignDomain(oven(), 'sec0', 'app'));
    expect(rules(ds)).toEqual(['security-processor-domain:sec0']);
    expect(ds[0]!.message).toContain('System VM');
  });
  it('given it is paravirtualized, then it is still an error, said in the words of the paravirtualized set', () => {
    const ds = check(assignDomain(oven(), 'sec0', 'shared'));
    expect(rules(ds)).toEqual(['security-processor-domain:sec0']);
    expect(ds[0]!.message).toContain('sec0: the security processor is in the paravirtualized set;');
    expect(ds[0]!.message).not.toContain('the Paravirtualized');
  });
  it('given it is in the system VM, then nothing is reported', () => {
    expect(check(oven())).toEqual([]);
  });
});

describe('dma-unprotected', () => {
  it('given a DMA engine in the application VM with protection "none", then it is a VM-escape error', () => {
    const ds = check(setDmaProtection(oven(), 'dma0', 'none'));
    expect(ds).toEqual([expect.objectContaining({ rule: 'dma-unprotected', severity: 'error', component: 'dma0' })]);
    expect(ds[0]!.message).toMatch(/VM escape/);
    expect(ds[0]!.message).toContain('firewall-id');
  });
  it('given an unprotected DMA engine in the real-time container, then it is an error too', () => {
    expect(rules(check(setDmaProtection(sensor(), 'dma0', 'none')))).toEqual(['dma-unprotected:dma0']);
  });
  it('given a DMA engine with no dmaProtection field, then it is treated as "none"', () => {
    const b = withComponent(oven(), { id: 'dma0', kind: 'dma', domain: 'app' });
    const [d] = check(b);
    expect(d).toMatchObject({ rule: 'dma-unprotected', component: 'dma0' });
    expect(d!.message).toContain('without dmaProtection means "none"');
  });
  it('given an unprotected DMA engine owned by the system VM, then it is not an escape path', () => {
    const b = assignDomain(setDmaProtection(oven(), 'dma0', 'none'), 'dma0', 'system');
    expect(check(b)).toEqual([]);
  });
  it('given a firewall identity, then it is contained', () => {
    expect(check(oven())).toEqual([]);
  });
});

describe('iommu-unavailable', () => {
  it('given IOMMU protection on a SoC without an IOMMU, then it is an error', () => {
    expect(rules(check(setDmaProtection(oven(), 'dma0', 'iommu')))).toEqual(['iommu-unavailable:dma0']);
  });
  it('given IOMMU protection on the gateway, which has one, then it is fine', () => {
    expect(check(gateway())).toEqual([]);
  });
});

describe('memory-budget', () => {
  it('given VMs whose RAM is more than the SoC has, then it is an error saying by how much', () => {
    const ds = check(setVmMemory(oven(), 'app', 56)); // 16 + 56 + 2 (real-time) = 74
    expect(ds).toEqual([expect.objectContaining({ rule: 'memory-budget', severity: 'error', class: 'cannot-boot' })]);
    expect(ds[0]!.message).toContain('Reduce VM memory by 10 MiB');
    expect(ds[0]!.message).toContain('each VM\'s kernel runs inside its own RAM');
  });
  it('given VMs that fill the RAM exactly, then it fits: the kernels are inside the VMs, not added on top', () => {
    const b = setVmMemory(oven(), 'app', 46); // 16 + 46 + 2 (real-time) = 64
    expect(memoryBudget(b)).toMatchObject({ totalMiB: 64, fits: true, freeMiB: 0 });
    expect(check(b)).toEqual([]);
  });
  it('counts the VMs\' RAM and the real-time window only when the container is used; each kernel\'s need is per VM', () => {
    expect(memoryBudget(oven())).toEqual({
      ramMiB: 64, systemMiB: 16, appMiB: 24, rtMiB: 2, spareMiB: 0, totalMiB: 42, freeMiB: 22,
      kernelMiB: 8, kernelReservedMiB: 4, kernelRuntimeMiB: 4, servicesMiB: 1, vmMinMiB: 9, tooSmall: [], fits: true,
    });
    const noRt = assignDomain(assignDomain(oven(), 'pwm0', 'app'), 'adc0', 'app');
    expect(memoryBudget(noRt).rtMiB).toBe(0);
  });
  it('given a VM smaller than its kernel needs, then it cannot boot, and the message says how much it needs', () => {
    const ds = check(setVmMemory(oven(), 'system', 6));
    expect(ds).toEqual([expect.objectContaining({ rule: 'memory-budget', severity: 'error', class: 'cannot-boot' })]);
    expect(ds[0]!.message).toBe('The System VM has 6 MiB of RAM, but its kernel needs 8 MiB of it (4 MiB reserved at boot for its image '
      + 'and reserved regions, 4 MiB at run time) and its services at least 1 MiB, so it cannot boot. Give the System VM at least 9 MiB.');
    expect(check(setVmMemory(oven(), 'system', 9))).toEqual([]);
  });
  it('on the 16 MiB SoC the same rule holds with its smaller kernel', () => {
    expect(memoryBudget(sensor())).toMatchObject({ kernelMiB: 2, vmMinMiB: 3, totalMiB: 11, fits: true });
    expect(check(setVmMemory(sensor(), 'app', 2))[0]!.message).toContain('Give the Application VM at least 3 MiB');
  });
});

describe('pin-conflict', () => {
  it('given an SD card and Wi-Fi both enabled on the shared SDIO pads, then it is an error', () => {
    const { board } = addComponent(oven(), 'sdcard', 'app');
    const [d] = check(board);
    expect(d).toMatchObject({ rule: 'pin-conflict', severity: 'error', component: 'sd0', others: ['wifi0'] });
    expect(d!.message).toContain('wifi0');
  });
  it('given the SD card placed but not assigned, then the pads are free', () => {
    const { board } = addComponent(oven(), 'sdcard', null);
    expect(rules(check(board))).toEqual(['unassigned-component:sd0']);
  });
  it('given SPI and I2C both enabled on the small SoC, then they conflict', () => {
    const { board } = addComponent(sensor(), 'i2c', 'rt');
    expect(rules(check(board))).toEqual(['pin-conflict:i2c0']);
  });
  it('given two instances of one kind in a group, then each uses its own pads', () => {
    let b = gateway();
    b = addComponent(b, 'pwm', 'rt').board;
    b = addComponent(b, 'pwm', 'rt').board;
    expect(check(b)).toEqual([]);
  });
});

describe('shared-set-large', () => {
  it('given four paravirtualized components, then it warns to keep the shared set small', () => {
    let b = addComponent(oven(), 'rtc', 'shared').board;
    b = assignDomain(b, 'audio0', 'shared');
    const ds = check(b);
    expect(rules(ds)).toEqual(['shared-set-large']);
    expect(ds[0]!.severity).toBe('warning');
  });
  it('given three, then it is fine', () => {
    expect(check(addComponent(oven(), 'rtc', 'shared').board)).toEqual([]);
  });
});

describe('primary-network-in-app', () => {
  it('given Wi-Fi, the oven\'s primary network, passed to the application VM, then it warns', () => {
    const ds = check(assignDomain(oven(), 'wifi0', 'app'));
    expect(ds).toEqual([expect.objectContaining({ rule: 'primary-network-in-app', severity: 'warning', component: 'wifi0' })]);
  });
  it('given Wi-Fi in the application VM of a gateway whose primary network is Ethernet, then it is fine', () => {
    const b = addComponent(gateway(), 'wifi', 'app').board;
    expect(primaryNetworkAdapter(b)?.id).toBe('eth0');
    expect(check(b)).toEqual([]);
  });
  it('given the primary network in the system VM, then it is fine', () => {
    expect(check(assignDomain(oven(), 'wifi0', 'system'))).toEqual([]);
  });
  it('given the gateway\'s Ethernet left unassigned and a second one in the application VM, then the second is the primary and it warns', () => {
    const b = addComponent(assignDomain(gateway(), 'eth0', null), 'ethernet', 'app').board;
    expect(primaryNetworkAdapter(b)?.id).toBe('eth1');
    expect(rules(check(b))).toContain('primary-network-in-app:eth1');
  });
});

describe('kind-not-on-soc, too-many-instances, firewall-disabled', () => {
  it('given a display on the small SoC, which has none, then it is an error', () => {
    const b = withComponent(sensor(), { id: 'disp0', kind: 'display', domain: 'app' });
    expect(rules(check(b))).toEqual(['kind-not-on-soc:disp0']);
  });
  it('given a second SPI on a SoC with one, then the second is an error', () => {
    const b = withComponent(sensor(), { id: 'spi1', kind: 'spi', domain: 'rt' });
    expect(rules(check(b))).toEqual(['too-many-instances:spi1']);
  });
  it('given the firewall switched off, then it warns that nothing is isolated', () => {
    expect(rules(check(setFirewallEnforce(oven(), false)))).toEqual(['firewall-disabled']);
    expect(check(setFirewallEnforce(oven(), true))).toEqual([]);
  });
  it('given the firewall switched off with a bus master behind the IOMMU, then the warning says that one stays confined', () => {
    const [d] = check(setFirewallEnforce(setDmaProtection(gateway(), 'dma0', 'iommu'), false)).filter((x) => x.rule === 'firewall-disabled');
    expect(d!.severity).toBe('warning');
    expect(d!.message).toContain('every bus master not behind the IOMMU (DMA engines and bus-master peripherals) reaches all memory');
    expect(d!.message).toContain('dma0 stays confined by the IOMMU, which does not depend on the firewall');
    expect(check(setFirewallEnforce(oven(), false))[0]!.message).not.toContain('IOMMU');
    // On a SoC without an IOMMU, "iommu" confines nothing (it is the iommu-unavailable error there).
    const none = check(setFirewallEnforce(setDmaProtection(oven(), 'dma0', 'iommu'), false));
    expect(none.map((x) => x.rule)).toContain('iommu-unavailable');
    expect(none.find((x) => x.rule === 'firewall-disabled')!.message).not.toContain('IOMMU');
  });
});

describe('the broken oven', () => {
  it('has exactly the mistakes it was built with, errors first', () => {
    const ds = check(exampleBoard('broken-oven'));
    expect(rules(ds)).toEqual([
      'dma-unprotected:dma0',
      'security-processor-domain:sec0',
      'kind-domain-not-allowed:flash0',
      'pin-conflict:wifi0',
      'memory-budget',
      'unassigned-component:gpio0',
      'primary-network-in-app:wifi0',
    ]);
    expect(hasErrors(ds)).toBe(true);
    for (const d of ds) {
      for (const id of [d.component ?? [], d.others ?? []].flat()) expect(d.message).toContain(id);
    }
  });
});

describe('no-system-watchdog', () => {
  it('given the watchdog moved to the application VM, then it is advice on wdt0 that says where it is and how to fix it', () => {
    const ds = check(assignDomain(oven(), 'wdt0', 'app'));
    expect(ds).toEqual([expect.objectContaining({ rule: 'no-system-watchdog', severity: 'warning', class: 'advice', component: 'wdt0' })]);
    expect(ds[0]!.message).toContain('wdt0 is in the Application VM');
    expect(ds[0]!.message).toContain('Assign wdt0 to the System VM');
  });
  it('given the watchdog unassigned, then it says so beside the unassigned-component warning', () => {
    const ds = check(assignDomain(oven(), 'wdt0', null));
    expect(rules(ds)).toEqual(['unassigned-component:wdt0', 'no-system-watchdog:wdt0']);
    expect(ds[1]!.message).toContain('wdt0 is unassigned');
  });
  it('given no watchdog on the board, then it asks for one, with no component named', () => {
    const [d, ...rest] = check(removeComponent(oven(), 'wdt0'));
    expect(rest).toEqual([]);
    expect(d).toEqual(expect.objectContaining({ rule: 'no-system-watchdog', severity: 'warning' }));
    expect(d).not.toHaveProperty('component');
    expect(d!.message).toContain('Place a Watchdog and assign it to the System VM');
  });
  it('given a second watchdog in the real-time container and one in the system VM, then it is not reported', () => {
    const two = addComponent(gateway(), 'watchdog', 'rt').board;
    expect(two.components.filter((c) => c.kind === 'watchdog')).toHaveLength(2);
    expect(rules(check(two))).not.toContain('no-system-watchdog');
  });
  it('given a board whose System VM has no blocks yet, then it is not reported, and given one block there, it is', () => {
    const appOnly = addComponent(emptyBoard(), 'uart', 'app').board;
    expect(check(appOnly)).toEqual([]);
    expect(rules(check(addComponent(appOnly, 'security-processor', 'system').board))).toEqual(['no-system-watchdog']);
  });
});

describe('a drop the chip cannot wire', () => {
  it('is refused exactly where the placed block would get a wiring error (a domain the chip cannot connect, a kind it lacks)', () => {
    for (const soc of ['iot-a7m4', 'gateway-a53', 'mcu-16'] as const) {
      for (const kind of COMPONENT_KINDS) {
        for (const domain of DOMAINS) {
          const board = emptyBoard(soc);
          const why = placementRefusal(board, kind, domain);
          const placed = addComponent(board, kind, domain).board;
          const wiring = check(placed).some((d) => d.rule === 'kind-domain-not-allowed' || d.rule === 'kind-not-on-soc');
          expect(why !== null, `${soc} ${kind} ${domain}`).toBe(wiring);
          if (why) expect(why).toMatch(/Your board is unchanged\.$/);
        }
      }
    }
    expect(placementRefusal(emptyBoard('iot-a7m4'), 'uart', 'shared')).toBe(
      "IoT A7+M4 cannot connect the UART block to the paravirtualized set; the chip's wiring decides which domain can reach it. "
      + 'Put it in one of: Application VM, Real-time container, System VM. Your board is unchanged.');
  });
});

import { describe, expect, it } from 'vitest';
import { DOMAIN_LABELS, KINDS, kindInfo } from '../../src/model/catalog.ts';
import { PROFILES, allowedDomains, profile, refusal } from '../../src/model/profiles.ts';
import { check, memoryBudget } from '../../src/model/check.ts';
import { emptyBoard } from '../../src/model/board.ts';
import { COMPONENT_KINDS, DOMAINS, SOC_IDS } from '../../src/model/types.ts';

describe('the component catalog', () => {
  it('describes every kind of the contract under the names the palette shows', () => {
    expect(Object.keys(KINDS).sort()).toEqual([...COMPONENT_KINDS].sort());
    expect(COMPONENT_KINDS.map((k) => KINDS[k].name)).toEqual([
      'UART', 'SPI', 'I2C', 'GPIO', 'PWM', 'ADC', 'CAN', 'USB host', 'Display', 'Camera', 'Audio', 'Wi-Fi',
      'Ethernet', 'Bluetooth', 'Cellular', 'Flash', 'SD card', 'Security processor', 'Crypto accelerator',
      'DMA', 'RTC', 'Watchdog', 'IMU sensor', 'NPU', 'DSP',
    ]);
  });

  it('gives each kind a glyph, an explanation, a register window and a usual domain', () => {
    for (const kind of COMPONENT_KINDS) {
      const info = kindInfo(kind);
      expect(info.kind).toBe(kind);
      expect(info.glyph.length).toBeGreaterThan(0);
      expect(info.explanation.length).toBeGreaterThan(80);
      expect(info.registerWindow).toBeGreaterThan(0);
      expect(DOMAINS).toContain(info.usualDomain);
    }
  });

  it('marks the DMA engine as a bus master and keeps the security processor and flash with the system VM', () => {
    expect(KINDS.dma.busMaster).toBe(true);
    expect(KINDS['security-processor'].usualDomain).toBe('system');
    expect(KINDS.flash.usualDomain).toBe('system');
    expect(KINDS.wifi.usualDomain).toBe('shared');
  });

  it('names the domains as the page does', () => {
    expect(DOMAIN_LABELS).toEqual({
      app: 'Application VM', rt: 'Real-time container', system: 'System VM', shared: 'Paravirtualized', null: 'Unassigned',
    });
  });
});

describe('the SoC profiles', () => {
  it('exist for every SoC id, with the RAM the contract names', () => {
    expect(Object.keys(PROFILES).sort()).toEqual([...SOC_IDS].sort());
    expect(profile('mcu-16').ramMiB).toBe(16);
    expect(profile('iot-a7m4').ramMiB).toBe(64);
    expect(profile('gateway-a53').ramMiB).toBe(1024);
  });

  it('give only the gateway an IOMMU, Ethernet and cellular', () => {
    expect(SOC_IDS.filter((s) => PROFILES[s].iommu)).toEqual(['gateway-a53']);
    expect(profile('gateway-a53').instances.ethernet).toBeGreaterThan(0);
    expect(profile('gateway-a53').instances.cellular).toBeGreaterThan(0);
    for (const k of ['display', 'camera', 'ethernet', 'cellular', 'npu'] as const) {
      expect(profile('mcu-16').instances[k] ?? 0).toBe(0);
    }
  });

  it('wire the security processor to any domain: outside the system VM it boots, and is reported as a security hole', () => {
    for (const s of SOC_IDS) {
      for (const d of DOMAINS) expect(refusal(PROFILES[s], 'security-processor', d), `${s} ${d}`).toBeNull();
      const board = { ...emptyBoard(s), components: [{ id: 'sec0', kind: 'security-processor' as const, domain: 'app' as const }] };
      expect(check(board).map((x) => `${x.rule} ${x.class}`)).toEqual(['security-processor-domain security-hole']);
    }
  });

  it('refuse exactly the domains check() says cannot boot, and every domain for a kind the SoC does not have', () => {
    expect(refusal(profile('iot-a7m4'), 'ethernet', 'app')).toBe('soc');
    for (const s of SOC_IDS) for (const k of COMPONENT_KINDS) for (const d of DOMAINS) {
      const board = { ...emptyBoard(s), components: [{ id: 'x0', kind: k, domain: d, ...(KINDS[k].busMaster ? { dmaProtection: 'firewall-id' as const } : {}) }] };
      const cannotBoot = check(board).filter((x) => x.class === 'cannot-boot').map((x) => x.rule);
      expect(refusal(PROFILES[s], k, d) === null, `${s} ${k} ${d}: ${cannotBoot.join(', ')}`).toBe(cannotBoot.length === 0);
    }
  });

  it('say why a domain is refused: the kind never goes there, or this SoC is wired otherwise', () => {
    // A DMA engine is never paravirtualized; a CAN controller is wired to the MCU-16's real-time core only.
    expect(refusal(profile('iot-a7m4'), 'dma', 'shared')).toBe('kind');
    expect(refusal(profile('mcu-16'), 'can', 'app')).toBe('soc');
    expect(refusal(profile('mcu-16'), 'can', 'rt')).toBeNull();
    for (const s of SOC_IDS) for (const k of COMPONENT_KINDS) for (const d of DOMAINS) {
      expect(refusal(PROFILES[s], k, d) === null).toBe(allowedDomains(PROFILES[s], k).includes(d) && (PROFILES[s].instances[k] ?? 0) > 0);
    }
  });

  it('share SPI and I2C pads on the small SoC', () => {
    expect(profile('mcu-16').pinMuxGroups.some((g) => g.members.includes('spi') && g.members.includes('i2c'))).toBe(true);
  });

  it('name only kinds the SoC has in pin-mux groups, and allow every listed kind at least one domain', () => {
    for (const s of SOC_IDS) {
      const p = PROFILES[s];
      for (const g of p.pinMuxGroups) for (const k of g.members) expect(p.instances[k] ?? 0).toBeGreaterThan(0);
      for (const [kind, domains] of Object.entries(p.allowedDomains)) {
        expect(COMPONENT_KINDS).toContain(kind);
        expect(domains!.length).toBeGreaterThan(0);
      }
    }
  });

  it('start a new board with VM memory that fits, even when the real-time container is used', () => {
    for (const s of SOC_IDS) {
      const b = emptyBoard(s);
      const withRt = { ...b, components: [{ id: 'gpio0', kind: 'gpio' as const, domain: 'rt' as const }] };
      expect(memoryBudget(withRt).fits).toBe(true);
    }
  });
});

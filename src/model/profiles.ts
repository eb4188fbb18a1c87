// SoC profiles (CONTRACT §2): what each chip has, which domains each kind of
// block may go to, which pads are shared, and what memory costs.

import type { ComponentKind, Domain, SocId, SocProfile } from './types.ts';

const ALL: Domain[] = ['app', 'rt', 'system', 'shared'];
const DEVICES: Domain[] = ['app', 'rt', 'system']; // a bus nobody can paravirtualize sensibly
const NETWORK: Domain[] = ['system', 'shared', 'app'];

/** Domains shared by every profile; a profile may narrow them further. */
const COMMON_ALLOWED: Partial<Record<ComponentKind, Domain[]>> = {
  uart: DEVICES,
  spi: DEVICES,
  i2c: DEVICES,
  gpio: DEVICES,
  pwm: DEVICES,
  adc: DEVICES,
  can: DEVICES,
  'usb-host': ['app', 'system'],
  display: ['app', 'system'],
  camera: ['app', 'system'],
  audio: ['app', 'system', 'shared'],
  wifi: NETWORK,
  ethernet: NETWORK,
  cellular: NETWORK,
  bluetooth: ['app', 'system', 'shared'],
  flash: ['system', 'shared'],
  sdcard: ['app', 'system', 'shared'],
  // Wired like any peripheral on the bus: outside the system VM it still boots, and is reported as the
  // security hole it is (security-processor-domain), not as hardware that cannot be built.
  'security-processor': ALL,
  'crypto-accelerator': ['system', 'app'],
  dma: DEVICES,
  rtc: ['system', 'shared'],
  watchdog: DEVICES,
  'sensor-imu': ['rt', 'app'],
  npu: ['app', 'system'],
  dsp: ['rt', 'app', 'system'],
};

export const PROFILES: Record<SocId, SocProfile> = {
  'mcu-16': {
    id: 'mcu-16',
    name: 'MCU-16',
    description:
      'A 16 MiB IoT microcontroller-class SoC: one application core, one real-time core, no IOMMU. '
      + 'Two kernels barely fit, SPI and I2C share pads, and there is no display, camera, Ethernet or cellular.',
    ramMiB: 16,
    cores: { application: 1, applicationName: 'Cortex-A5', realtime: 1, realtimeName: 'Cortex-M0+' },
    instances: {
      uart: 2, spi: 1, i2c: 1, gpio: 2, pwm: 1, adc: 1, can: 1,
      wifi: 1, bluetooth: 1, flash: 1, 'security-processor': 1, 'crypto-accelerator': 1,
      dma: 1, rtc: 1, watchdog: 1, 'sensor-imu': 1,
    },
    allowedDomains: {
      ...COMMON_ALLOWED,
      // One small real-time core: the field bus and the converter are wired to it only.
      can: ['rt'],
      adc: ['rt', 'app'],
      'crypto-accelerator': ['system'],
    },
    pinMuxGroups: [
      { name: 'PA4–PA7', pads: ['PA4', 'PA5', 'PA6', 'PA7'], members: ['spi', 'i2c'] },
      { name: 'PB8–PB9', pads: ['PB8', 'PB9'], members: ['can', 'bluetooth'] },
    ],
    iommu: false,
    // Cortex-A5 (ARMv7-A) has TrustZone but no virtualization extensions; Cortex-M0+ is ARMv6-M
    // (Arm Cortex-A5 and Cortex-M0+ Technical Reference Manuals).
    cpuIsolation: 'trustzone',
    arch: { application: 'armv7l', realtime: 'armv6-m' },
    kernelOverheadMiB: 2,
    realtimeMemoryMiB: 1,
    defaultVmMemoryMiB: { system: 4, app: 6 },
    primaryNetwork: ['wifi'],
  },
  'iot-a7m4': {
    id: 'iot-a7m4',
    name: 'IoT A7+M4',
    description:
      'A 64 MiB appliance SoC with Cortex-A7 application cores and a Cortex-M4 real-time core. No IOMMU: '
      + 'DMA engines are contained by giving them their own firewall identity.',
    ramMiB: 64,
    cores: { application: 2, applicationName: 'Cortex-A7', realtime: 1, realtimeName: 'Cortex-M4' },
    instances: {
      uart: 4, spi: 3, i2c: 3, gpio: 4, pwm: 2, adc: 2, can: 1, 'usb-host': 1,
      display: 1, camera: 1, audio: 1, wifi: 1, bluetooth: 1, flash: 1, sdcard: 1,
      'security-processor': 1, 'crypto-accelerator': 1, dma: 2, rtc: 1, watchdog: 2,
      'sensor-imu': 1,
    },
    allowedDomains: { ...COMMON_ALLOWED },
    pinMuxGroups: [
      { name: 'SDIO', pads: ['SD1_CLK', 'SD1_CMD', 'SD1_D0-3'], members: ['wifi', 'sdcard'] },
      { name: 'parallel video', pads: ['PAR_D0-15', 'PAR_CLK'], members: ['display', 'camera'] },
    ],
    iommu: false,
    // Cortex-A7 implements the ARMv7-A virtualization extensions (HYP mode, stage-2 with LPAE);
    // Cortex-M4 is ARMv7E-M (Arm Cortex-A7 MPCore and Cortex-M4 Technical Reference Manuals).
    cpuIsolation: 'stage-2',
    arch: { application: 'armv7l', realtime: 'armv7e-m' },
    kernelOverheadMiB: 8,
    realtimeMemoryMiB: 2,
    defaultVmMemoryMiB: { system: 16, app: 24 },
    primaryNetwork: ['wifi'],
  },
  'gateway-a53': {
    id: 'gateway-a53',
    name: 'Gateway A53',
    description:
      'A 1 GiB gateway SoC with four Cortex-A53 application cores, a Cortex-M7 real-time core, Ethernet, '
      + 'cellular, an NPU and an IOMMU that can translate every DMA transfer.',
    ramMiB: 1024,
    cores: { application: 4, applicationName: 'Cortex-A53', realtime: 1, realtimeName: 'Cortex-M7' },
    instances: {
      uart: 4, spi: 4, i2c: 4, gpio: 4, pwm: 2, adc: 2, can: 2, 'usb-host': 2,
      display: 1, camera: 1, audio: 1, wifi: 1, ethernet: 2, bluetooth: 1, cellular: 1,
      flash: 1, sdcard: 1, 'security-processor': 1, 'crypto-accelerator': 1, dma: 4,
      rtc: 1, watchdog: 2, 'sensor-imu': 1, npu: 1, dsp: 1,
    },
    allowedDomains: { ...COMMON_ALLOWED },
    pinMuxGroups: [
      { name: 'SDIO', pads: ['SD2_CLK', 'SD2_CMD', 'SD2_D0-3'], members: ['wifi', 'sdcard'] },
      { name: 'I2S', pads: ['I2S_BCLK', 'I2S_LRCLK', 'I2S_DATA'], members: ['audio', 'pwm'] },
    ],
    iommu: true,
    // Cortex-A53 is ARMv8-A with EL2; Cortex-M7 is ARMv7E-M (Arm Cortex-A53 and Cortex-M7 TRMs).
    cpuIsolation: 'stage-2',
    arch: { application: 'aarch64', realtime: 'armv7e-m' },
    kernelOverheadMiB: 64,
    realtimeMemoryMiB: 8,
    defaultVmMemoryMiB: { system: 256, app: 512 },
    primaryNetwork: ['ethernet', 'cellular', 'wifi'],
  },
};

export function profile(id: SocId): SocProfile {
  return PROFILES[id];
}

/** Domains the profile allows for a kind (every domain when not narrowed). */
export function allowedDomains(p: SocProfile, kind: ComponentKind): Domain[] {
  return p.allowedDomains[kind] ?? ALL;
}

/**
 * Why `domain` is not allowed for `kind` on `p`: the kind never goes there, or this SoC's wiring
 * (which includes a SoC without that kind at all: kind-not-on-soc); null where it is allowed.
 * Exactly the domains `check` does not refuse as cannot-boot.
 */
export function refusal(p: SocProfile, kind: ComponentKind, domain: Domain): 'kind' | 'soc' | null {
  if (instanceCount(p, kind) === 0) return 'soc';
  if (allowedDomains(p, kind).includes(domain)) return null;
  return (COMMON_ALLOWED[kind] ?? ALL).includes(domain) ? 'soc' : 'kind';
}

/** How many instances of a kind the SoC has (0 = not on this SoC). */
export function instanceCount(p: SocProfile, kind: ComponentKind): number {
  return p.instances[kind] ?? 0;
}

/** One sentence on what keeps the CPU sides apart on this SoC (boot log, inspector, `vmm`). */
export function cpuIsolationText(p: SocProfile): string {
  const a = p.cores.applicationName;
  if (p.cpuIsolation === 'trustzone') {
    return `${a} has no virtualization extensions: the system VM runs in the TrustZone secure world, `
      + 'the application VM in the normal world, and the firewall is the only wall between their CPUs';
  }
  const mode = p.arch.application === 'aarch64' ? 'EL2' : 'HYP mode (PL2)';
  return `${a} has virtualization extensions: the hypervisor runs in ${mode} and confines each VM's CPUs `
    + 'with stage-2 translation, in front of the firewall';
}

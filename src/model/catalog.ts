// The component catalog: what every kind of hardware block is, and where it
// usually belongs when the SoC is split into isolated domains (DOMAIN.md §1).
// Which kinds a particular SoC has, and where they may go, is in profiles.ts.

import type { ComponentKind, DmaProtection, Domain, KindInfo } from './types.ts';

/** Names of the domains as the page shows them (CONTRACT §7). */
export const DOMAIN_LABELS: Record<Domain | 'null', string> = {
  app: 'Application VM',
  rt: 'Real-time container',
  system: 'System VM',
  shared: 'Paravirtualized',
  null: 'Unassigned',
};

/**
 * "a" or "an" before a name as it is read aloud: "an Application VM", "an ADC", "an I2C", but
 * "a UART", "a USB host" (said "you").
 */
export function withArticle(name: string): string {
  return `${/^[aeio]/i.test(name) ? 'an' : 'a'} ${name}`;
}

/** The label of a domain, `null` included ("Unassigned"). */
export function domainLabel(domain: Domain | null): string {
  return DOMAIN_LABELS[domain ?? 'null'];
}

/** Where a block is, as a sentence says it: "unassigned", "paravirtualized", "in the Application VM". */
export function placement(domain: Domain | null): string {
  return domain === null ? 'unassigned' : domain === 'shared' ? 'paravirtualized' : `in the ${DOMAIN_LABELS[domain]}`;
}

const KB = 1024;

export const KINDS: Record<ComponentKind, KindInfo> = {
  uart: {
    kind: 'uart', name: 'UART', glyph: '⇄', busMaster: false, registerWindow: 4 * KB,
    pins: ['TX', 'RX'], usualDomain: 'app',
    explanation:
      'A serial port: two wires, one byte at a time. The application VM usually owns a UART for its own '
      + 'console or to talk to a companion chip; its driver runs in the guest kernel, passed through directly. '
      + 'A UART cannot reach memory on its own, so giving it to the application VM does not weaken isolation.',
  },
  spi: {
    kind: 'spi', name: 'SPI', glyph: '⌁', busMaster: false, registerWindow: 4 * KB,
    pins: ['SCK', 'MOSI', 'MISO', 'CS'], usualDomain: 'rt',
    explanation:
      'A fast synchronous serial bus for sensors, small displays and converters. SPI often goes to the '
      + 'real-time container, whose RTOS tasks on the microcontroller-class core read sensors with '
      + 'hard timing that a full OS cannot promise. On small SoCs its pads are often shared with I2C, '
      + 'so the two cannot both be enabled.',
  },
  i2c: {
    kind: 'i2c', name: 'I2C', glyph: '⋯', busMaster: false, registerWindow: 4 * KB,
    pins: ['SCL', 'SDA'], usualDomain: 'rt',
    explanation:
      'A two-wire bus that chains many slow chips (temperature sensors, EEPROMs, power controllers). Like '
      + 'SPI it is often given to the real-time container, which polls sensors on a fixed schedule. '
      + 'Whoever owns the bus controls every chip on it, so it belongs to one domain only.',
  },
  gpio: {
    kind: 'gpio', name: 'GPIO', glyph: '⊶', busMaster: false, registerWindow: 4 * KB,
    pins: ['GPIO'], usualDomain: 'app',
    explanation:
      'General-purpose pins the software switches on and off: buttons, LEDs, relays, enable lines. '
      + 'A GPIO bank is passed straight to the domain that drives those signals — the application VM for '
      + 'user controls, the real-time container for anything with a deadline (a heater relay, a motor enable).',
  },
  pwm: {
    kind: 'pwm', name: 'PWM', glyph: '⊓', busMaster: false, registerWindow: 4 * KB,
    pins: ['PWM'], usualDomain: 'rt',
    explanation:
      'A pulse-width modulator: a timer that makes square waves to dim lights, drive motors and heaters. '
      + 'Because a stuck output can damage hardware, PWM usually goes to the real-time container, whose '
      + 'control loop keeps running even while the application VM is being refreshed.',
  },
  adc: {
    kind: 'adc', name: 'ADC', glyph: '∿', busMaster: false, registerWindow: 4 * KB,
    pins: ['AIN'], usualDomain: 'rt',
    explanation:
      'An analog-to-digital converter that samples voltages from probes and sensors. Sampling at a steady '
      + 'rate is real-time work, so the ADC usually belongs to the real-time container, which hands the '
      + 'results to the application VM through its mailbox.',
  },
  can: {
    kind: 'can', name: 'CAN', glyph: '⇌', busMaster: false, registerWindow: 4 * KB,
    pins: ['CAN_TX', 'CAN_RX'], usualDomain: 'rt',
    explanation:
      'A robust field bus used in vehicles and industrial machines. Its messages have deadlines, so the '
      + 'controller usually sits in the real-time container; a gateway may instead give it to the '
      + 'application VM that bridges field data to the cloud.',
  },
  'usb-host': {
    kind: 'usb-host', name: 'USB host', glyph: '⇵', busMaster: true, registerWindow: 64 * KB,
    pins: ['USB_DP', 'USB_DM'], usualDomain: 'app',
    explanation:
      'A USB host controller for keyboards, memory sticks and modems. It is passed through to the '
      + 'application VM so the device maker\'s own drivers handle whatever is plugged in. The controller '
      + 'moves data by DMA, so it is a bus master: the firewall must know its identity.',
  },
  display: {
    kind: 'display', name: 'Display', glyph: '▭', busMaster: true, registerWindow: 64 * KB,
    pins: ['LCD_DATA', 'LCD_CLK'], usualDomain: 'app',
    explanation:
      'The display controller scans a frame buffer out to the panel. The user interface is the device '
      + 'maker\'s code, so the display is passed through to the application VM. It reads memory by DMA, '
      + 'so its frame buffer must live in application-VM RAM.',
  },
  camera: {
    kind: 'camera', name: 'Camera', glyph: '◉', busMaster: true, registerWindow: 64 * KB,
    pins: ['CSI_DATA', 'CSI_CLK'], usualDomain: 'app',
    explanation:
      'A camera interface that writes images into memory by DMA. It is passed through to the application '
      + 'VM that processes the images. Being a bus master, it could overwrite any memory it is pointed at; '
      + 'the firewall or an IOMMU keeps it inside the application VM.',
  },
  audio: {
    kind: 'audio', name: 'Audio', glyph: '♪', busMaster: false, registerWindow: 16 * KB,
    pins: ['I2S_BCLK', 'I2S_LRCLK', 'I2S_DATA'], usualDomain: 'app',
    explanation:
      'An audio interface (I2S) for speakers, buzzers and microphones. It usually belongs to the '
      + 'application VM, which plays the user-facing sounds; a system that must announce alarms on its '
      + 'own can keep it in the system VM instead.',
  },
  wifi: {
    kind: 'wifi', name: 'Wi-Fi', glyph: '≋', busMaster: false, registerWindow: 64 * KB,
    pins: ['SDIO_CLK', 'SDIO_CMD', 'SDIO_DATA'], usualDomain: 'shared',
    explanation:
      'The Wi-Fi radio is often the primary network adapter. It stays driven by the system VM, whose '
      + 'networkd manages connections and the firewall, and is offered to the application VM as a '
      + 'paravirtual Ethernet adapter. Passing it straight to the application VM would let guest code '
      + 'bypass the host firewall and reach the network on its own terms.',
  },
  ethernet: {
    kind: 'ethernet', name: 'Ethernet', glyph: '⊞', busMaster: true, registerWindow: 64 * KB,
    pins: ['RGMII'], usualDomain: 'shared',
    explanation:
      'A wired network controller. On a gateway it is the primary network adapter: driven by the system '
      + 'VM, filtered by its firewall, and offered to the application VM as a paravirtual adapter. It moves '
      + 'packets by DMA, so it is a bus master the firewall must know.',
  },
  bluetooth: {
    kind: 'bluetooth', name: 'Bluetooth', glyph: '✱', busMaster: false, registerWindow: 16 * KB,
    pins: ['BT_UART'], usualDomain: 'app',
    explanation:
      'A short-range radio for phones and accessories. Pairing and the app experience are the device '
      + 'maker\'s, so Bluetooth usually goes to the application VM; a system that uses it for provisioning '
      + 'keeps it in the system VM.',
  },
  cellular: {
    kind: 'cellular', name: 'Cellular', glyph: '✆', busMaster: true, registerWindow: 64 * KB,
    pins: ['SIM', 'USB_DP', 'USB_DM'], usualDomain: 'shared',
    explanation:
      'A cellular modem, the primary or fallback network on a gateway. Like every primary network it stays '
      + 'with the system VM (which controls routes, firewall and data costs) and is offered to the '
      + 'application VM as a paravirtual adapter, never passed through.',
  },
  flash: {
    kind: 'flash', name: 'Flash', glyph: '⛁', busMaster: false, registerWindow: 16 * KB,
    pins: ['QSPI'], usualDomain: 'system',
    explanation:
      'The non-volatile storage holding the signed OS image fragments, the boot configuration and user '
      + 'data. The system VM owns the flash controller, because whoever owns it can rewrite the OS; the '
      + 'application VM only gets virtual block access to its own partition, through the paravirtualized set.',
  },
  sdcard: {
    kind: 'sdcard', name: 'SD card', glyph: '◈', busMaster: true, registerWindow: 16 * KB,
    pins: ['SDIO_CLK', 'SDIO_CMD', 'SDIO_DATA'], usualDomain: 'app',
    explanation:
      'A removable card slot. It can be passed through to the application VM for media and logs; it must '
      + 'never hold what the system boots from. It transfers by DMA and often shares its SDIO pads with '
      + 'an on-board Wi-Fi chip.',
  },
  'security-processor': {
    kind: 'security-processor', name: 'Security processor', glyph: '⚷', busMaster: false,
    registerWindow: 4 * KB, pins: [], usualDomain: 'system',
    explanation:
      'A separate secure core holding the device keys, verifying signatures and measuring what boots. '
      + 'It always stays with the system VM: if the application VM could talk to it directly, compromised '
      + 'guest code could sign its own updates or read secrets the host keeps from the guest.',
  },
  'crypto-accelerator': {
    kind: 'crypto-accelerator', name: 'Crypto accelerator', glyph: '⊛', busMaster: false,
    registerWindow: 4 * KB, pins: [], usualDomain: 'system',
    explanation:
      'Hardware that makes encryption and hashing fast. The system VM uses it to check image-fragment '
      + 'signatures and encrypt traffic; it may be given to the application VM for its own TLS, but its '
      + 'key slots must then not hold system keys.',
  },
  dma: {
    kind: 'dma', name: 'DMA', glyph: '⇶', busMaster: true, registerWindow: 4 * KB,
    pins: [], usualDomain: 'app',
    explanation:
      'A DMA engine copies memory without the CPU. It is a bus master: its transfers do not go through the '
      + 'VM\'s memory protection, so a DMA engine given to the application VM can write system-VM RAM — a '
      + 'VM escape — unless it is contained. Contain it with its own firewall identity whose rules deny '
      + 'system RAM and system peripherals, or, where the SoC has one, through the IOMMU.',
  },
  rtc: {
    kind: 'rtc', name: 'RTC', glyph: '◷', busMaster: false, registerWindow: 4 * KB,
    pins: [], usualDomain: 'system',
    explanation:
      'The real-time clock keeps wall-clock time across power cycles. The system VM owns it (certificate '
      + 'checks and update schedules depend on the time being right) and offers the time to the '
      + 'application VM, if needed, as a paravirtual clock.',
  },
  watchdog: {
    kind: 'watchdog', name: 'Watchdog', glyph: '⚑', busMaster: false, registerWindow: 4 * KB,
    pins: [], usualDomain: 'system',
    explanation:
      'A timer that resets the chip unless software keeps kicking it. The system VM owns the main watchdog '
      + 'so a hung application VM cannot stop it — the host notices the hang and refreshes the guest. '
      + 'A second watchdog can guard the real-time container\'s control loop.',
  },
  'sensor-imu': {
    kind: 'sensor-imu', name: 'IMU sensor', glyph: '⊕', busMaster: false, registerWindow: 4 * KB,
    pins: ['IMU_INT'], usualDomain: 'rt',
    explanation:
      'An inertial sensor (accelerometer and gyroscope) sampled at a fixed rate. It usually belongs to the '
      + 'real-time container, which filters the samples with tight timing and passes results up to the '
      + 'application VM.',
  },
  npu: {
    kind: 'npu', name: 'NPU', glyph: '⚛', busMaster: true, registerWindow: 64 * KB,
    pins: [], usualDomain: 'app',
    explanation:
      'A neural processing unit that runs machine-learning models. It belongs to the application VM that '
      + 'runs the device maker\'s models. It reads and writes tensors by DMA, so it is a bus master that '
      + 'the firewall or the IOMMU must keep inside application-VM memory.',
  },
  dsp: {
    kind: 'dsp', name: 'DSP', glyph: '∑', busMaster: true, registerWindow: 64 * KB,
    pins: [], usualDomain: 'rt',
    explanation:
      'A digital signal processor, a core of its own for filters and audio or radio processing. It '
      + 'often hosts the real-time container\'s RTOS; it has its own bus access, so it must '
      + 'be confined to the real-time container\'s memory window.',
  },
};

/** What the catalog knows about a kind. */
export function kindInfo(kind: ComponentKind): KindInfo {
  return KINDS[kind];
}


/** Network adapters; one of them is the board's primary network (see profiles.ts). */
export const NETWORK_KINDS: readonly ComponentKind[] = ['wifi', 'ethernet', 'cellular'];

/** Does this kind master the bus itself (and so need a firewall identity or the IOMMU)? */
export function isBusMaster(kind: ComponentKind): boolean {
  return KINDS[kind].busMaster;
}

/**
 * The protection a bus master has when its file does not say. A `dma` engine
 * without the key is unprotected, as it always was. The other bus-master kinds
 * took the key later: a file written before then had them contained by their
 * own firewall identity, and keeps that meaning.
 */
export function defaultDmaProtection(kind: ComponentKind): 'none' | 'firewall-id' {
  return kind === 'dma' ? 'none' : 'firewall-id';
}

/**
 * A bus master's protection in words, for messages and the diagram (the board
 * file says none / firewall-id / iommu): the names of the page's "DMA
 * protection" options, so a message names the option to pick.
 */
export const PROTECTION_WORDS: Record<DmaProtection, string> = { none: 'None', 'firewall-id': 'Firewall identity', iommu: 'IOMMU' };

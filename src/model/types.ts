// The board: the document a participant edits (CONTRACT §1), and the
// vocabulary of the SoC it is drawn on (CONTRACT §2).

export const DOMAINS = ['app', 'rt', 'system', 'shared'] as const;
/** Where a component can be assigned (a component's `domain` is `null` while it is not). */
export type Domain = (typeof DOMAINS)[number];

export const COMPONENT_KINDS = [
  'uart', 'spi', 'i2c', 'gpio', 'pwm', 'adc', 'can', 'usb-host', 'display',
  'camera', 'audio', 'wifi', 'ethernet', 'bluetooth', 'cellular', 'flash',
  'sdcard', 'security-processor', 'crypto-accelerator', 'dma', 'rtc',
  'watchdog', 'sensor-imu', 'npu', 'dsp',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export const DMA_PROTECTIONS = ['none', 'firewall-id', 'iommu'] as const;
export type DmaProtection = (typeof DMA_PROTECTIONS)[number];

export const SOC_IDS = ['mcu-16', 'iot-a7m4', 'gateway-a53'] as const;
export type SocId = (typeof SOC_IDS)[number];

export interface Component {
  id: string;
  kind: ComponentKind;
  domain: Domain | null;
  /**
   * Only on bus-master kinds (`dma`, `usb-host`, `display`, ...). Absent: "none"
   * on a `dma`, "firewall-id" on the others (see defaultDmaProtection).
   */
  dmaProtection?: DmaProtection;
}

export interface RefreshPolicy {
  /** Scheduled refresh period; `null` or absent = no scheduled refresh. */
  everySeconds?: number | null;
  onCrash?: boolean;
  onCompromise?: boolean;
  /** Application VM: how often the security monitor measures it against its master image (default 10). */
  measureEverySeconds?: number;
  /** Application VM: parts refreshed on their own schedules, fixed or random. */
  parts?: PartSchedule[];
}

/**
 * One part of the application VM refreshed on its own: `kernel`,
 * `driver:<component id>` or `app:<name>`, every `everySeconds`, or at a
 * random interval in `randomSeconds` ([min, max], drawn from the seeded source).
 */
export interface PartSchedule {
  part: string;
  everySeconds?: number;
  randomSeconds?: [number, number];
}

export interface VmSettings {
  memoryMiB: number;
  refresh?: RefreshPolicy;
  /** Application VM only: the supervisor launches apps one at a time (default true). */
  serializeLaunches?: boolean;
  /** Application VM only: a second instance kept booted, so a refresh is a switch-over (its memory counts twice). */
  hotSpare?: boolean;
}

export interface Board {
  format: 'isolation-lab/board';
  version: 1;
  name: string;
  soc: SocId;
  components: Component[];
  vms: { system: VmSettings; app: VmSettings };
  firewall?: { enforce: boolean };
  layout?: Record<string, { x: number; y: number }>;
  /** Unknown top-level keys, kept on round trip (CONTRACT §1). */
  [extra: string]: unknown;
}

/** What the catalog knows about one kind of hardware block. */
export interface KindInfo {
  kind: ComponentKind;
  /** Display name, also the palette item's accessible name ("UART", "Wi-Fi"). */
  name: string;
  /** A one-character symbol drawn on the block; from common symbol ranges (not emoji) so it renders without an emoji font. */
  glyph: string;
  /** One paragraph for the inspector: what it is, and where it usually belongs and why. */
  explanation: string;
  /** Can it master the bus (DMA-capable)? */
  busMaster: boolean;
  /** Size of its register window in bytes. */
  registerWindow: number;
  /** Pins it needs (names of pads), used for pin-mux groups. */
  pins: string[];
  /** The domain it usually belongs to, for teaching hints. */
  usualDomain: Domain;
}

/** One SoC the board is drawn on (CONTRACT §2). */
export interface SocProfile {
  id: SocId;
  name: string;
  description: string;
  ramMiB: number;
  cores: { application: number; realtime: number; realtimeName: string; applicationName: string };
  /** How many of each kind the SoC has; a kind absent here is not on the SoC. */
  instances: Partial<Record<ComponentKind, number>>;
  /** Domains each kind may go to; absent = every domain. */
  allowedDomains: Partial<Record<ComponentKind, Domain[]>>;
  /**
   * Pin-mux groups: kinds that share pads on this SoC. Assigned components
   * (domain not null) of two *different* member kinds cannot both be enabled
   * (`pin-conflict`); several instances of one kind use their own pads.
   * `name` reads in a sentence: "share the SDIO pads".
   */
  pinMuxGroups: { name: string; pads: string[]; members: ComponentKind[] }[];
  iommu: boolean;
  /**
   * How the CPU side is isolated. "stage-2": the application cores have
   * virtualization extensions, a hypervisor in EL2/HYP mode gives each VM
   * stage-2 translation tables, so a VM's CPUs cannot address what is not
   * mapped for them whatever the firewall does. "trustzone": no virtualization
   * extensions; the system side runs in the TrustZone secure world, the
   * application VM in the normal world, and the firewall (TZASC/TZPC and the
   * bus firewall) is the only wall between them.
   */
  cpuIsolation: 'stage-2' | 'trustzone';
  /** Architecture strings `uname -m` prints for each core type (e.g. "armv7l", "aarch64", "armv6-m"). */
  arch: { application: string; realtime: string };
  /**
   * RAM each Linux VM's kernel needs inside the VM's own RAM: half reserved at
   * boot (its image and reserved regions, not in MemTotal), half kept at run
   * time (counted as used by `free`). See memory.ts.
   */
  kernelOverheadMiB: number;
  /**
   * RAM the real-time container's RTOS and tasks need (its memory window).
   * Counted in the budget when at least one component is assigned to `rt`;
   * the container runs no kernel, so it adds no kernel overhead.
   */
  realtimeMemoryMiB: number;
  /** VM memory a new board starts with on this SoC (fits the budget). */
  defaultVmMemoryMiB: { system: number; app: number };
  /**
   * Network kinds in order of preference for the primary network adapter:
   * the board's primary network is its first component of the first kind
   * in this list that the board has.
   */
  primaryNetwork: ComponentKind[];
}

export type Severity = 'error' | 'warning';

/**
 * What a diagnostic means for power-on: "cannot-boot" (the hardware cannot do
 * it; power on is refused), "security-hole" (it boots, and an attack shows
 * what it lets through) or "advice" (a design hint).
 */
export type DiagnosticClass = 'cannot-boot' | 'security-hole' | 'advice';

export interface Diagnostic {
  rule: string;
  severity: Severity;
  class: DiagnosticClass;
  component?: string;
  /** The other components it is about, when it is about more than one: a pin conflict's other side. */
  others?: string[];
  message: string;
}

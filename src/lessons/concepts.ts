// Concept cards: one short card per idea the lessons teach, linked from lesson
// steps, finish cards, diagnostics (by rule id) and events (by type). Sources:
// DOMAIN.md and the seed documents it cites.

export interface Concept {
  id: string;
  title: string;
  /** Two or three sentences, plain text. */
  text: string;
  /** A small text diagram where a picture says it better (monospace). */
  diagram?: string;
  /** Diagnostic rule ids and event types that are about this idea. */
  about?: string[];
}

export const CONCEPTS: Concept[] = [
  {
    id: 'partition', title: 'Partition',
    text: 'The SoC\'s hardware is divided among isolated environments: each block belongs to exactly one of them, and the hardware firewall keeps the others out. Partitioning decides what a compromise of one environment can reach.',
    diagram: '┌ System VM ┐ ┌ Application VM ┐\n│ sec0 wdt0 │ │ disp0  ┌ RT ┐   │\n└───────────┘ │ uart0  │pwm0│   │\n  Paravirt.:  └────────┴────┴───┘\n  wifi0 flash0\n  (driven by the system VM)',
    about: ['unassigned-component', 'kind-domain-not-allowed'],
  },
  {
    id: 'system-vm', title: 'System VM',
    text: 'The vendor\'s small, trusted environment: it runs the VMM, networkd, the update service and the security monitor, and owns the security processor, flash and the primary network. It is never exposed to the device maker\'s code.',
    about: ['security-processor-domain'],
  },
  {
    id: 'application-vm', title: 'Application VM',
    text: 'The device maker\'s own OS and code, with the peripherals passed straight to it. It is expected to be attacked; it can be refreshed from its master image at any time.',
    about: ['vm.pause', 'vm.resume', 'vm.boot', 'vm.stop'],
  },
  {
    id: 'real-time-container', title: 'Real-time container',
    text: 'Inside the application VM, bare-metal code on the chip\'s microcontroller-class core (a Cortex-M) with peripherals of its own (SPI, PWM, ADC…). It is on the device maker\'s side of the chip: it reaches none of the system VM\'s hardware, and the VMM in the system VM watches it as it watches the application VM.',
  },
  {
    id: 'security-processor', title: 'Security processor',
    text: 'Holds keys and measures what boots. Only the system VM may use it: in the application VM, compromised code could ask it to sign or unlock anything.',
    about: ['security-processor-domain'],
  },
  {
    id: 'paravirtualization', title: 'Paravirtualization',
    text: 'A shared device is driven by the system VM; the application VM sees a virtual device (virtio-net, virtio-blk) whose queues, in shared buffers, a service in the system VM serves with the real driver. Other requests (scan networks, join, IP settings) go over a virtual socket. The system VM can check and filter every request.',
    diagram: 'app VM virtio-net → virtqueue\n  → networkd (system VM)\n  → wifi0 → network',
    about: ['storage.timeout', 'shared-set-large', 'primary-network-in-app', 'vsock.request'],
  },
  {
    id: 'vsock', title: 'Virtual socket (vsock)',
    text: 'A channel between two VMs on the same chip, addressed by VM rather than by IP. The application VM\'s requests to the system VM\'s services (scan networks, join one, IP settings, update timing) travel over it; virtio-net and virtio-blk have queues of their own.',
    about: ['vsock.request'],
  },
  {
    id: 'egress-policy', title: 'Egress policy',
    text: 'networkd in the system VM decides which hosts the application VM may reach (/etc/networkd/egress.conf). Whatever runs in the application VM, traffic through the paravirtual network obeys it; a network adapter passed straight to the VM bypasses it.',
    about: ['net.exfiltrated', 'net.blocked', 'primary-network-in-app'],
  },
  {
    id: 'bus-master', title: 'Bus master (DMA)',
    text: 'A DMA engine, and peripherals with DMA of their own, read and write memory without the CPU — so without the CPU\'s stage-2 translation. An unprotected bus master in the application VM can write into the system VM: a VM escape.',
    diagram: 'CPU  ─stage-2─▶ memory\nDMA  ──────────▶ memory\n     (no stage-2!)',
    about: ['dma-unprotected', 'dma.escape', 'dma.blocked'],
  },
  {
    id: 'firewall-identity', title: 'Firewall identity',
    text: 'The hardware firewall can tell bus masters apart. Given its own identity, a DMA engine gets its own rules: it is denied system RAM and system peripherals, whatever address it is programmed with.',
    about: ['firewall.deny', 'dma.blocked', 'firewall-disabled'],
  },
  {
    id: 'iommu', title: 'IOMMU',
    text: 'A memory-management unit for devices: every DMA address is translated through the owning VM\'s window, so a transfer outside it faults. The gateway SoC has one; the smaller SoCs do not, and rely on firewall identities.',
    about: ['iommu-unavailable', 'iommu.fault'],
  },
  {
    id: 'stage-2', title: 'Stage-2 translation',
    text: 'With virtualization extensions, the hypervisor translates every guest-physical address a VM\'s CPUs use: a VM\'s CPU cannot even name another VM\'s memory. It confines CPUs, not bus masters.',
    about: ['stage2.fault'],
  },
  {
    id: 'memory-budget', title: 'Memory budget',
    text: 'Every VM runs its own kernel inside its own RAM: at boot the kernel reserves its image and reserved regions, so free shows less than the VM was given, and at run time it keeps more. The VMs\' RAM and the real-time container\'s memory window must fit in the SoC\'s RAM, and each VM must be big enough for its kernel and services. On a 16 MiB SoC the budget decides what fits.',
    about: ['memory-budget'],
  },
  {
    id: 'cannot-boot', title: 'Cannot boot vs security hole',
    text: 'Some errors are things the hardware cannot do (memory over budget, two blocks on the same pads, a block the SoC lacks): nothing powers on. Others boot — and an attack shows what they let through.',
    about: ['power.refused', 'pin-conflict', 'too-many-instances', 'kind-not-on-soc'],
  },
  {
    id: 'refresh', title: 'Refresh',
    text: 'The system VM reloads the application VM from its read-only master image: on a schedule, after a crash, or when the security monitor finds it compromised. Everything outside /data is reset; /data is kept.',
    about: ['integrity.violation', 'vm.refresh', 'vm.crash', 'vm.compromise', 'refresh-schedule'],
  },
  {
    id: 'watchdog', title: 'Watchdog',
    // The engine's WATCHDOG_TIMEOUT_MS (a test keeps the two the same).
    text: 'A hung guest makes no noise: it just stops sending its heartbeat. A watchdog that hears none for 5 s acts: the system VM\'s watchdog refreshes a hung application VM or real-time container, and the hardware watchdog assigned to the system VM resets a hung system VM; a board that gives the system VM no watchdog leaves it hung until power off. Until then, nothing inside knows.',
    about: ['vm.hang', 'no-system-watchdog'],
  },
  {
    id: 'master-image', title: 'Master image',
    text: 'The read-only image a VM boots from. Because nothing running can change it, a refresh returns the VM to a known state.',
  },
  {
    id: 'overlay', title: 'Overlay and /data',
    text: 'Changes to the root file system go to a writable overlay that a refresh throws away; /data is the user-data store that survives. At a refresh, executables and autostart entries in /data are quarantined.',
    about: ['data.quarantined'],
  },
  {
    id: 'signed-fragment', title: 'Signed image fragment',
    text: 'A system image is a list of fragments, each signed by the vendor. The update service checks every signature (and that fragments do not overlap) before it changes the boot configuration; a bad one changes nothing.',
    about: ['update.applied', 'update.rejected', 'update.rollback', 'update.boot-attempt'],
  },
  {
    id: 'container', title: 'Container',
    text: 'Untrusted apps run in containers inside the application VM: their own view of processes and files, launched by the supervisor in order.',
    about: ['app.launch', 'app.timeout', 'app.exit', 'app.oom', 'app.rejected', 'app.quarantined'],
  },
  {
    id: 'pid-namespace', title: 'PID namespace',
    text: 'Inside a container an app sees its own process numbers, starting at 1; the host sees other numbers for the same processes. The supervisor ties each app to the first PID it captures.',
  },
  {
    id: 'kernel-call-thunk', title: 'Kernel-call thunk',
    text: 'A legacy program makes kernel calls in its own ABI (Linux i386: call number in EAX, arguments in EBX, ECX, EDX…). The emulator translates each into the host kernel\'s call (a thunk: other numbers, other registers, 32-bit values widened for a 64-bit kernel, structures converted) and checks that its pointers stay below the program\'s 3 GiB limit — a bad one gets EFAULT, as from a kernel. On an Arm SoC an i386 program also needs a CPU simulator for its instructions.',
    diagram: 'i386 program\n ─int 0x80 (eax, ebx…)─▶ thunk\n ─svc #0 (r7/x8, r0/x0…)─▶ kernel',
    about: ['emu.call', 'emu.fault'],
  },
  {
    id: 'trustzone', title: 'TrustZone',
    text: 'Arm\'s secure world: the processor runs in one of two Security states, Secure or Non-secure, and the hardware keeps the secure world\'s memory and devices from the normal world — for keys and secure services. On mcu-16, whose Cortex-A5 has no virtualization extensions (no stage-2), the system side runs in the secure world and the firewall separates the rest: there, turning the firewall off lets the application side\'s CPUs through.',
    about: ['cpu.escape'],
  },
];

export function concept(id: string): Concept | undefined {
  return CONCEPTS.find((c) => c.id === id);
}

/** The card about a diagnostic rule id or an event type, if there is one. */
export function conceptAbout(ruleOrEvent: string): Concept | undefined {
  return CONCEPTS.find((c) => c.about?.includes(ruleOrEvent));
}

/** The card of each VM: its boot, stop, pause and resume are about it. */
const VM_CARDS: Record<string, string> = { system: 'system-vm', app: 'application-vm', rt: 'real-time-container' };

/** The card about an event of `vm` (or a rule): a VM's own events open that VM's card. */
export function conceptOfEvent(type: string, vm?: string): Concept | undefined {
  const general = conceptAbout(type);
  return vm && general?.id === 'application-vm' && VM_CARDS[vm] ? concept(VM_CARDS[vm]) : general;
}

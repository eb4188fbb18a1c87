// The built-in lessons (one idea each, ≤ 10 minutes for a newcomer) and
// challenges. Goals look only at the board, the engine's status and its
// events (CONTRACT §5), so they keep working while the mechanisms behind the
// events are rebuilt. Sources for the ideas: DOMAIN.md and its seed documents.

import { composeBoard, example } from '../model/examples.ts';
import { emptyBoard } from '../model/board.ts';
import type { Board, Component, SocId } from '../model/types.ts';
import { boardChanges } from './actions.ts';
import type { Goal, Lesson } from './types.ts';

function board(name: string, soc: SocId, components: Component[], system: number, app: number, refresh = { onCrash: true, onCompromise: true }): Board {
  return composeBoard(name, soc, components, system, app, { everySeconds: null, ...refresh });
}

function withFirewallOff(b: Board): Board {
  return { ...b, firewall: { enforce: false } };
}

function exampleBoard(id: string): Board {
  const ex = example(id);
  if (!ex) throw new Error(`no example board "${id}"`);
  return JSON.parse(JSON.stringify(ex.board)) as Board;
}

const bootedBoth: Goal = {
  all: [
    { check: 'event', type: 'vm.boot', where: { vm: 'system' } },
    { check: 'event', type: 'vm.boot', where: { vm: 'app' } },
  ],
};

/** An oven on the 64 MiB SoC whose DMA engine was passed to the application VM unprotected. */
const OPEN_DMA_OVEN = board('Oven with an open DMA engine', 'iot-a7m4', [
  { id: 'disp0', kind: 'display', domain: 'app' },
  { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' },
  { id: 'sec0', kind: 'security-processor', domain: 'system' },
  { id: 'wifi0', kind: 'wifi', domain: 'shared' },
  { id: 'flash0', kind: 'flash', domain: 'shared' },
], 16, 24);

export const LESSONS: Lesson[] = [
  {
    id: 'partition',
    kind: 'lesson',
    title: '1. Partition a board',
    summary: 'Split an SoC into isolated environments: each block goes to the domain the chip allows, then the board boots.',
    learned: [
      'Every hardware block belongs to exactly one domain: the application VM, its real-time container, the system VM, or the paravirtualized set.',
      'The SoC decides which domains a block may go to; a security processor always stays with the system VM.',
      'A paravirtualized block is driven by the system VM and offered to the application VM as a virtual device.',
      'A warning is advice, not a refusal to boot: with no watchdog block in the system VM, its watchdogd says FAIL at boot and nothing would reset it if it hung (Diagnostics says so too).',
    ],
    board: { ...emptyBoard('iot-a7m4'), name: 'My first partition' },
    concepts: ['partition', 'system-vm', 'application-vm', 'paravirtualization', 'cannot-boot'],
    steps: [
      {
        text: 'The system VM owns what keeps the device trustworthy. Place a "Security processor" from the Hardware palette in the System VM zone.',
        goal: { check: 'component', kind: 'security-processor', domain: 'system' },
        hints: [
          'The Hardware palette is on the left; the System VM zone is a box on the diagram.',
          'Drag the "Security processor" item into the "System VM" box, or tap it and then the box. (Or focus it, press Enter, and choose "System VM" in the inspector\'s Domain select.)',
        ],
        solution: [{ do: 'add', kind: 'security-processor', domain: 'system' }],
        concepts: ['system-vm', 'security-processor'],
      },
      {
        text: 'The application VM runs the device maker\'s own code. Give it a serial port: place a "UART" in the Application VM zone.',
        goal: { check: 'component', kind: 'uart', domain: 'app' },
        hints: ['Drop the "UART" item inside the "Application VM" box (not the real-time container inside it).'],
        solution: [{ do: 'add', kind: 'uart', domain: 'app' }],
        concepts: ['application-vm', 'partition'],
      },
      {
        text: 'Wi-Fi is needed by both VMs. Place "Wi-Fi" in the Paravirtualized zone: the system VM drives it and offers the application VM a virtual network device.',
        goal: { check: 'component', kind: 'wifi', domain: 'shared' },
        hints: ['The "Paravirtualized" zone is the band the system VM serves to the application VM.'],
        solution: [{ do: 'add', kind: 'wifi', domain: 'shared' }],
        concepts: ['paravirtualization'],
      },
      {
        text: 'Every block has a domain and no diagnostic says the board cannot boot. Press "Power on" and watch both VMs boot in their consoles.',
        goal: { all: [{ check: 'all-assigned' }, { check: 'bootable' }, ...bootedBoth.all] },
        hints: [
          'The "Power on" button is at the right end of the toolbar.',
          'If something is still unassigned or a diagnostic says "cannot boot", fix that first: the Diagnostics panel says how.',
        ],
        solution: [{ do: 'power-on' }],
        concepts: ['cannot-boot'],
      },
    ],
  },
  {
    id: 'dma-escape',
    kind: 'lesson',
    title: '2. Close a DMA escape, two ways',
    summary: 'A DMA engine masters the bus without the CPU\'s checks: see it escape, then contain it with a firewall identity and with an IOMMU.',
    learned: [
      'A bus master (DMA engine, and peripherals with their own DMA) reaches memory without going through the CPU\'s stage-2 translation.',
      'A firewall identity gives the master its own entry in the hardware firewall: it is denied system RAM and system peripherals.',
      'An IOMMU translates every transfer through the VM\'s own window; the gateway SoC has one, the smaller SoCs do not.',
    ],
    board: OPEN_DMA_OVEN,
    concepts: ['bus-master', 'firewall-identity', 'iommu', 'stage-2'],
    steps: [
      {
        text: 'dma0 is in the application VM with no protection. Power on, then in the Application VM console type: `attack dma-escape`',
        goal: { check: 'event', type: 'dma.escape' },
        hints: ['Power on first; when the application VM\'s prompt appears, click its console and type the command.', 'The Attacks buttons run the same command.'],
        solution: [{ do: 'power-on' }, { do: 'type', vm: 'app', line: 'attack dma-escape' }],
        concepts: ['bus-master'],
      },
      {
        text: 'First way: select dma0, set its DMA protection to "Firewall identity", apply the board and reboot, and attack again.',
        goal: { all: [{ check: 'component', id: 'dma0', dmaProtection: 'firewall-id' }, { check: 'event', type: 'dma.blocked', where: { protection: 'firewall-id' } }, { check: 'no-event', type: 'dma.escape' }] },
        hints: ['Click dma0 on the diagram; the inspector has a DMA protection select.', 'Edits reach the running board after "Board changed — apply & reboot" (in the simulation bar).'],
        solution: [{ do: 'protect', id: 'dma0', protection: 'firewall-id' }, { do: 'restart' }, { do: 'type', vm: 'app', line: 'attack dma-escape' }],
        concepts: ['firewall-identity'],
      },
      {
        text: 'Second way: move the board to the gateway-a53 SoC, which has an IOMMU; set dma0\'s protection to "IOMMU", apply and reboot, and attack again.',
        goal: { all: [{ check: 'soc', soc: 'gateway-a53' }, { check: 'event', type: 'dma.blocked', where: { protection: 'iommu' } }, { check: 'no-event', type: 'dma.escape' }] },
        hints: ['The SoC select is in the toolbar.', 'On a SoC without an IOMMU, the "IOMMU" protection is a cannot-boot error (iommu-unavailable).'],
        solution: [{ do: 'soc', soc: 'gateway-a53' }, { do: 'protect', id: 'dma0', protection: 'iommu' }, { do: 'restart' }, { do: 'type', vm: 'app', line: 'attack dma-escape' }],
        concepts: ['iommu'],
      },
    ],
  },
  {
    id: 'paravirtual-network',
    kind: 'lesson',
    title: '3. Paravirtual networking and an egress rule',
    summary: 'Give the network to the system VM and let the application VM use it through networkd, whose egress policy can stop a host.',
    learned: [
      'A network adapter passed straight to the application VM bypasses every filter of the system VM.',
      'Paravirtualized, the adapter is driven by the system VM; the application VM sends through virtio-net over a virtual socket to networkd.',
      'networkd\'s egress policy is a file in the system VM: one rule stops a host for the application VM, whatever runs there.',
    ],
    board: board('Oven with Wi-Fi in the application VM', 'iot-a7m4', [
      { id: 'disp0', kind: 'display', domain: 'app' },
      { id: 'sec0', kind: 'security-processor', domain: 'system' },
      // A watchdog, so that the system VM's boot has no failure this lesson is not about.
      { id: 'wdt0', kind: 'watchdog', domain: 'system' },
      { id: 'flash0', kind: 'flash', domain: 'shared' },
      { id: 'wifi0', kind: 'wifi', domain: 'app' },
    ], 16, 24),
    concepts: ['paravirtualization', 'vsock', 'egress-policy'],
    steps: [
      {
        text: 'Wi-Fi was passed straight to the application VM (see the warning in Diagnostics). Move wifi0 to the Paravirtualized zone and power on.',
        goal: { all: [{ check: 'component', id: 'wifi0', domain: 'shared' }, { check: 'event', type: 'vm.boot', where: { vm: 'app' } }] },
        hints: ['Drag wifi0 into the "Paravirtualized" zone, or choose it in the inspector\'s Domain select.', 'Then press "Power on" (or "Board changed — apply & reboot" if it is already on).'],
        solution: [{ do: 'assign', id: 'wifi0', domain: 'shared' }, { do: 'power-on' }],
        concepts: ['paravirtualization'],
      },
      {
        text: 'api.vendor.example is on networkd\'s allow-list. In the System VM console add a rule that stops it: `echo "block api.vendor.example lab" >> /etc/networkd/egress.conf` Then in the Application VM console: `curl api.vendor.example`',
        goal: { check: 'event', type: 'net.blocked', where: { host: 'api.vendor.example', category: 'lab' } },
        hints: ['`cat /etc/networkd/egress.conf` in the System VM shows the policy and its syntax.', 'The rule is "block <pattern> <category>"; the refusal names the category.'],
        solution: [
          { do: 'type', vm: 'system', line: 'echo "block api.vendor.example lab" >> /etc/networkd/egress.conf' },
          { do: 'type', vm: 'app', line: 'curl api.vendor.example' },
        ],
        concepts: ['egress-policy', 'vsock'],
      },
    ],
  },
  {
    id: 'memory-budget',
    kind: 'lesson',
    title: '4. The memory budget on a 16 MiB SoC',
    summary: 'Two VMs, each with its kernel inside, and a real-time window must fit in 16 MiB: make the VMs fit, then boot.',
    learned: [
      'Each VM runs its own kernel inside its own RAM: the kernel reserves part of it at boot and keeps more at run time, so a VM cannot be smaller than its kernel needs.',
      'The real-time container needs its own memory window, its RTOS inside it, but no Linux kernel.',
      'On a microcontroller-class SoC the budget, not the idea, decides what fits.',
    ],
    board: { ...exampleBoard('industrial-sensor'), name: 'Sensor that asks for too much', vms: { system: { memoryMiB: 4 }, app: { memoryMiB: 14 } } },
    concepts: ['memory-budget', 'partition', 'cannot-boot'],
    steps: [
      {
        text: 'The VMs ask for more than the chip has (see memory-budget in Diagnostics). In Board settings, lower the Application VM\'s memory until the budget fits.',
        goal: { check: 'no-diagnostic', rules: ['memory-budget'] },
        hints: ['The diagnostic says how many MiB too much.', 'The system VM keeps its 4 MiB: its kernel needs 2 MiB of them and its services the rest. Take the MiB from the application VM, but not below the 3 MiB its own kernel and services need.'],
        solution: [{ do: 'memory', vm: 'app', mib: 11 }],
        concepts: ['memory-budget'],
      },
      {
        text: 'Power on: both kernels boot in the memory you gave them.',
        goal: bootedBoth,
        hints: ['The "Power on" button is in the toolbar.'],
        solution: [{ do: 'power-on' }],
        concepts: ['cannot-boot'],
      },
    ],
  },
  {
    id: 'refresh',
    kind: 'lesson',
    title: '5. Refresh on compromise, /data kept',
    summary: 'When the security monitor finds the application VM compromised, the system VM reloads it from the master image; /data survives.',
    learned: [
      'The application VM\'s root comes from a read-only master image; a refresh throws away every change outside /data.',
      '/data is the user-data store: it survives every refresh.',
      'The refresh policy decides when: on a schedule, on a crash, on a compromise.',
    ],
    board: { ...exampleBoard('smart-oven'), name: 'Oven that is never refreshed', vms: { system: { memoryMiB: 16 }, app: { memoryMiB: 24, refresh: { everySeconds: null, onCrash: true, onCompromise: false } } } },
    concepts: ['refresh', 'master-image', 'overlay'],
    steps: [
      {
        text: 'This oven is never refreshed when it is compromised. In Board settings, under "Refresh the application VM from its master image", tick "when the security monitor finds it compromised".',
        goal: { check: 'refresh-policy', onCompromise: true },
        hints: ['Board settings are in the right-hand column, under the inspector.'],
        solution: [{ do: 'refresh-policy', onCompromise: true }],
        concepts: ['refresh'],
      },
      {
        text: 'Power on. In the Application VM console keep a note: `echo mine > /data/note.txt` Then type: `attack malware`',
        goal: { check: 'event', type: 'vm.refresh', where: { vm: 'app', reason: 'compromise', dataKept: '/data/note.txt' } },
        hints: [
          'The malware changes files outside /data; the security monitor notices and the system VM refreshes the VM.',
          'The step is met when the refresh keeps /data/note.txt: write the note before the attack (`ls /data` shows it).',
          'Afterwards, `cat /data/note.txt`: your note is still there.',
        ],
        solution: [{ do: 'power-on' }, { do: 'type', vm: 'app', line: 'echo mine > /data/note.txt' }, { do: 'type', vm: 'app', line: 'attack malware' }],
        concepts: ['refresh', 'master-image', 'overlay'],
      },
    ],
  },
  {
    id: 'signed-update',
    kind: 'lesson',
    title: '6. A signed system update',
    summary: 'Update the system VM from signed image fragments while the application VM keeps running; a tampered bundle is refused.',
    learned: [
      'A system image is a list of signed fragments; the update service checks every signature before it changes the boot configuration.',
      'A fragment with a bad signature is refused and nothing changes.',
      'The system VM reboots into the new fragments while the application VM keeps running.',
    ],
    board: exampleBoard('smart-oven'),
    concepts: ['signed-fragment', 'master-image'],
    steps: [
      {
        text: 'Power on. In the System VM console try a tampered bundle: `update apply system-os-2.0-badsig`',
        goal: { check: 'event', type: 'update.rejected', where: { vm: 'system' } },
        hints: ['`update list` shows the bundles on offer.'],
        solution: [{ do: 'power-on' }, { do: 'type', vm: 'system', line: 'update apply system-os-2.0-badsig' }],
        concepts: ['signed-fragment'],
      },
      {
        text: 'Now the genuine one: `update apply system-os-2.0` Then watch the application VM keep running while the system VM reboots.',
        goal: { all: [{ check: 'event', type: 'update.applied' }, { check: 'no-event', type: 'vm.stop', where: { vm: 'app' } }, { check: 'vm-state', vm: 'app', state: 'running' }] },
        hints: ['The Events timeline shows update.applied, then the system VM\'s reboot — and nothing about the application VM.'],
        solution: [{ do: 'type', vm: 'system', line: 'update apply system-os-2.0' }],
        concepts: ['signed-fragment'],
      },
    ],
  },
  {
    id: 'launch-storm',
    kind: 'lesson',
    title: '7. A launch storm with a stuck app',
    summary: 'The supervisor launches apps one after another; an app that never starts is stopped so the others can go.',
    learned: [
      'The supervisor ties each app to the first PID it captures; launches wait for the previous one so PIDs cannot be confused.',
      'An app that never captures a PID times out and is stopped; the next launch goes on.',
      'Untrusted apps run in containers with their own PID namespace.',
    ],
    board: exampleBoard('smart-oven'),
    concepts: ['container', 'pid-namespace'],
    steps: [
      {
        text: 'Power on. In the Application VM console launch two apps, a stuck one first: `launch stuck-app browser`',
        goal: { all: [{ check: 'event', type: 'app.timeout', where: { app: 'stuck-app' } }, { check: 'event', type: 'app.launch', where: { app: 'browser' } }] },
        hints: ['Watch the timeline: stuck-app times out, then the browser starts.', '`ps` afterwards shows the browser with one PID in its container and another on the host.'],
        solution: [{ do: 'power-on' }, { do: 'type', vm: 'app', line: 'launch stuck-app browser' }],
        concepts: ['container', 'pid-namespace'],
      },
    ],
  },
  {
    id: 'legacy-32bit',
    kind: 'lesson',
    title: '8. A legacy 32-bit program',
    summary: 'Run an old 32-bit x86 (i386) Linux program on the Arm application VM through the kernel-call emulator, which translates every kernel call and checks every pointer.',
    learned: [
      'No Arm core runs i386 instructions: a CPU simulator executes them, and each kernel call is translated (thunked) from the i386 ABI to the host\'s.',
      'The emulator keeps the program below its 3 GiB limit: a bad pointer gets EFAULT, as from a kernel, and the program goes on.',
    ],
    board: exampleBoard('smart-oven'),
    concepts: ['kernel-call-thunk'],
    steps: [
      {
        text: 'Power on. In the Application VM console run an i386 program with its kernel calls shown: `run32 --trace hello32` Each [emu] block is one call: the program\'s registers (Linux i386 ABI), the conversions, then the call the Cortex-A7\'s kernel really gets (Arm EABI registers).',
        goal: { all: [{ check: 'event', type: 'emu.call', where: { program: 'hello32' } }, { check: 'vm-state', vm: 'app', state: 'running' }] },
        hints: ['Type `run32 --trace hello32` in the Application VM console.', 'Look for "program" (eax, ebx…) and "host" (r7, r0…) lines in each [emu] block.'],
        solution: [{ do: 'power-on' }, { do: 'type', vm: 'app', line: 'run32 --trace hello32' }],
        concepts: ['kernel-call-thunk'],
      },
      {
        text: 'Now a program that passes a bad pointer: `run32 badptr32` The emulator returns EFAULT for it, the program prints its own error and carries on, and the application VM keeps running.',
        goal: { all: [{ check: 'event', type: 'emu.fault', where: { vm: 'app', kind: 'efault' } }, { check: 'vm-state', vm: 'app', state: 'running' }] },
        hints: ['Type `run32 badptr32` in the Application VM console.', 'The timeline shows an emu.fault: the call got EFAULT; nothing was killed.'],
        solution: [{ do: 'type', vm: 'app', line: 'run32 badptr32' }],
        concepts: ['kernel-call-thunk'],
      },
    ],
  },
];

const attackSteps: Lesson['steps'] = [
  {
    text: 'Attack 1: power on and run `attack dma-escape` in the Application VM. It must be stopped.',
    goal: { all: [{ check: 'event', type: 'dma.blocked' }, { check: 'no-event', type: 'dma.escape' }] },
    hints: ['Every bus master in the application VM needs a protection.'],
    solution: [{ do: 'power-on' }, { do: 'type', vm: 'app', line: 'attack dma-escape' }],
    concepts: ['bus-master', 'firewall-identity'],
  },
  {
    text: 'Attack 2: `attack malware` The VM must be refreshed, and nothing may leave the device.',
    goal: { all: [{ check: 'event', type: 'vm.refresh', where: { vm: 'app', reason: 'compromise' } }, { check: 'no-event', type: 'net.exfiltrated' }] },
    hints: ['Malware looks for a network path that bypasses networkd.', 'Refresh on compromise must be on.'],
    solution: [{ do: 'type', vm: 'app', line: 'attack malware' }],
    concepts: ['refresh', 'egress-policy'],
  },
  {
    text: 'Attack 3: `attack crash` The application VM must come back by itself.',
    goal: { check: 'event', type: 'vm.refresh', where: { vm: 'app', reason: 'crash' } },
    hints: ['Refresh on crash must be on.'],
    solution: [{ do: 'type', vm: 'app', line: 'attack crash' }],
    concepts: ['refresh'],
  },
];

export const CHALLENGES: Lesson[] = [
  {
    id: 'broken-oven',
    kind: 'challenge',
    title: 'Challenge: the broken oven',
    summary: 'Make the oven boot and survive three attacks, in as few board changes as you can. The diagnostics stay hidden until you ask.',
    learned: ['You found every mistake of a hurried partition and proved the fixes with attacks.'],
    board: exampleBoard('broken-oven'),
    concepts: ['partition', 'bus-master', 'memory-budget', 'refresh'],
    hideDiagnostics: true,
    steps: [
      {
        text: 'Make the board boot with no error at all (security holes count too).',
        goal: { check: 'no-errors' },
        hints: ['Errors: a bus master, two blocks in the wrong VM, two blocks on the same pads, the memory. And one warning matters to the attacks.', 'Ask for the diagnostics if you are stuck (it does not cost points).'],
        solution: [
          { do: 'protect', id: 'dma0', protection: 'firewall-id' },
          { do: 'assign', id: 'sec0', domain: 'system' },
          { do: 'assign', id: 'flash0', domain: 'shared' },
          { do: 'remove', id: 'sd0' },
          { do: 'assign', id: 'wifi0', domain: 'shared' },
          { do: 'memory', vm: 'app', mib: 22 },
        ],
        concepts: ['partition', 'cannot-boot'],
      },
      ...attackSteps,
    ],
  },
  {
    id: 'open-sensor',
    kind: 'challenge',
    title: 'Challenge: the open sensor',
    summary: 'A 16 MiB sensor left with its firewall off, an unprotected DMA engine and no refresh: make it survive three attacks.',
    learned: ['Isolation on a small SoC rests on the hardware firewall: with it off, nothing is contained.'],
    board: withFirewallOff(board('Open sensor', 'mcu-16', [
      { id: 'uart0', kind: 'uart', domain: 'app' },
      { id: 'spi0', kind: 'spi', domain: 'rt' },
      { id: 'dma0', kind: 'dma', domain: 'app', dmaProtection: 'none' },
      { id: 'sec0', kind: 'security-processor', domain: 'system' },
      { id: 'wifi0', kind: 'wifi', domain: 'shared' },
      { id: 'flash0', kind: 'flash', domain: 'shared' },
    ], 4, 6, { onCrash: false, onCompromise: false })),
    // mcu-16's Cortex-A5 has no stage-2: TrustZone and the firewall are what separate its sides.
    concepts: ['firewall-identity', 'refresh', 'trustzone'],
    hideDiagnostics: true,
    steps: [
      {
        text: 'Make the board boot with no error, with the hardware firewall enforced.',
        goal: { all: [{ check: 'no-errors' }, { check: 'firewall', enforce: true }] },
        hints: ['Board settings hold the firewall switch and the refresh policy.'],
        solution: [
          { do: 'firewall', enforce: true },
          { do: 'protect', id: 'dma0', protection: 'firewall-id' },
        ],
        concepts: ['firewall-identity'],
      },
      ...attackSteps.slice(0, 1),
      {
        ...attackSteps[1],
        solution: [{ do: 'refresh-policy', onCompromise: true }, { do: 'restart' }, ...attackSteps[1].solution],
      },
      {
        ...attackSteps[2],
        solution: [{ do: 'refresh-policy', onCrash: true }, { do: 'restart' }, ...attackSteps[2].solution],
      },
    ],
  },
];

for (const c of CHALLENGES) c.par = c.steps.reduce((n, s) => n + boardChanges(s.solution), 0);

export const ALL_LESSONS: readonly Lesson[] = [...LESSONS, ...CHALLENGES];

export function findLesson(id: string): Lesson | undefined {
  return ALL_LESSONS.find((l) => l.id === id);
}

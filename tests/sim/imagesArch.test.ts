// The images are built for the SoC's application cores: a 32-bit Arm kernel (a zImage) runs 32-bit
// Arm programs, an arm64 kernel (an Image) 64-bit ones.
import { describe, expect, it } from 'vitest';
import { booted, makeBoard, run } from './helpers.ts';

const boards = {
  'mcu-16': makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }], { soc: 'mcu-16', systemMiB: 4, appMiB: 8 }),
  'iot-a7m4': makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }]),
  'gateway-a53': makeBoard([{ id: 'uart0', kind: 'uart', domain: 'app' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 }),
};

describe('images built for the application cores', () => {
  it.each(Object.entries(boards))('%s: every program and module is an ELF of the class and machine uname -m names, and the kernel image is that architecture\'s', (_soc, board) => {
    const sim = booted(board);
    const machine = run(sim, 'app', 'uname -m').text.split('\n')[1]!.trim();
    const wide = machine === 'aarch64';
    expect(['armv7l', 'aarch64']).toContain(machine);
    for (const vm of ['system', 'app'] as const) {
      for (const path of ['/sbin/init', '/lib/libc.so', `/lib/modules/${sim.utsname('app').release}/extra/devicemaker-uart.ko`].slice(0, vm === 'app' ? 3 : 2)) {
        const head = run(sim, vm, `hexdump -C -n 32 ${path}`).text;
        // EI_CLASS 1 (32-bit) or 2 (64-bit); e_machine EM_ARM (0x28) or EM_AARCH64 (0xb7).
        expect(head).toContain(`00000000  7f 45 4c 46 0${wide ? 2 : 1} 01 01 00`);
        const type = path.endsWith('.ko') ? '01' : path.endsWith('.so') ? '03' : '02';
        expect(head).toContain(`00000010  ${type} 00 ${wide ? 'b7' : '28'} 00 01 00 00 00`);
      }
      const image = run(sim, vm, 'hexdump -C -n 64 /boot/Image').text;
      if (wide) expect(image).toContain('41 52 4d 64'); // "ARM\x64" at 0x38
      else expect(image).toContain('00000020  00 00 00 00 18 28 6f 01'); // zImage magic 0x016F2818 at 0x24
    }
  });
});

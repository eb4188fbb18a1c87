// The kernel-call layer's conversions, one at a time: which registers each
// side uses, sign vs zero extension by C type, structure layouts, and results.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Emu32Process, HOSTS, I386_LINUX_LIMIT, formatCall, run32, type KernelCallRecord } from '../../../src/sim/emu/index.ts';

const gateway = HOSTS['gateway-a53'];
const oven = HOSTS['iot-a7m4'];

/** Runs `body` (i386 assembly after _start) and returns the process. */
function exec(body: string, host = gateway, now?: { sec: number; nsec: number }) {
  const p = new Emu32Process({ name: 't32', description: 'test', source: `_start:\n${body}\nsection .text\n  mov eax, 252\n  mov ebx, 0\n  int 0x80` }, host, { now });
  while (p.state === 'running') p.run(10_000);
  return p;
}
const hostRegs = (c: KernelCallRecord, i = 0) => Object.fromEntries(c.host[i].regs.map((r) => [r.reg, r.value]));

describe('kernel-call layer: registers on both sides', () => {
  it('reads the call number from eax and the arguments from ebx, ecx, edx; calls AArch64 with x8 and x0–x2', () => {
    const c = run32('hello32', gateway).calls[0];
    expect(c.program.map((r) => r.reg)).toEqual(['eax', 'ebx', 'ecx', 'edx']);
    expect(c.host[0].regs.map((r) => r.reg)).toEqual(['x8', 'x0', 'x1', 'x2']);
    expect(hostRegs(c).x8).toBe(64n); // write on AArch64
  });

  it('on a 32-bit Arm host uses r7 and r0–r5 and 32-bit values only — no x registers anywhere in the trace', () => {
    const r = run32('alloc32', oven, { trace: true });
    const mmap = r.calls.find((c) => c.name === 'mmap2' && !c.errno)!;
    expect(mmap.host[0].regs.map((r) => r.reg)).toEqual(['r7', 'r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(hostRegs(mmap).r7).toBe(192n);
    expect(r.trace!.join('\n')).not.toMatch(/\bx[0-9]\b|\bx8=/);
    expect(r.trace!.join('\n')).not.toMatch(/0x[0-9a-f]{16}/);
  });

  it('translates numbers that differ: exit_group is 252 on i386, 94 on AArch64, 248 on Arm EABI', () => {
    expect(hostRegs(run32('hello32', gateway).calls.at(-1)!).x8).toBe(94n);
    expect(hostRegs(run32('hello32', oven).calls.at(-1)!).r7).toBe(248n);
  });

  it('open becomes openat(AT_FDCWD) on AArch64, with -100 sign-extended to 64 bits', () => {
    const open = run32('share32', gateway).calls.find((c) => c.name === 'open')!;
    expect(open.host[0].name).toBe('openat');
    expect(hostRegs(open).x0).toBe(-100n);
    expect(formatCall(open).join('\n')).toContain('x0=0xffffffffffffff9c');
    expect(formatCall(open)[0]).toMatch(/^\[emu\] #1 open\("\/dev\/shm\/isolab-share", 66, 384\)/);
    expect(run32('share32', oven).calls.find((c) => c.name === 'open')!.host[0].name).toBe('open');
  });
});

describe('kernel-call layer: word conversions', () => {
  it("off_t is sign-extended: ftruncate(fd, -1) reaches the host as -1 and fails with EINVAL instead of making a 4 GiB file", () => {
    const p = exec(`
      mov eax, 5
      mov ebx, path
      mov ecx, 0x42
      mov edx, 0x180
      int 0x80
      mov ebx, eax
      mov eax, 93
      mov ecx, -1
      int 0x80
      section .data
      path: db "/dev/shm/t", 0`);
    const ft = p.calls.find((c) => c.name === 'ftruncate')!;
    expect(hostRegs(ft).x1).toBe(-1n);
    expect(ft.errno).toBe('EINVAL');
    expect(p.kernel.files.get('/dev/shm/t')!.size).toBe(0);
  });

  it('size_t is zero-extended: a count of 0xffffffff stays 4 GiB - 1 (and is refused as past the limit)', () => {
    const p = exec('mov eax, 4\nmov ebx, 1\nmov ecx, 0x08048000\nmov edx, -1\nint 0x80');
    const w = p.calls[0];
    expect(w.errno).toBe('EFAULT');
    expect(w.refused!.why).toMatch(/4294967295 bytes at 0x08048000 run past the program's limit/);
  });

  it("mmap2's fd is an int (sign-extended) and its page offset becomes a byte offset on AArch64 only", () => {
    const src = `
      mov eax, 5
      mov ebx, path
      mov ecx, 0x42
      mov edx, 0x180
      int 0x80
      mov edi, eax
      mov eax, 192
      mov ebx, 0
      mov ecx, 4096
      mov edx, 3
      mov esi, 1
      mov ebp, 2
      int 0x80
      section .data
      path: db "/dev/shm/t", 0`;
    const g = exec(src).calls.find((c) => c.name === 'mmap2')!;
    expect(hostRegs(g)).toMatchObject({ x8: 222n, x5: 8192n, x3: BigInt(0x100001) }); // MAP_SHARED | MAP_FIXED_NOREPLACE
    const a = exec(src, oven).calls.find((c) => c.name === 'mmap2')!;
    expect(hostRegs(a)).toMatchObject({ r7: 192n, r5: 2n });
    const anon = run32('alloc32', gateway).calls.find((c) => c.name === 'mmap2')!;
    expect(hostRegs(anon).x4).toBe(-1n);
  });

  it('an error comes back as -errno in eax; a call the emulator does not know gets ENOSYS', () => {
    const p = exec('mov eax, 6\nmov ebx, 77\nint 0x80\nmov eax, 999\nint 0x80');
    expect(p.calls[0]).toMatchObject({ name: 'close', errno: 'EBADF', result: 0xffff_fff7 });
    expect(p.calls[1]).toMatchObject({ name: '#999', errno: 'ENOSYS', result: 0xffff_ffda, host: [] });
  });
});

describe('memory constrainer', () => {
  it('places every mapping page-aligned, below the limit and without overlap', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 64 * 1024 * 1024 }), { minLength: 1, maxLength: 12 }), fc.constantFrom(gateway, oven), (lengths, host) => {
      const body = lengths.map((len) => `mov eax, 192\nmov ebx, 0\nmov ecx, ${len}\nmov edx, 3\nmov esi, 0x22\nmov edi, -1\nmov ebp, 0\nint 0x80`).join('\n');
      const got = exec(body, host).calls.filter((c) => c.name === 'mmap2').map((c, i) => ({ c, len: lengths[i] }));
      const placed = got.filter(({ c }) => !c.errno).map(({ c, len }) => [c.result, c.result + len] as const).sort((a, b) => a[0] - b[0]);
      expect(got.every(({ c }) => !c.errno)).toBe(true);
      for (const [start, end] of placed) {
        expect(start % 4096).toBe(0);
        expect(end).toBeLessThanOrEqual(I386_LINUX_LIMIT.end);
      }
      for (let i = 1; i < placed.length; i++) expect(placed[i][0]).toBeGreaterThanOrEqual(placed[i - 1][1]);
    }), { numRuns: 30 });
  });

  it('when the room below the limit runs out, the next mapping gets ENOMEM', () => {
    const GiB = 0x4000_0000;
    const body = [GiB, GiB, GiB].map((len) => `mov eax, 192\nmov ebx, 0\nmov ecx, ${len}\nmov edx, 3\nmov esi, 0x22\nmov edi, -1\nmov ebp, 0\nint 0x80`).join('\n');
    const calls = exec(body).calls.filter((c) => c.name === 'mmap2');
    expect(calls.map((c) => c.errno)).toEqual([undefined, undefined, 'ENOMEM']);
    expect(calls[1].result + GiB).toBeLessThanOrEqual(calls[0].result);
    expect(calls[1].result).toBeGreaterThanOrEqual(0x1000_0000);
  });

  it('a request larger than the room below the limit gets ENOMEM and the host is never asked', () => {
    const c = exec('mov eax, 192\nmov ebx, 0\nmov ecx, 0xc0000000\nmov edx, 3\nmov esi, 0x22\nmov edi, -1\nmov ebp, 0\nint 0x80').calls[0];
    expect(c).toMatchObject({ errno: 'ENOMEM', host: [] });
  });
});

describe('kernel-call layer: arguments in memory (the old i386 mmap)', () => {
  it('reads the six words of struct mmap_arg_struct and moves them into the host registers', () => {
    const p = exec('mov eax, 90\nmov ebx, block\nint 0x80\nsection .data\nblock: dd 0, 0x3000, 1, 0x22, -1, 0');
    const c = p.calls[0];
    expect(c.errno).toBeUndefined();
    expect(hostRegs(c)).toMatchObject({ x1: 0x3000n, x2: 1n, x4: -1n });
    expect(c.result).toBeLessThan(0xc000_0000);
  });

  it('refuses an offset that is not page-aligned with EINVAL, and an unreadable block with EFAULT, as sys_old_mmap does', () => {
    expect(exec('mov eax, 90\nmov ebx, block\nint 0x80\nsection .data\nblock: dd 0, 0x1000, 1, 0x22, -1, 100').calls[0]).toMatchObject({ errno: 'EINVAL', host: [] });
    expect(exec('mov eax, 90\nmov ebx, 0x20000000\nint 0x80').calls[0]).toMatchObject({ errno: 'EFAULT', host: [] });
  });
});

describe('kernel-call layer: structures', () => {
  const clock = `
      mov eax, 265
      mov ebx, 0
      mov ecx, ts
      int 0x80
      section .data
      ts: dd 0, 0, 0x55555555`;

  it('narrows the 16-byte LP64 timespec to the 8-byte 32-bit one, leaving the bytes after it alone', () => {
    const p = exec(clock, gateway, { sec: 1_767_225_600, nsec: 999_999_999 });
    const ts = p.image.symbols.ts;
    const m = p.proc.mem;
    expect([m.read32(ts), m.read32(ts + 4), m.read32(ts + 8)]).toEqual([1_767_225_600, 999_999_999, 0x5555_5555]);
    const c = p.calls[0];
    const buf = Number(hostRegs(c).x1);
    expect(buf).toBeGreaterThan(0xffff_ffff); // the host wrote into the emulator's own memory, not the program's
    expect([m.read64(buf), m.read64(buf + 8)]).toEqual([1_767_225_600n, 999_999_999n]);
  });

  it('past January 2038 a 32-bit time_t cannot hold the seconds: they are truncated, and the trace says so', () => {
    const p = exec(clock, gateway, { sec: 2 ** 31 + 5, nsec: 0 });
    expect(p.proc.mem.read32(p.image.symbols.ts) | 0).toBe(-(2 ** 31) + 5);
    expect(p.calls[0].steps.map((s) => s.text).join('\n')).toMatch(/truncated to -2147483643 \(a 32-bit time_t ends in January 2038\)/);
  });

  it('on a 32-bit host both layouts are the same and the program\'s pointer goes straight to the kernel', () => {
    const p = exec(clock, oven, { sec: 1_767_225_600, nsec: 5 });
    expect(hostRegs(p.calls[0]).r1).toBe(BigInt(p.image.symbols.ts));
    expect(p.proc.mem.read32(p.image.symbols.ts + 4)).toBe(5);
  });

  it('on a 32-bit Arm host the limit is the host\'s user space, 0xBF000000: the stack is under it, and a pointer at it is EFAULT without asking the host', () => {
    const p = exec('mov eax, 265\nmov ebx, 0\nmov ecx, 0xbf000000\nint 0x80', oven);
    expect(p.calls[0]).toMatchObject({ errno: 'EFAULT', host: [] });
    expect(p.calls[0].refused!.why).toContain('0xbf000000');
    const r = run32('hello32', oven);
    expect(r.limit.end).toBe(0xbf00_0000);
    const write = r.calls.find((c) => c.name === 'write')!;
    expect(Number(hostRegs(write).r1)).toBeLessThan(0xbf00_0000);
    // On the 64-bit host the program keeps the i386 limit.
    expect(run32('hello32', gateway).limit).toBe(I386_LINUX_LIMIT);
  });

  it('a timespec pointer past the limit is EFAULT before anything is written', () => {
    const p = exec('mov eax, 265\nmov ebx, 0\nmov ecx, 0xbffffffc\nint 0x80');
    expect(p.calls[0]).toMatchObject({ errno: 'EFAULT', host: [] });
    expect(p.calls[0].refused!.why).toMatch(/8 bytes at 0xbffffffc run past/);
  });
});

describe('run32 --trace lines', () => {
  it('show the program registers, each conversion, the host call and the result, in that order', () => {
    const lines = formatCall(run32('hello32', gateway).calls[0]);
    expect(lines[0]).toMatch(/^\[emu\] #1 write\(1, 0x08049000, 29\) at instruction \d+$/);
    expect(lines[1]).toBe('  program  Linux i386 int 0x80: eax=0x00000004 (write) ebx=0x00000001 ecx=0x08049000 edx=0x0000001d');
    expect(lines.map((l) => l.trim().split(/\s+/)[0])).toEqual(['[emu]', 'program', 'convert', 'pointer', 'convert', 'host', 'result']);
    expect(lines[5]).toBe('  host     Linux AArch64 svc #0: x8=64 (write) x0=0x0000000000000001 x1=0x0000000008049000 x2=0x000000000000001d → x0=0x000000000000001d');
  });
});

// The built-in 32-bit programs, run on every host profile: each result
// checked, the memory limit kept, determinism, the step budget, stepping.
import { describe, expect, it } from 'vitest';
import { Emu32Process, HOSTS, I386_LINUX_LIMIT, NativeKernel, PROGRAMS, layersFor, run32, type Host, type Run32Result } from '../../../src/sim/emu/index.ts';

const hosts = Object.entries(HOSTS) as [string, Host][];
const json = (r: Run32Result) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

describe.each(hosts)('built-in programs on %s', (_soc, host) => {
  it('hello32 writes its greeting with the PID the host gave the emulator process', () => {
    const r = run32('hello32', host);
    expect(r.output).toBe(`Hello from a 32-bit program: hello32, pid ${r.pid}\n`);
    expect(r.exitCode).toBe(0);
    expect(r.calls.map((c) => c.name)).toEqual(['write', 'write', 'write', 'getpid', 'write', 'write', 'exit_group']);
  });

  it('sum32 really loops: the sum is right and took about four instructions per term', () => {
    const r = run32('sum32', host);
    expect(r.output).toBe(`sum32: 1 + 2 + ... + 50000 = ${(50000 * 50001) / 2}\n`);
    expect(r.exitCode).toBe(0);
    expect(r.steps).toBeGreaterThan(4 * 50000);
  });

  it('alloc32: every allocation lies below the 3 GiB limit; one past it is refused with ENOMEM', () => {
    const r = run32('alloc32', host);
    expect(r.exitCode).toBe(0);
    const brk = r.calls.filter((c) => c.name === 'brk');
    const mmaps = r.calls.filter((c) => c.name === 'mmap2');
    expect(brk).toHaveLength(2);
    expect(brk[1].result).toBe(brk[0].result + 0x10000);
    expect(mmaps[0].errno).toBeUndefined();
    expect(mmaps[0].result + 0x100000).toBeLessThanOrEqual(I386_LINUX_LIMIT.end);
    expect(mmaps[1]).toMatchObject({ errno: 'ENOMEM', host: [] });
    // The host really was asked for exactly the address the constrainer chose.
    for (const c of [brk[1], mmaps[0]]) expect(Number(c.host[0].regs[1].value)).toBeLessThan(I386_LINUX_LIMIT.end);
    expect(r.output).toContain(`mmap2 gave 1 MiB at 0x${mmaps[0].result.toString(16).padStart(8, '0')}\n`);
    expect(r.output).toContain('refused with errno 12\n');
    const old = r.calls.find((c) => c.name === 'mmap')!;
    expect(old.program.map((p) => p.reg)).toEqual(['eax', 'ebx']); // one pointer; the six arguments are in memory
    expect(old.result + 0x10000).toBeLessThanOrEqual(mmaps[0].result);
    expect(Number(old.host[0].regs[2].value)).toBe(0x10000); // len, read from the block into the host's register
  });

  it('badptr32 gets EFAULT twice, prints its own errors and carries on', () => {
    const r = run32('badptr32', host);
    expect(r.exitCode).toBe(1);
    expect(r.signal).toBeUndefined();
    const writes = r.calls.filter((c) => c.errno === 'EFAULT');
    expect(writes).toHaveLength(2);
    // Above the limit: refused before the host is asked. Below it but unmapped: the host kernel says EFAULT.
    expect(writes[0]).toMatchObject({ refused: { pointer: 0xc000_1000 }, host: [], result: 0xffff_fff2 });
    expect(writes[1].refused).toBeUndefined();
    expect(writes[1].host[0].result).toBe(-14n);
    expect(r.stderr).toBe('badptr32: write: Bad address (EFAULT): 0xc0001000 is not in my address space\n'
      + 'badptr32: write: Bad address (EFAULT): nothing is mapped at 0x10000000\n');
    expect(r.output).toContain('still running after two errors');
    expect(r.faults.map((f) => [f.kind, f.call, f.address])).toEqual([['efault', 'write', 0xc000_1000], ['efault', 'write', 0x1000_0000]]);
  });

  it('share32: a native process maps the same file and reads what the 32-bit program wrote', () => {
    const r = run32('share32', host);
    expect(r.exitCode).toBe(0);
    expect(r.peer).toBeDefined();
    expect(r.peer!.text).toBe('32-bit data for the native side');
    expect(r.peer!.pid).not.toBe(r.pid);
    const programAddr = r.calls.find((c) => c.name === 'mmap2')!.result;
    expect(programAddr).toBeLessThan(I386_LINUX_LIMIT.end);
    if (host.bits === 64) expect(r.peer!.address).toBeGreaterThan(0xffff_ffffn); // the native side is not limited to 32 bits
    expect(r.peer!.calls.map((c) => c.name)).toEqual([host.bits === 64 ? 'openat' : 'open', host.bits === 64 ? 'mmap' : 'mmap2', 'close']);
  });

  it("share32's trace ends with the native process's own calls and what it read", () => {
    const trace = run32('share32', host, { trace: true }).trace!;
    const i = trace.findIndex((l) => l.startsWith('[native]'));
    expect(i).toBeGreaterThan(0);
    expect(trace.at(-1)).toMatch(/it reads "32-bit data for the native side"$/);
  });

  it('time32 reads the simulated clock through a 32-bit struct timespec', () => {
    const r = run32('time32', host, { now: { sec: 1_800_000_000, nsec: 123_456_789 } });
    expect(r.output).toBe('time32: 1800000000 s and 123456789 ns since 1970 (a 32-bit time_t)\n');
  });

  it('the same program and host give byte-identical results, traces included', () => {
    for (const name of Object.keys(PROGRAMS)) expect(json(run32(name, host, { trace: true }))).toBe(json(run32(name, host, { trace: true })));
  });
});

describe('running under the simulation', () => {
  const gateway = HOSTS['gateway-a53'];

  it('every built-in program needs the CPU simulator and the kernel-call layer on every profile', () => {
    for (const [, host] of hosts) expect(layersFor('i386', host)).toMatchObject({ cpu: true, thunk: true });
  });

  it('a 32-bit Arm program needs only the kernel-call layer on the 64-bit gateway, neither on a 32-bit host', () => {
    // arm64 Linux with CONFIG_COMPAT runs AArch32 EL0 programs natively (compat syscall table).
    expect(layersFor('a32', gateway)).toMatchObject({ cpu: false, thunk: false });
    expect(layersFor('a32', HOSTS['iot-a7m4'])).toMatchObject({ cpu: false, thunk: false });
    expect(layersFor('a32', HOSTS['mcu-16'])).toMatchObject({ cpu: false, thunk: false });
  });

  it('a process steps in slices, reporting its calls as they happen, and ends as run32 does', () => {
    const p = new Emu32Process('sum32', gateway);
    const seen: string[] = [];
    let text = '';
    let slices = 0;
    while (p.state === 'running') {
      const slice = p.run(10_000);
      seen.push(...slice.calls.map((c) => c.name));
      text += slice.writes.map((w) => w.text).join('');
      slices++;
      if (p.state === 'running') expect(p.exitCode).toBeNull();
    }
    expect(slices).toBeGreaterThan(10);
    expect(seen).toEqual(p.calls.map((c) => c.name));
    expect(text).toBe('sum32: 1 + 2 + ... + 50000 = 1250025000\n');
    expect(json(p.result())).toBe(json(run32('sum32', gateway)));
  });

  it("a process's memory charge grows as it allocates and counts nothing of the emulator's own", () => {
    const p = new Emu32Process('alloc32', gateway);
    const before = p.mappedBytes();
    expect(before).toBe(0x1000 + 0x1000 + 128 * 1024); // .text, .data, stack
    while (p.state === 'running') p.run(1000);
    expect(p.mappedBytes() - before).toBe(0x10000 + 0x100000 + 0x10000); // the brk growth, the 1 MiB and the 64 KiB mappings
  });

  it("the guest's process table can hand out the PIDs; a shared kernel keeps /dev/shm between programs", () => {
    const pids = [1207, 1208];
    const r = run32('share32', gateway, { allocatePid: () => pids.shift()! });
    expect([r.pid, r.peer!.pid]).toEqual([1207, 1208]);
    const kernel = new NativeKernel(gateway, { sec: 0, nsec: 0 });
    run32('share32', gateway, { kernel });
    expect(kernel.files.get('/dev/shm/isolab-share')!.size).toBe(4096);
    expect(run32('hello32', gateway, { kernel }).pid).toBe(402);
  });

  it('a program starts with argc and argv on its stack, below the limit', () => {
    const p = new Emu32Process('hello32', gateway);
    const sp = p.cpu.get('esp');
    expect(sp % 16).toBe(0);
    expect(sp).toBeLessThan(I386_LINUX_LIMIT.end);
    expect(p.proc.mem.read32(sp)).toBe(1);
    expect(p.proc.mem.readCString(p.proc.mem.read32(sp + 4))).toBe('hello32');
    expect([p.proc.mem.read32(sp + 8), p.proc.mem.read32(sp + 12)]).toEqual([0, 0]);
  });

  it('a program that never ends is stopped by the step budget with a clear message', () => {
    const r = run32({ name: 'spin32', description: 'loops forever', source: '_start: jmp _start' }, gateway, { maxSteps: 5000 });
    expect(r.exitCode).toBeNull();
    expect(r.steps).toBe(5000);
    expect(r.faults).toEqual([expect.objectContaining({ kind: 'budget', message: expect.stringMatching(/spin32: stopped after 5,000 instructions, its step budget/) })]);
  });

  it('the stack holds the auxiliary vector Linux supplies: AT_PAGESZ first, AT_RANDOM pointing at 16 bytes', () => {
    // Exit status: the AT_PAGESZ value / 256 (16), plus 100 if AT_RANDOM (25) is the 8th entry with a non-null pointer.
    const source = `_start:
      mov ebp, esp
      mov eax, [ebp+16]
      cmp eax, 6
      jne bad
      mov ebx, [ebp+20]
      shr ebx, 8
      mov eax, [ebp+72]
      cmp eax, 25
      jne done
      mov eax, [ebp+76]
      test eax, eax
      je done
      add ebx, 100
    done:
      mov eax, 1
      int 0x80
    bad:
      mov ebx, 1
      mov eax, 1
      int 0x80`;
    expect(run32({ name: 'auxv32', description: 'reads its auxiliary vector', source }, gateway).exitCode).toBe(116);
  });

  it('int 3 stops the program with SIGTRAP, as a breakpoint does under Linux', () => {
    const r = run32({ name: 'trap32', description: 'a breakpoint', source: '_start: int 3' }, gateway);
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGTRAP' });
  });

  it('a wild memory access kills the program with SIGSEGV', () => {
    const r = run32({ name: 'wild32', description: 'reads kernel space', source: '_start: mov eax, [0xc0000000]' }, gateway);
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGSEGV', steps: 0 });
    expect(r.faults[0]).toMatchObject({ kind: 'signal', signal: 'SIGSEGV', address: 0xc000_0000 });
  });

  it('an unknown program is refused with the list of known ones', () => {
    expect(() => run32('nope32', gateway)).toThrow(/no program 'nope32' — one of hello32, sum32, alloc32, badptr32, share32, time32/);
  });
});

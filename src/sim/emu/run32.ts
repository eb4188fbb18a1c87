// Running a 32-bit program: the loader, the process handle the shell steps
// (so the program shows in `ps` while it runs and the simulation can
// interleave it), and run32(), which runs one to the end.

import { AT_FDCWD, HOST_ABI, I386_ABI, HOST_CALLS, MAP, O, PROT, layersFor, regHex, type Host, type Layers } from './abi.ts';
import { Constrainer, limitFor, STACK_SIZE, type Limit } from './constrainer.ts';
import type { CpuSimulator, ProgramImage, Signal } from './cpu.ts';
import { assemble } from './i386/asm.ts';
import { I386 } from './i386/cpu.ts';
import { hex32 } from './i386/isa.ts';
import { AddressSpace, PAGE_SIZE, PROT_READ, PROT_WRITE, pageUp } from './memory.ts';
import { NativeKernel, type ConsoleWrite, type NativeProcess } from './native.ts';
import { PROGRAMS, type Program32 } from './programs.ts';
import { KernelCallLayer, formatHostCall, type HostCallRecord, type KernelCallRecord } from './thunk.ts';

export interface EmuFault {
  kind: 'efault' | 'signal' | 'budget';
  /** Instructions executed when it happened. */
  step: number;
  /** The kernel call that got EFAULT. */
  call?: string;
  address?: number;
  signal?: Signal;
  message: string;
}

export interface Run32Options {
  /** Also return the `run32 --trace` lines. */
  trace?: boolean;
  /** Instructions the program may execute before it is stopped (default 10 million). */
  maxSteps?: number;
  /** The host kernel to run against (shared with other native processes); a fresh one by default. */
  kernel?: NativeKernel;
  /** Simulated wall-clock time for a fresh kernel. */
  now?: { sec: number; nsec: number };
  /** PIDs for a fresh kernel's processes (the emulator, and share32's native reader), e.g. from the guest's process table. */
  allocatePid?: () => number;
}

export interface PeerResult {
  pid: number;
  /** Where the host kernel mapped the shared page in the native process. */
  address: bigint;
  /** The NUL-terminated text found there. */
  text: string;
  calls: HostCallRecord[];
}

export interface Run32Result {
  program: string;
  host: Host;
  layers: Layers;
  limit: Limit;
  pid: number;
  /** Exit status, or null when a signal or the step budget ended the program. */
  exitCode: number | null;
  signal?: Signal;
  /** What the program wrote to stdout / stderr. */
  output: string;
  stderr: string;
  calls: KernelCallRecord[];
  steps: number;
  faults: EmuFault[];
  peer?: PeerResult;
  trace?: string[];
}

export const DEFAULT_MAX_STEPS = 10_000_000;
/** 2026-01-01T00:00:00Z: the clock a fresh kernel starts at unless the simulation gives its own. */
const DEFAULT_NOW = { sec: 1_767_225_600, nsec: 0 };
/** The emulator's own buffer for host structures: host memory above 4 GiB, which no 32-bit pointer can reach. */
const SCRATCH_64 = 0x7f_f7ff_0000;

export function programNames(): string[] {
  return Object.keys(PROGRAMS);
}

/** A 32-bit program running under the emulator: a process the shell can list and step. */
export class Emu32Process {
  readonly program: Program32;
  readonly image: ProgramImage;
  readonly layers: Layers;
  readonly cpu: CpuSimulator;
  readonly kernel: NativeKernel;
  readonly proc: NativeProcess;
  readonly thunk: KernelCallLayer;
  state: 'running' | 'exited' | 'killed' = 'running';
  steps = 0;
  exitCode: number | null = null;
  signal?: Signal;
  readonly calls: KernelCallRecord[] = [];
  readonly faults: EmuFault[] = [];
  peer?: PeerResult;
  private maxSteps: number;

  constructor(program: string | Program32, readonly host: Host, opts: Run32Options = {}) {
    const p = typeof program === 'string' ? (Object.hasOwn(PROGRAMS, program) ? PROGRAMS[program] : undefined) : program;
    if (!p) throw new Error(`run32: no program '${String(program)}' — one of ${programNames().join(', ')}`);
    this.program = p;
    this.image = assemble(p.source);
    this.layers = layersFor(this.image.isa, host);
    this.maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
    this.kernel = opts.kernel ?? new NativeKernel(host, opts.now ?? DEFAULT_NOW, opts.allocatePid);
    // The emulator is one host process; the program's memory is the low part of its address space.
    const mem = new AddressSpace();
    this.proc = this.kernel.spawn(mem);
    const constrainer = new Constrainer(limitFor(host), mem);
    let end = 0;
    for (const s of this.image.sections) {
      mapBytes(mem, s.addr, s.bytes, s.prot);
      end = Math.max(end, s.addr + s.bytes.length);
    }
    mem.map(constrainer.stackTop - STACK_SIZE, STACK_SIZE, PROT_READ | PROT_WRITE);
    const scratch = host.bits === 64 ? SCRATCH_64 : 0;
    if (scratch) mem.map(scratch, PAGE_SIZE, PROT_READ | PROT_WRITE);
    this.thunk = new KernelCallLayer(host, this.kernel, this.proc, constrainer, pageUp(end), scratch);
    this.cpu = new I386(mem);
    this.cpu.reset(this.image.entry, initialStack(mem, constrainer.stackTop, p.name, this.image.entry));
  }

  get pid(): number { return this.proc.pid; }
  get name(): string { return this.program.name; }

  /** Runs up to `n` instructions; returns the kernel calls, faults and console writes (in order) they produced. */
  run(n: number): { calls: KernelCallRecord[]; faults: EmuFault[]; writes: ConsoleWrite[] } {
    const firstCall = this.calls.length, firstFault = this.faults.length, firstWrite = this.kernel.console.length;
    for (let i = 0; i < n && this.state === 'running'; i++) {
      if (this.steps >= this.maxSteps) {
        this.kill({ kind: 'budget', step: this.steps, message: `${this.name}: stopped after ${this.steps.toLocaleString('en')} instructions, its step budget (a loop that never ends?)` });
        break;
      }
      const r = this.cpu.step();
      if (r.kind === 'fault') {
        this.signal = r.signal;
        this.kill({ kind: 'signal', step: this.steps, signal: r.signal, address: r.address, message: `${this.name}: ${r.signal}: ${r.message}` });
        break;
      }
      this.steps++;
      if (r.kind === 'syscall') this.kernelCall();
    }
    return {
      calls: this.calls.slice(firstCall), faults: this.faults.slice(firstFault),
      writes: this.kernel.console.slice(firstWrite).filter((w) => w.pid === this.pid),
    };
  }

  private kill(f: EmuFault): void {
    this.faults.push(f);
    this.state = 'killed';
    this.exitCode = null;
  }

  private kernelCall(): void {
    const rec = this.thunk.call(this.cpu, this.calls.length + 1, this.steps);
    this.calls.push(rec);
    if (rec.errno === 'EFAULT')
      this.faults.push({ kind: 'efault', step: this.steps, call: rec.name, address: rec.refused?.pointer ?? pointerArg(rec),
        message: `${this.name}: ${rec.name} got EFAULT: ${rec.refused ? rec.refused.why : 'the host kernel found no mapping there'}; the program continues` });
    if (this.proc.exitStatus !== null) {
      this.state = 'exited';
      this.exitCode = this.proc.exitStatus;
      if (this.program.peer) this.peer = readShared(this.kernel, this.host, this.program.peer.path);
    }
  }

  /** Bytes mapped for the program below its limit (text, data, heap, stack, mappings): its memory charge. */
  mappedBytes(): number {
    const end = this.thunk.constrainer.limit.end;
    return this.proc.mem.regions().reduce((n, r) => n + Math.max(0, Math.min(r.end, end) - r.start), 0);
  }

  /** The program's stdout and stderr so far. */
  console(fd: 1 | 2): string {
    return this.kernel.console.filter((w) => w.pid === this.pid && w.fd === fd).map((w) => w.text).join('');
  }

  result(trace = false): Run32Result {
    return {
      program: this.name, host: this.host, layers: this.layers, limit: this.thunk.constrainer.limit, pid: this.pid,
      exitCode: this.exitCode, ...(this.signal ? { signal: this.signal } : {}),
      output: this.console(1), stderr: this.console(2),
      calls: this.calls, steps: this.steps, faults: this.faults,
      ...(this.peer ? { peer: this.peer } : {}),
      ...(trace ? { trace: [...this.calls.flatMap((c) => formatCall(c)), ...(this.peer ? formatPeer(this.peer, this.host) : [])] } : {}),
    };
  }
}

/** Runs a built-in program (or one given as source) to its end. */
export function run32(program: string | Program32, host: Host, opts: Run32Options = {}): Run32Result {
  const p = new Emu32Process(program, host, opts);
  while (p.state === 'running') p.run(100_000);
  return p.result(opts.trace);
}

/**
 * The stack a Linux i386 program starts with (System V i386 ABI, "Process
 * Stack"): argc at esp, then argv[] and envp[], each ended by NULL, then the
 * auxiliary vector ended by AT_NULL; the strings above. Here argv is the
 * program's name alone, with no environment. The auxiliary vector has the
 * entries Linux always supplies that mean something without an ELF file
 * (fs/binfmt_elf.c create_elf_tables): AT_PAGESZ, AT_ENTRY, the ids (root),
 * AT_SECURE, AT_RANDOM (16 bytes, the same for every run of a program, so
 * runs repeat) and AT_EXECFN.
 */
function initialStack(mem: AddressSpace, top: number, name: string, entry: number): number {
  const str = ((top - (name.length + 1)) & ~15) >>> 0;
  mem.writeBytes(str, Uint8Array.from(`${name}\0`, (c) => c.charCodeAt(0)));
  const random = str - 16;
  let h = 0x811c9dc5;
  const bytes = new Uint8Array(16).map((_, i) => {
    h = Math.imul(h ^ (name.charCodeAt(i % name.length) + i), 0x01000193) >>> 0;
    return h >>> 24;
  });
  mem.writeBytes(random, bytes);
  const AT = { NULL: 0, PAGESZ: 6, ENTRY: 9, UID: 11, EUID: 12, GID: 13, EGID: 14, SECURE: 23, RANDOM: 25, EXECFN: 31 };
  const auxv = [AT.PAGESZ, PAGE_SIZE, AT.ENTRY, entry, AT.UID, 0, AT.EUID, 0, AT.GID, 0, AT.EGID, 0,
    AT.SECURE, 0, AT.RANDOM, random, AT.EXECFN, str, AT.NULL, 0];
  const words = [1, str, 0, 0, ...auxv]; // argc, argv[0], argv NULL, envp NULL, the auxiliary vector
  const sp = ((random - 4 * words.length) & ~15) >>> 0;
  words.forEach((w, i) => mem.write32(sp + 4 * i, w));
  return sp;
}

function mapBytes(mem: AddressSpace, addr: number, bytes: Uint8Array, prot: number): void {
  const pages: Uint8Array[] = [];
  for (let off = 0; off < pageUp(bytes.length); off += PAGE_SIZE) {
    const page = new Uint8Array(PAGE_SIZE);
    page.set(bytes.subarray(off, off + PAGE_SIZE));
    pages.push(page);
  }
  mem.map(addr, bytes.length, prot, pages);
}

function pointerArg(rec: KernelCallRecord): number | undefined {
  return rec.program.find((r) => r.pointer)?.value;
}

/** A native process of the host maps the same tmpfs file and reads the text the 32-bit program left there. */
function readShared(kernel: NativeKernel, host: Host, path: string): PeerResult {
  const p = kernel.spawn();
  const abi = HOST_ABI[host.isa];
  const calls: HostCallRecord[] = [];
  const call = (name: string, args: bigint[], notes: string[]): bigint => {
    const result = kernel.call(p, name, args);
    calls.push({ name, nr: HOST_CALLS[host.isa][name], result, regs: [{ reg: abi.number, value: BigInt(HOST_CALLS[host.isa][name]), note: name }, ...args.map((v, i) => ({ reg: abi.args[i], value: v, note: notes[i] }))] });
    return result;
  };
  // The path string lives in the native process's own memory.
  const buf = host.bits === 64 ? 0xaaaa_0000_0000 : 0x0001_0000;
  const bytes = Uint8Array.from(`${path}\0`, (c) => c.charCodeAt(0));
  mapBytes(p.mem, buf, bytes, PROT_READ | PROT_WRITE);
  const fd = host.isa === 'aarch64'
    ? call('openat', [BigInt(AT_FDCWD), BigInt(buf), BigInt(O.RDONLY), 0n], ['dirfd', 'path', 'flags', 'mode'])
    : call('open', [BigInt(buf), BigInt(O.RDONLY), 0n], ['path', 'flags', 'mode']);
  if (fd < 0n) return { pid: p.pid, address: 0n, text: '', calls };
  const addr = call(host.isa === 'aarch64' ? 'mmap' : 'mmap2', [0n, BigInt(PAGE_SIZE), BigInt(PROT.READ), BigInt(MAP.SHARED), fd, 0n], ['addr', 'length', 'prot', 'flags', 'fd', 'offset']);
  call('close', [fd], ['fd']);
  if (addr < 0n) return { pid: p.pid, address: addr, text: '', calls };
  return { pid: p.pid, address: addr, text: p.mem.readCString(Number(addr)) ?? '', calls };
}

/** The `run32 --trace` lines of one kernel call: the program's registers, each conversion, the host's registers, the result. */
export function formatCall(rec: KernelCallRecord): string[] {
  const args = rec.program.slice(1).map((r) => (r.text !== undefined ? JSON.stringify(r.text) : r.pointer ? hex32(r.value) : String(r.note === 'length' || r.note === 'count' ? r.value : r.value | 0)));
  const regs = rec.program.map((r, i) => `${r.reg}=${regHex(r.value, 32)}${i === 0 ? ` (${r.note})` : ''}`).join(' ');
  const tag: Record<string, string> = { arg: 'convert', pointer: 'pointer', struct: 'struct', constrain: 'limit', emulate: 'emulate', host: 'host', result: 'result' };
  return [
    `[emu] #${rec.seq} ${rec.name}(${args.join(', ')}) at instruction ${rec.step}${rec.errno ? ` → -${rec.errno}` : ''}`,
    `  ${'program'.padEnd(8)} ${I386_ABI.name}: ${regs}`,
    ...rec.steps.map((s) => `  ${tag[s.kind].padEnd(8)} ${s.text}`),
  ];
}

/** Trace lines for the native process that read the shared page. */
export function formatPeer(peer: PeerResult, host: Host): string[] {
  return [
    `[native] pid ${peer.pid} (a ${host.bits}-bit ${host.isa} process) reads the shared page`,
    ...peer.calls.map((c) => `  ${'host'.padEnd(8)} ${formatHostCall(c, host)}`),
    `  ${'result'.padEnd(8)} ${peer.text ? `mapped at ${regHex(peer.address, host.bits)}; it reads "${peer.text}"` : 'nothing to read'}`,
  ];
}

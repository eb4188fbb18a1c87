// Kernel-call emulator benchmark: the i386 interpreter's instructions per
// second, beside a plain JavaScript loop doing the same arithmetic, measured
// in the same run. Returns rows in bench/run.ts's format
// [benchmark, measured (median), baseline (same run), ratio].

import { performance } from 'node:perf_hooks';
import { Emu32Process, HOSTS } from '../src/sim/emu/index.ts';

const REPS = 7;
const N = 200_000;

// Six instructions per iteration: the loop body the JavaScript baseline repeats.
const SOURCE = `
_start:
    mov eax, 0
    mov ebx, 0
    mov edx, 1
    mov ecx, 1
loop:
    add eax, ecx
    xor ebx, eax
    imul edx, ecx
    inc ecx
    cmp ecx, ${N}
    jbe loop
    mov esi, eax
    mov edi, ebx
    mov eax, 252
    mov ebx, 0
    int 0x80
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => number): { ms: number; sink: number } {
  const runs: number[] = [];
  let sink = fn(); // warm-up
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    sink = fn();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), sink };
}

export async function emuBench(): Promise<[string, string, string, string][]> {
  let steps = 0;
  const emu = time(() => {
    const p = new Emu32Process({ name: 'bench32', description: 'arithmetic loop', source: SOURCE }, HOSTS['gateway-a53']);
    while (p.state === 'running') p.run(100_000);
    if (p.exitCode !== 0) throw new Error('bench32 did not exit cleanly');
    steps = p.steps;
    return (p.cpu.get('esi') ^ p.cpu.get('edi') ^ p.cpu.get('edx')) >>> 0;
  });
  const js = time(() => {
    let eax = 0, ebx = 0, edx = 1;
    for (let ecx = 1; ecx <= N; ecx++) {
      eax = (eax + ecx) >>> 0;
      ebx = (ebx ^ eax) >>> 0;
      edx = Math.imul(edx, ecx);
    }
    return (eax ^ ebx ^ edx) >>> 0;
  });
  if (emu.sink !== js.sink) throw new Error(`interpreter (${emu.sink}) and JavaScript (${js.sink}) disagree`);
  const rate = (ms: number) => `${((steps / ms) * 1000 / 1e6).toFixed(1)} M instr/s`;
  return [[
    `i386 interpreter: arithmetic loop, ${steps.toLocaleString('en')} instructions`,
    `${emu.ms.toFixed(1)} ms (${rate(emu.ms)})`,
    `same arithmetic in a JavaScript loop: ${js.ms.toFixed(2)} ms (${rate(js.ms)} equivalent)`,
    `${(emu.ms / js.ms).toFixed(0)}× slower`,
  ]];
}

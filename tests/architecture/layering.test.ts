// ARCHITECTURE.md: model ← sim ← lessons ← worker/cli ← ui (lessons: pure data, no worker). Arrows point at what may be imported.
// (tsc -b enforces the same through per-layer projects; this test names the offending import.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');
const MAY_IMPORT: Record<string, string[]> = {
  model: ['model'],
  sim: ['model', 'sim'],
  worker: ['model', 'sim', 'worker'],
  lessons: ['model', 'sim', 'lessons'],
  cli: ['model', 'sim', 'lessons', 'cli'],
  ui: ['model', 'sim', 'worker', 'lessons', 'ui'],
};
const PLATFORM_FREE = new Set(['model', 'sim', 'lessons']);
const UI_PACKAGES = /^(react|react-dom|@xyflow\/react|@xterm\/.*|zustand|comlink)(\/|$)/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"]([^'"]+)['"]/g)]
    .map((m) => m[1] ?? m[2] ?? m[3]);
}

/** Every import that breaks the layering, as "file: specifier". */
export function violations(root = SRC): string[] {
  const out: string[] = [];
  for (const file of files(root)) {
    const layer = relative(root, file).split(/[\\/]/)[0];
    const allowed = MAY_IMPORT[layer];
    if (!allowed) continue;
    for (const spec of imports(file)) {
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(file, '..', spec)).split(/[\\/]/)[0];
        if (!allowed.includes(target)) out.push(`${relative(root, file)}: ${spec} (${layer} may not import ${target})`);
      } else if (PLATFORM_FREE.has(layer) && (UI_PACKAGES.test(spec) || spec.startsWith('node:'))) {
        out.push(`${relative(root, file)}: ${spec} (${layer} must stay free of UI, worker and Node APIs)`);
      }
    }
  }
  return out;
}

describe('layering', () => {
  it('no layer imports against the arrows', () => {
    expect(violations()).toEqual([]);
  });

  it('the check itself catches a ui import inside sim', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(join(tmpdir(), 'layering-'));
    mkdirSync(join(root, 'sim'));
    mkdirSync(join(root, 'ui'));
    writeFileSync(join(root, 'ui', 'App.tsx'), 'export const App = 1;\n');
    writeFileSync(join(root, 'sim', 'engine.ts'), "import { App } from '../ui/App.tsx';\nimport { create } from 'zustand';\nexport const x = App;\n");
    expect(violations(root)).toEqual([
      'sim/engine.ts: ../ui/App.tsx (sim may not import ui)',
      'sim/engine.ts: zustand (sim must stay free of UI, worker and Node APIs)',
    ]);
  });
});

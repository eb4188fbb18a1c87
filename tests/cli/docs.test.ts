// The reference in docs/ shows real behaviour: its board files are read by the parser, and every
// `$ lab …` line in a ```console block is run, its output compared with what the page shows.
//
// In the markdown:
//   ```json board            a board file the parser must accept (```json refused: must refuse)
//   ```<lang> file=<name>    a file that later commands on the same page can read by that name
//   ```console               `$ lab <args>` lines, each followed by its output (stdout and stderr, in order);
//                            a line that is only "…" stands for any number of lines; a command may end in
//                            `; echo "exit $?"`, and then its output ends with "exit <status>".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkCommand } from '../../src/cli/check.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { runCommand } from '../../src/cli/run.ts';
import { parseBoardFile } from '../../src/model/boardFile.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const docs = join(root, 'docs');
const pages = readdirSync(docs).filter((f) => f.endsWith('.md')).sort();
/** Pages of the reference written alongside this one (the bus and traces; lessons): links to them are expected. */
const WRITTEN_ELSEWHERE = ['hardware.md', 'lessons.md'];

interface Block { info: string; body: string; line: number }

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const re = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) {
    out.push({ info: m[1]!.trim(), body: m[2]!, line: markdown.slice(0, m.index).split('\n').length });
  }
  return out;
}

function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

async function lab(command: string, files: Map<string, string>): Promise<string> {
  let text = '';
  const io: CliIo = {
    stdout: (t) => { text += t; },
    stderr: (t) => { text += t; },
    readFile: (p) => files.get(p) ?? readFileSync(join(root, p)),
  };
  const echo = /; echo "exit \$\?"$/.test(command);
  const [name, ...args] = words(command.replace(/; echo "exit \$\?"$/, ''));
  const status = name === 'check' ? await checkCommand(args, io) : name === 'run' ? await runCommand(args, io) : -1;
  if (status === -1) throw new Error(`docs run only "lab check" and "lab run", not: lab ${command}`);
  return echo ? `${text}exit ${status}\n` : text;
}

/** Does `actual` match the expected lines, where a line "…" matches any number of lines? */
function matches(expected: string[], actual: string[]): boolean {
  if (expected.length === 0) return actual.length === 0;
  const [head, ...rest] = expected;
  if (head === '…') return actual.some((_, i) => matches(rest, actual.slice(i))) || matches(rest, []);
  return actual.length > 0 && actual[0] === head && matches(rest, actual.slice(1));
}

describe.each(pages)('docs/%s', (page) => {
  const markdown = readFileSync(join(docs, page), 'utf8');
  const all = blocks(markdown);

  it('links only to pages that exist', () => {
    for (const [, target] of markdown.matchAll(/\]\(([a-z0-9-]+\.md)(#[^)]*)?\)/g)) {
      expect([...pages, ...WRITTEN_ELSEWHERE], `${page} links to ${target}`).toContain(target);
    }
  });

  it('cites no document that is not in the repository', () => {
    for (const [name] of markdown.matchAll(/\b[A-Z][A-Z_-]+\.md\b/g)) {
      expect(existsSync(join(root, name)) || existsSync(join(docs, name)), `${page} cites ${name}`).toBe(true);
    }
    expect(markdown, `${page} cites design seeds`).not.toMatch(/\bseed 0\d\d\b/);
  });

  const boards = all.filter((b) => /^json (board|refused)\b/.test(b.info));
  if (boards.length > 0) {
    it.each(boards.map((b) => [b.line, b] as const))('the board file at line %i is read as the page says', (_line, b) => {
      const result = parseBoardFile(b.body);
      expect(result.ok, result.ok ? '' : result.error).toBe(b.info.startsWith('json board'));
    });
  }

  const consoles = all.filter((b) => b.info === 'console');
  if (consoles.length > 0) {
    it.each(consoles.map((b) => [b.line, b] as const))('the commands at line %i print what the page shows', async (_line, b) => {
      const files = new Map<string, string>();
      for (const f of all.filter((x) => x.line < b.line)) {
        const name = /\bfile=(\S+)/.exec(f.info)?.[1];
        if (name) files.set(name, f.body);
      }
      const lines = b.body.replace(/\n$/, '').split('\n');
      for (let i = 0; i < lines.length;) {
        const command = lines[i]!;
        expect(command, `line ${b.line + i + 1} should be a "$ lab …" command`).toMatch(/^\$ lab /);
        let j = i + 1;
        while (j < lines.length && !lines[j]!.startsWith('$ lab ')) j++;
        const expected = lines.slice(i + 1, j);
        const actual = (await lab(command.slice('$ lab '.length), files)).replace(/\n$/, '').split('\n');
        expect(matches(expected, actual), `"${command}" printed:\n${actual.join('\n')}`).toBe(true);
        i = j;
      }
    });
  }
});

describe('the reference names everything the code has', () => {
  const page = (name: string) => readFileSync(join(docs, name), 'utf8');
  const source = (dir: string) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(root, dir, f), 'utf8')).join('\n');

  it('every profile and kind', async () => {
    const { COMPONENT_KINDS, SOC_IDS } = await import('../../src/model/types.ts');
    const text = page('profiles-and-kinds.md');
    for (const id of [...SOC_IDS, ...COMPONENT_KINDS]) expect(text, id).toContain(`\`${id}\``);
  });

  it('every diagnostic rule', () => {
    const rules = [...source('src/model').matchAll(/rule: '([a-z-]+)'/g)].map((m) => m[1]!);
    expect(rules.length).toBeGreaterThan(10);
    const text = page('diagnostics.md');
    for (const rule of rules) expect(text, rule).toContain(`\`${rule}\``);
  });

  it('every event type the engine raises', () => {
    const types = [...source('src/sim').matchAll(/emit\('([a-z]+\.[a-z-]+)'/g)].map((m) => m[1]!);
    expect(types.length).toBeGreaterThan(10);
    const text = page('events.md');
    for (const type of types) expect(text, type).toContain(`\`${type}\``);
  });

  it('the list of event types (what a lesson goal can wait for) is the table of events.md, no more, no less', async () => {
    const { EVENT_TYPES } = await import('../../src/sim/types.ts');
    const table = [...page('events.md').matchAll(/^\| ((?:`[a-z0-9]+\.[a-z0-9-]+`(?:, )?)+) \|/gm)]
      .flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((t) => t[1]!));
    expect([...EVENT_TYPES].sort()).toEqual([...new Set(table)].sort());
  });
});

describe('events.md lists every field the engine puts on an event', () => {
  it('for the events of a run that crosses most mechanisms', async () => {
    const { Simulation } = await import('../../src/sim/index.ts');
    const { example } = await import('../../src/model/examples.ts');
    const text = readFileSync(join(docs, 'events.md'), 'utf8');
    const rowOf = (type: string) => text.split('\n').find((l) => l.startsWith('|') && l.includes(`\`${type}\``) && l.indexOf(`\`${type}\``) < 40);
    const oven = example('smart-oven')!.board;
    const boards = [
      oven,
      { ...oven, firewall: { enforce: false } },
      { ...oven, components: oven.components.map((c) => (c.kind === 'dma' ? { ...c, dmaProtection: 'none' as const } : c)) },
    ];
    const script: [string, string][] = [
      ['rt', 'poke app-ram 5'], ['app', 'attack dma-escape'], ['app', 'dma dma0 copy app-ram system-ram 16'], ['app', 'peek system-ram'],
      ['app', 'launch browser media-player stuck-app memory-hog media-player-tampered'], ['app', 'stop browser'],
      ['app', 'hping3 --rawip evil.example'], ['app', 'curl pixel.tracking.example'], ['app', 'nslookup a.example 8.8.8.8'],
      ['app', 'wifi scan'], ['app', 'run32 badptr32'], ['app', 'attack malware'], ['app', 'echo x > /usr/bin/backdoor'],
      ['system', 'vmm verify app'], ['system', 'vmm refresh app --part kernel'], ['app', 'reboot'], ['app', 'attack oom'],
      ['app', 'attack hang'], ['system', 'attack crash'], ['system', 'update apply system-os-2.0-badboot'],
    ];
    const seen = new Set<string>();
    for (const board of boards) {
      const sim = new Simulation(board, { seed: 1 });
      sim.powerOn();
      sim.settle();
      for (const [vm, line] of script) {
        sim.exec(vm as 'app', line);
        sim.advance(12_000);
        sim.settle();
      }
      for (const e of sim.drain().events) {
        for (const key of Object.keys(e)) {
          if (['t', 'type', 'vm', 'message', 'involves'].includes(key) || seen.has(`${e.type} ${key}`)) continue;
          seen.add(`${e.type} ${key}`);
          expect(rowOf(e.type), `events.md has a row for ${e.type}`).toBeDefined();
          expect(rowOf(e.type), `events.md lists ${e.type}'s field ${key}`).toContain(`\`${key}\``);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(40);
  });
});

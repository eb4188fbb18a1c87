// The `lab` command (CONTRACT §4): `npm run lab -- <command> …`.

import { checkCommand } from './check.ts';

const USAGE = `Isolation Lab on the command line.

Usage:
  lab check <board.json> [--json]
      Print the board's diagnostics. Exit 0 when there is no error,
      1 when there are errors, 2 when the file is refused.
      --json prints one JSON array of diagnostics.
  lab run <board.json> --script <file> [--seed N] [--json]
      Boot the board and run a script of console commands.
  lab --help
      Show this help. "lab <command> --help" shows a command's help.
`;

type RunModule = { runCommand?: (args: string[]) => Promise<number> };

async function runCommand(args: string[]): Promise<number> {
  let mod: RunModule;
  try {
    // Loaded on demand: `lab check` must work even where the engine is not built.
    mod = (await import(new URL('./run.ts', import.meta.url).href)) as RunModule;
  } catch (e) {
    const missing = e instanceof Error && 'code' in e && e.code === 'ERR_MODULE_NOT_FOUND';
    process.stderr.write(missing ? 'lab run is not available yet\n' : `lab run failed to load: ${String(e)}\n`);
    return 2;
  }
  if (typeof mod.runCommand !== 'function') {
    process.stderr.write('lab run is not available yet\n');
    return 2;
  }
  return mod.runCommand(args);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return checkCommand(rest);
    case 'run':
      return runCommand(rest);
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case undefined:
      process.stderr.write(USAGE);
      return 2;
    default:
      process.stderr.write(`lab: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));

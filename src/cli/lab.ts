// The `lab` command (CONTRACT §4): `npm run lab -- <command> …`.

// First: anything that hashes or signs must find Node's crypto installed; the built file has no
// JavaScript backend (cryptoLeftOut.ts). ES modules run in import order.
import './nodeCrypto.ts';
import './zodConfig.ts';
import { checkCommand } from './check.ts';
import { runCommand } from './run.ts';

const USAGE = `Isolation Lab on the command line.

Usage:
  lab check <board.json> [--json]
      Print the board's diagnostics. Exit 0 when there is no error,
      1 when there are errors, 2 when the file is refused (or the arguments).
      --json prints one JSON array of diagnostics.
  lab run <board.json> --script <file> [--seed N] [--json]
      Boot the board and run a script of console commands.
  lab lesson list [--json]
      The built-in lessons and challenges.
  lab lesson verify <id | lesson.json>
      Play a lesson's reference solution headless and check every goal.
      Exit 0 when all are met, 1 when one is not, 2 when the file is refused (or the arguments).
  lab --help
      Show this help. "lab <command> --help" shows a command's help.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return checkCommand(rest);
    case 'run':
      return runCommand(rest);
    case 'lesson':
      // Loaded only here: the built-in lessons and their file format are not needed to check or run a board.
      return (await import('./lesson.ts')).lessonCommand(rest);
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

void main(process.argv.slice(2)).then((status) => {
  // Exit now rather than when the event loop runs dry: Node would first wait for V8's background
  // compilations of the engine's hot functions, which no one will run again, and tear the heap
  // down. Only when stdout and stderr hold nothing unwritten (pipes are asynchronous on some
  // systems); otherwise the natural exit, after they are flushed.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(status);
  process.exitCode = status;
});

// `lab check <board.json> [--json]` (CONTRACT §4): the editor's diagnostics,
// headless, for instructors' CI. Exit 0 = no error, 1 = errors, 2 = the file
// is refused or unreadable.

import { nodeIo, readText, type CliIo } from './io.ts';
import { parseBoardFile } from '../model/boardFile.ts';
import { check, hasErrors } from '../model/check.ts';
import { visibleControls } from '../model/safeText.ts';
import type { Diagnostic } from '../model/types.ts';

export const CHECK_USAGE = `Usage: lab check <board.json> [--json]

Checks a board file and prints its diagnostics, errors first.
  <board.json>  the board file to check ("-" reads standard input)
  --json        print the diagnostics as one JSON array on standard output:
                [{"rule": "...", "severity": "error" | "warning",
                  "class": "cannot-boot" | "security-hole" | "advice",
                  "component": "..." (when it concerns one),
                  "others": ["..."] (when it concerns more), "message": "..."}]

Exit status: 0 no errors (warnings allowed), 1 errors found,
             2 bad arguments, or the file could not be read or was refused
             (reason on stderr).
`;


/** The human-readable report: one aligned line per diagnostic, then a summary. */
export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[]): string {
  const ruleWidth = Math.max(0, ...diagnostics.map((d) => d.rule.length));
  const idWidth = Math.max(1, ...diagnostics.map((d) => (d.component ?? '-').length));
  const lines = diagnostics.map((d) =>
    `${d.severity.padEnd(7)}  ${d.rule.padEnd(ruleWidth)}  ${(d.component ?? '-').padEnd(idWidth)}  ${d.message}`);
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  lines.push(diagnostics.length === 0
    ? `${visibleControls(file)}: no problems found`
    : `${visibleControls(file)}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

export async function checkCommand(args: string[], io: CliIo = nodeIo): Promise<number> {
  let json = false;
  const files: string[] = [];
  for (const a of args) {
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') {
      io.stdout(CHECK_USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`lab check: unknown option ${a}\n\n${CHECK_USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length !== 1) {
    io.stderr(`lab check: expected one board file, got ${files.length}\n\n${CHECK_USAGE}`);
    return 2;
  }
  const file = files[0]!;
  const read = readText(io, file);
  if (!read.ok) {
    io.stderr(`lab check: ${read.error}\n`);
    return 2;
  }
  const parsed = parseBoardFile(read.text);
  if (!parsed.ok) {
    io.stderr(`lab check: ${file} was refused: ${parsed.error}\n`);
    return 2;
  }
  for (const w of parsed.warnings) io.stderr(`note: ${w}\n`);
  const diagnostics = check(parsed.board);
  if (json) io.stdout(`${JSON.stringify(diagnostics, null, 2)}\n`);
  else io.stdout(formatDiagnostics(file, diagnostics));
  return hasErrors(diagnostics) ? 1 : 0;
}

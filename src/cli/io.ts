// Where the `lab` commands read and write: the process by default, a test's buffers otherwise.
import { readFileSync } from 'node:fs';
import { decodeBoardBytes, type FileKind } from '../model/boardFile.ts';
import { safeMessage } from '../model/safeText.ts';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads a file's bytes (or, in tests, its text); "-" is standard input. */
  readFile: (path: string) => Uint8Array | string;
}

export const nodeIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  // Messages quote data (file names, board text, script lines): a terminal must never obey it.
  stderr: (t) => process.stderr.write(safeMessage(t, { multiline: true, max: 4000 })),
  readFile: (p) => readFileSync(p === '-' ? 0 : p),
};

/**
 * A file as text, read as the page reads it (decodeBoardBytes: strict UTF-8,
 * byte-order marks left for the parser), or why it cannot be read.
 */
export function readText(io: CliIo, path: string, kind?: FileKind): { ok: true; text: string } | { ok: false; error: string } {
  let raw: Uint8Array | string;
  try {
    raw = io.readFile(path);
  } catch (e) {
    // The common causes in words; anything else as Node says it.
    const code = e instanceof Error && 'code' in e ? e.code : undefined;
    const reason = code === 'ENOENT' ? 'no such file'
      : code === 'EISDIR' ? 'it is a directory; give a file in it'
        : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
          : (e instanceof Error ? e.message : String(e));
    return { ok: false, error: `cannot read ${path}: ${reason}` };
  }
  if (typeof raw === 'string') return { ok: true, text: raw };
  const text = decodeBoardBytes(raw, kind);
  return text.ok ? text : { ok: false, error: `cannot read ${path}: ${text.error.replace(/^\$: /, '')}` };
}

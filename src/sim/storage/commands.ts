// `hexdump -C`: the bytes of a file or of the /data block device, as stored.

import type { CommandDef, Shell } from '../commands/context.ts';
import { RootFiles, normalizePath } from '../fs.ts';
import { bytesOf } from '../crypto/signing.ts';
import { hexdumpCText } from '../fragments/index.ts';

function hexdumpCommand(sh: Shell, args: string[]): void {
  const usage = 'usage: hexdump -C [-s offset] [-n length] <file>   (e.g. hexdump -C -n 512 /dev/vda)';
  let offset = 0;
  let length = Infinity;
  let file: string | undefined;
  let canonical = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-C') canonical = true;
    else if (a === '-s' || a === '-n') {
      const v = Number(args[++i]);
      if (!Number.isInteger(v) || v < 0) return sh.error(`hexdump: ${a} needs a whole number of bytes — ${usage}`);
      if (a === '-s') offset = v;
      else length = v;
    } else if (a.startsWith('-')) return sh.error(`hexdump: unknown option ${a} — ${usage}`);
    else if (file !== undefined) return sh.error(`hexdump: extra operand '${a}' — one file at a time; ${usage}`);
    else file = a;
  }
  if (!file) return sh.error(usage);
  // Without -C hexdump prints two-byte words in another layout, which this one does not model.
  if (!canonical) return sh.error(`hexdump: only the canonical layout (-C: offset, 16 bytes, their characters) is modelled — hexdump -C ${args.join(' ')}`);
  const path = normalizePath(sh.guest.cwd, file);
  const fs = sh.guest.fs;
  let bytes: Uint8Array | undefined;
  if (fs instanceof RootFiles) bytes = fs.readBytes(path, { offset, length: length === Infinity ? Number.MAX_SAFE_INTEGER : length });
  else {
    const text = fs.read(path);
    bytes = text === undefined ? undefined : bytesOf(text);
  }
  if (bytes === undefined && path.startsWith('/dev/') && fs.read(path) !== undefined) {
    return sh.error(`hexdump: ${file}: the raw content of this device is not modelled (cat ${file} says what it is); /dev/vda in the application VM is`);
  }
  if (bytes === undefined) return sh.error(fs.isDir(path) ? `hexdump: ${file}: Is a directory` : `hexdump: ${file}: No such file or directory`);
  const end = length === Infinity ? bytes.length : Math.min(bytes.length, offset + length);
  sh.print(hexdumpCText(bytes.subarray(Math.min(offset, bytes.length), end), Math.min(offset, bytes.length)));
}

export const STORAGE_COMMANDS: CommandDef[] = [
  { name: 'hexdump', where: ['system', 'app'], usage: 'hexdump -C [-s offset] [-n length] <file>', help: 'the bytes of a file',
    helpIn: { app: { usage: 'hexdump -C [-s offset] [-n length] <file>', help: 'the bytes of a file, or of /dev/vda (the blocks of /data)' } }, run: hexdumpCommand },
];

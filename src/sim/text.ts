// Plain-text form of console output (the CLI and tests read it this way).

/** Removes ANSI escape sequences and turns "\r\n" into "\n". */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '').replace(/\x1b[@-Z\\-_]/g, '').replace(/\r\n/g, '\n');
}

// Baseline for console output throughput: a bare xterm, nothing else on the page, opened with the
// options and the size of the app's console (the bench reads them from the app's page), written to
// with term.write alone.
import '@xterm/xterm/css/xterm.css';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';

declare global {
  interface Window {
    benchOpen: (options: ITerminalOptions & { cols: number; rows: number }) => void;
    benchTerm: Terminal;
  }
}

window.benchOpen = (options) => {
  const term = new Terminal(options);
  term.open(document.getElementById('term')!);
  window.benchTerm = term;
};

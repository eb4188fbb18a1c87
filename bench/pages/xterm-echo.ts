// Baseline for the console figures: a bare xterm with local echo, nothing else on the page.
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';

const term = new Terminal({ cols: 100, rows: 24 });
term.open(document.getElementById('term')!);
term.onData((d) => term.write(d));
(window as unknown as { benchTerm: Terminal }).benchTerm = term;

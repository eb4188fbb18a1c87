// Baseline for keystroke → echo: a bare xterm with local echo, nothing else on the page, opened with
// the options and the size of the app's console (the bench reads them from the app's page).
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';

window.benchOpen = (options) => {
  const term = new Terminal(options);
  term.open(document.getElementById('term')!);
  term.onData((d) => term.write(d));
  window.benchTerm = term;
};

// The app shell: toolbar, palette | diagram | inspector & diagnostics, consoles | timeline.
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { VM_IDS } from '../sim/types.ts';
import { handleShortcut } from './actions/registry.ts';
import { Diagram } from './diagram/Diagram.tsx';
import { BoardSettings } from './panels/BoardSettings.tsx';
import { Console } from './panels/Console.tsx';
import { DiagnosticsPanel } from './panels/DiagnosticsPanel.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { Notices } from './panels/Notices.tsx';
import { Palette } from './panels/Palette.tsx';
import { SimBar } from './panels/SimBar.tsx';
import { Splitter } from './panels/Splitter.tsx';
import { Timeline } from './panels/Timeline.tsx';
import { Toolbar } from './panels/Toolbar.tsx';

export function App() {
  useEffect(() => {
    window.addEventListener('keydown', handleShortcut);
    return () => window.removeEventListener('keydown', handleShortcut);
  }, []);

  return (
    <div className="app">
      <Toolbar />
      <section className="messages" aria-label="Messages">
        <Notices />
      </section>
      <main className="workbench">
        <Palette />
        <ReactFlowProvider>
          <Diagram />
        </ReactFlowProvider>
        <aside className="sidebar">
          <Inspector />
          <BoardSettings />
          <DiagnosticsPanel />
        </aside>
      </main>
      <section className="lower" aria-label="Simulation and consoles">
        <Splitter />
        <SimBar />
        <div className="deck">
          <div className="consoles">
            {VM_IDS.map((vm) => (
              <Console key={vm} vm={vm} />
            ))}
          </div>
          <Timeline />
        </div>
      </section>
    </div>
  );
}

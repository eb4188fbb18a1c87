// The sidebar's panels: lessons, the inspector, board settings, diagnostics and the transaction
// trace. App loads them after the page's first paint, in their own file, so the first script the
// page runs holds what draws the board and nothing more.
import { LessonSidebar } from './lessons/LessonPanel.tsx';
import { BoardSettings } from './panels/BoardSettings.tsx';
import { DiagnosticsPanel } from './panels/DiagnosticsPanel.tsx';
import { Inspector } from './panels/Inspector.tsx';
import { TracePanel } from './panels/TracePanel.tsx';

export function SidePanels() {
  return (
    <>
      <LessonSidebar />
      <Inspector />
      <BoardSettings />
      <DiagnosticsPanel />
      <TracePanel />
    </>
  );
}

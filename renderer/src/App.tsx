/** The page: menu bar, palette, canvas, run panel, curve editor, dialogs (path, export gaps, connect) and notices. */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { Canvas } from './components/Canvas.js';
import { MenuBar } from './components/MenuBar.js';
import { Notices } from './components/Notices.js';
import { Palette } from './components/Palette.js';
import { PathPrompt } from './components/PathPrompt.js';
import { ExportGapsDialog } from './components/ExportGapsDialog.js';
import { ConnectDialog } from './components/ConnectDialog.js';
import { RunPanel } from './components/RunPanel.js';
import { CurveEditor } from './components/CurveEditor.js';
import { CommandPalette } from './components/CommandPalette.js';
import { AnalysisDock } from './analysis/AnalysisDock.js';
import { startup } from './startup.js';
import { onWindowDrop } from './commands/drop-commands.js';

let started = false;

export function App() {
  useEffect(() => {
    if (started) return;
    started = true;
    void startup();
  }, []);
  return (
    <ReactFlowProvider>
      <div className="app" onDragOver={(e) => e.preventDefault()} onDrop={onWindowDrop}>
        <MenuBar />
        <div className="workspace">
          <Palette />
          <main className="main">
            <Canvas />
            <RunPanel />
          </main>
          <CurveEditor />
          <AnalysisDock />
        </div>
        <PathPrompt />
        <ExportGapsDialog />
        <ConnectDialog />
        <CommandPalette />
        <Notices />
      </div>
    </ReactFlowProvider>
  );
}

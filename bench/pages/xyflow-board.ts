// Baseline for the diagram figures: a bare @xyflow/react page drawing the same boxes as the app's
// diagram in the same viewport (the bench reads their ids, positions and sizes, the pane's size and
// the zoom from the app's page), with React Flow's
// own background and controls, nodes held in useNodesState. Nothing of the app runs here.
// 'a' adds one node and Ctrl+Z removes it again, each by one setNodes.
import '@xyflow/react/dist/style.css';
import { createElement as h, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { Background, Controls, Handle, Position, ReactFlow, useNodesState, type Node, type NodeProps } from '@xyflow/react';

export interface BenchBox {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** A zone is a large, fixed frame behind the blocks; a block is a draggable node. */
  zone: boolean;
}

/** The app's drawing: its boxes, the size of its pane, and the viewport it shows them in. */
export interface BenchView {
  boxes: BenchBox[];
  width: number;
  height: number;
  viewport: { x: number; y: number; zoom: number };
}

declare global {
  interface Window {
    benchMount: (view: BenchView) => void;
  }
}

const hidden = { opacity: 0, pointerEvents: 'none' as const, left: '50%', top: '50%' };

/** A block of about the app's size and content: a glyph, an id, a kind, two hidden handles. */
function Block({ id }: NodeProps) {
  return h('div', { className: 'bench-block' },
    h('span', { 'aria-hidden': true }, '⊶'),
    h('span', { className: 'bench-text' }, h('b', null, id), h('small', null, 'GPIO')),
    h(Handle, { type: 'source', position: Position.Top, style: hidden, isConnectable: false }),
    h(Handle, { type: 'target', position: Position.Top, style: hidden, isConnectable: false }));
}
function Zone({ id }: NodeProps) {
  return h('div', { className: 'bench-zone' }, id);
}
const nodeTypes = { block: Block, zone: Zone };

const style = document.createElement('style');
style.textContent = `
.bench-block { width: 100%; height: 100%; box-sizing: border-box; display: flex; align-items: center; gap: 6px; padding: 4px 8px;
  border: 1.5px solid #64748b; border-radius: 8px; background: #fff; font-size: 12px; }
.bench-text { display: flex; flex-direction: column; line-height: 1.2; }
.bench-zone { width: 100%; height: 100%; box-sizing: border-box; border: 2px dashed #94a3b8; border-radius: 14px; padding: 8px 10px; font-weight: 700; }
.react-flow__node-zone { pointer-events: none !important; }`;
document.head.appendChild(style);

function toNode(b: BenchBox): Node {
  return b.zone
    ? { id: b.id, type: 'zone', position: { x: b.x, y: b.y }, width: b.w, height: b.h, draggable: false, selectable: false, focusable: false, zIndex: -2, data: {} }
    : { id: b.id, type: 'block', position: { x: b.x, y: b.y }, width: b.w, height: b.h, data: {} };
}

function Board({ boxes, viewport }: { boxes: BenchBox[]; viewport: BenchView['viewport'] }) {
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>(boxes.map(toNode));
  useEffect(() => {
    const blocks = boxes.filter((b) => !b.zone);
    const last = blocks[blocks.length - 1]!;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'a' && !e.ctrlKey) {
        setNodes((ns) => [...ns, toNode({ ...last, id: 'bench-added', x: last.x + last.w + 10 })]);
      } else if (e.key === 'z' && e.ctrlKey) {
        setNodes((ns) => ns.filter((n) => n.id !== 'bench-added'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [boxes, setNodes]);
  return h(ReactFlow, {
    nodes, nodeTypes, onNodesChange, defaultViewport: viewport, minZoom: 0.3, maxZoom: 2,
    nodesConnectable: false, deleteKeyCode: null, proOptions: { hideAttribution: true },
  }, h(Background, { gap: 20, size: 1 }), h(Controls, { showInteractive: false }));
}

window.benchMount = ({ boxes, width, height, viewport }) => {
  const root = document.getElementById('root')!;
  root.style.width = `${width}px`;
  root.style.height = `${height}px`;
  createRoot(root).render(h(Board, { boxes, viewport }));
};

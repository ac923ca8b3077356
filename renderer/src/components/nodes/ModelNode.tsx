/** A checkpoint: its path (with completion), and what its header says once read. */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { formatBytes } from '../../../../common/contract/format-bytes.js';
import { modelNodeName, nodeLabel } from '../../../../common/graph/node-label.js';
import { setModelPath } from '../../commands/model-path-commands.js';
import { modelRename } from '../../state/model-path-change.js';
import { useEditor } from '../../state/editor-store.js';
import type { FlowNode } from '../../state/flow-types.js';
import { PathField } from '../PathField.js';
import { InputNoteLine } from './InputNoteLine.js';
import { NodeFrame } from './NodeFrame.js';
import { OutputPort } from './PortHandle.js';

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}K`;
  return String(n);
}

function HeaderInfo({ path }: { path: string }) {
  const h = useEditor((s) => s.headers[path]);
  if (!path) return <div className="muted">No checkpoint chosen.</div>;
  if (!h || h.state === 'pending') return <div className="muted">Reading header…</div>;
  if (h.state === 'error') return null;
  const s = h.summary;
  return (
    <dl className="model-info">
      <dt>Architecture</dt>
      <dd>{s.architecture ?? 'unknown'}</dd>
      <dt>Parameters</dt>
      <dd>{formatCount(s.parameterCount)}</dd>
      <dt>dtype</dt>
      <dd>{s.dtype}</dd>
      <dt>Layers</dt>
      <dd>{s.layerCount ?? '—'}</dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(s.totalBytes)} in {s.fileCount} file{s.fileCount === 1 ? '' : 's'}
      </dd>
    </dl>
  );
}

function ModelNodeImpl({ id, data }: NodeProps<FlowNode>) {
  if (data.kind !== 'model') return null;
  return (
    <NodeFrame
      id={id}
      title={nodeLabel(data)}
      kind="model"
      rename={{
        value: modelNodeName(data),
        onCommit: (name) => useEditor.getState().updateData(id, modelRename(name), `rename:${id}`),
      }}
    >
      <PathField label="Model path" value={data.path} placeholder="/path/to/model folder or .safetensors" onCommit={(path) => setModelPath(id, path)} />
      <InputNoteLine id={id} path={data.path} />
      <HeaderInfo path={data.path} />
      <OutputPort id="weights" label="weights" gives="weights" />
    </NodeFrame>
  );
}

export const ModelNode = memo(ModelNodeImpl);

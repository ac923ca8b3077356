/** A typed handle with its label: colour and shape tell weights from task vectors. */
import { Handle, Position } from '@xyflow/react';
import type { PortKind } from '../../../../common/methods/types.js';

export function InputPort({ id, label, accepts, hint }: { id: string; label: string; accepts: readonly PortKind[]; hint?: string }) {
  return (
    <div className="port port-in" title={hint}>
      <Handle type="target" position={Position.Left} id={id} className={accepts.map((k) => `handle-${k}`).join(' ')} />
      <span>{label}</span>
    </div>
  );
}

export function OutputPort({ id, label, gives }: { id: string; label: string; gives: PortKind }) {
  return (
    <div className="port port-out">
      <span>{label}</span>
      <Handle type="source" position={Position.Right} id={id} className={`handle-${gives}`} />
    </div>
  );
}

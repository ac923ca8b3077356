/** "Preview barrier" on a merge node: the loss at K points along its natural slider (or between its two inputs). */
import { memo } from 'react';
import { previewBarrier } from './barrier-commands.js';

function PreviewBarrierButtonImpl({ nodeId }: { nodeId: string }) {
  return (
    <button className="nodrag preview-barrier" title="Probe loss at K points along this node's slider, with the barrier height" onClick={() => previewBarrier(nodeId)}>
      Preview barrier
    </button>
  );
}

export const PreviewBarrierButton = memo(PreviewBarrierButtonImpl);

/** One model, as stored: K = 1, the tensors decoded to float32 with no rounding. */
import type { CheckpointInfo } from '../../io/types.js';
import { InputError } from '../../io/types.js';
import { newIoStats, type IoStats } from './io-stats.js';
import type { StageSpec, StageWeights } from './program.js';
import { gatherRows, readRowsF32, readTensorF32 } from './read-tensor-f32.js';
import { firstUse, lastUse, type VariantSource } from './variant-source.js';

export class CheckpointSource implements VariantSource {
  readonly variants = 1;
  readonly io: IoStats = newIoStats();
  private stages: readonly StageSpec[] = [];
  private first = new Map<string, number>();
  private last = new Map<string, number>();
  /** Full tensors read so far and still needed. */
  private readonly held = new Map<string, Float32Array>();
  private current = new Map<string, Float32Array>();

  constructor(private readonly ck: Pick<CheckpointInfo, 'path' | 'tensors'>) {}

  prepare(stages: readonly StageSpec[]): void {
    this.stages = stages;
    this.first = firstUse(stages);
    this.last = lastUse(stages);
  }

  stageBytes(stage: number): number {
    const requests = new Map(this.stages[stage].tensors.map((t) => [t.name, t]));
    let bytes = 0;
    for (const [name, first] of this.first) {
      const last = this.last.get(name) ?? first;
      const info = this.ck.tensors.get(name);
      if (first > stage || last < stage || !info) continue;
      const rows = requests.get(name)?.rows;
      const cols = info.shape.length === 2 ? info.shape[1] : info.numel;
      const gathered = rows ? rows.length * cols * 4 : 0;
      // As load() does: rows of a tensor no later stage needs are read alone; others are read whole and kept.
      const rowsAlone = rows && info.shape.length === 2 && first === stage && last <= stage;
      bytes += rowsAlone ? gathered : info.numel * 4 + gathered;
    }
    return bytes;
  }

  load(stage: number): void {
    this.current = new Map();
    for (const req of this.stages[stage].tensors) {
      const info = this.ck.tensors.get(req.name);
      if (!info) throw new InputError(`${this.ck.path}: no tensor ${JSON.stringify(req.name)}`, this.ck.path, req.name);
      let full = this.held.get(req.name);
      if (!full && req.rows && info.shape.length === 2 && (this.last.get(req.name) ?? -1) <= stage) {
        // Needed by no later stage: read just the rows.
        this.current.set(req.name, readRowsF32(info, req.rows, this.io));
        continue;
      }
      if (!full) {
        full = readTensorF32(info, this.io);
        this.held.set(req.name, full);
      }
      const cols = info.shape.length === 2 ? info.shape[1] : info.numel;
      this.current.set(req.name, req.rows ? gatherRows(full, cols, req.rows) : full);
    }
  }

  weights(): StageWeights {
    const cur = this.current;
    return {
      get: (name) => {
        const w = cur.get(name);
        if (!w) throw new Error(`tensor ${name} was not requested by this stage`);
        return w;
      },
    };
  }

  release(stage: number): void {
    for (const req of this.stages[stage].tensors) if ((this.last.get(req.name) ?? -1) <= stage) this.held.delete(req.name);
    this.current = new Map();
  }
}

/** Warnings gathered while planning tensors, summarised so that a run never prints hundreds of lines. */

const SHOWN = 5;

export class PlanNotes {
  private readonly missing = new Map<string, string[]>();
  private readonly baseOnly: string[] = [];
  private readonly vocabCuts: string[] = [];

  missingFrom(model: string, tensor: string): void {
    const list = this.missing.get(model) ?? [];
    list.push(tensor);
    this.missing.set(model, list);
  }

  onlyInBase(tensor: string): void {
    this.baseOnly.push(tensor);
  }

  vocabCut(message: string): void {
    this.vocabCuts.push(message);
  }

  warnings(): string[] {
    const out: string[] = [];
    for (const [model, tensors] of this.missing) {
      out.push(`model '${model}' lacks ${count(tensors.length)} the other inputs have (${sample(tensors)}): merged from the inputs that have them`);
    }
    if (this.baseOnly.length > 0) out.push(`${count(this.baseOnly.length)} only in the base model, copied from it: ${sample(this.baseOnly)}`);
    return [...out, ...this.vocabCuts];
  }
}

function count(n: number): string {
  return `${n} tensor${n === 1 ? '' : 's'}`;
}

function sample(names: string[]): string {
  const shown = names.slice(0, SHOWN).join(', ');
  return names.length > SHOWN ? `${shown} and ${names.length - SHOWN} more` : shown;
}

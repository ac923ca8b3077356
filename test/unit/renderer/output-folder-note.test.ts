/** The Output node's note when its folder is, or lies inside, an input model's folder. */
import { describe, expect, it } from 'vitest';
import { outputFolderNote, outputFolderNoteText } from '../../../renderer/src/output-folder-note.js';

const HOME = '/home/u';
const PROJ = '/home/u/proj';

describe('outputFolderNote', () => {
  it('names the input whose folder the output is (Run refuses it)', () => {
    expect(outputFolderNote('/m/math/', ['/m/base', '/m/math'], PROJ, HOME)).toEqual({ kind: 'same', input: '/m/math' });
  });

  it('names the input folder the output lies inside, however the paths are written', () => {
    expect(outputFolderNote('/m/math/./merged', ['/m/base', '/m/math'], PROJ, HOME)).toEqual({ kind: 'inside', input: '/m/math' });
    // Relative paths are in the project's folder, ~ is the home folder, as the service resolves them.
    expect(outputFolderNote('models/a/out', ['./models/a'], PROJ, HOME)).toEqual({ kind: 'inside', input: '/home/u/proj/models/a' });
    expect(outputFolderNote('~/m/x/out', ['/home/u/m/x'], PROJ, HOME)).toEqual({ kind: 'inside', input: '/home/u/m/x' });
    // A model given as its .safetensors file: its folder.
    expect(outputFolderNote('/m/one/out', ['/m/one/model.safetensors'], PROJ, HOME)).toEqual({ kind: 'inside', input: '/m/one' });
  });

  it('says nothing for a folder beside the inputs, a name that only starts like one, or an empty field', () => {
    expect(outputFolderNote('/m/merged', ['/m/base', '/m/math'], PROJ, HOME)).toBeNull();
    expect(outputFolderNote('/m/math-merged', ['/m/math'], PROJ, HOME)).toBeNull();
    expect(outputFolderNote('', ['/m/math'], PROJ, HOME)).toBeNull();
    expect(outputFolderNote('/m/out', ['', '  '], PROJ, HOME)).toBeNull();
  });

  it('texts: refused for the same folder; written among the model files, which stay unchanged, for inside', () => {
    expect(outputFolderNoteText({ kind: 'same', input: '/m/math' })).toMatch(/^This is the folder of the input model \/m\/math: Run will refuse it/);
    expect(outputFolderNoteText({ kind: 'inside', input: '/m/math' })).toMatch(/^Inside the input model folder \/m\/math: .*not changed/);
  });
});

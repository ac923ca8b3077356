/** YAML shared by the editor specs, over the bundled demo checkpoints. */
import { join } from 'node:path';
import { DEMO_MODELS } from './web-host-fixture.js';

/** Lines of a linear soup of the demo's two fine-tunes (math, code), weight 1 each. */
export const DEMO_SOUP_LINES: readonly string[] = [
  'merge_method: linear',
  'models:',
  `  - model: ${join(DEMO_MODELS, 'math')}`,
  '    parameters: {weight: 1}',
  `  - model: ${join(DEMO_MODELS, 'code')}`,
  '    parameters: {weight: 1}',
];

/** `npm run docs:schema`: writes docs/project-schema.json from the project file's validator. */
import { writeFileSync } from 'node:fs';
import { projectJsonSchema } from '../../common/graph/json-schema.js';

const target = process.argv[2] ?? 'docs/project-schema.json';
writeFileSync(target, JSON.stringify(projectJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${target}\n`);

// Bundles the preload into one CommonJS file (sandboxed preloads cannot be ES modules).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
await build({
  entryPoints: [`${root}electron/shell/preload.ts`],
  outfile: `${root}dist/electron/shell/preload.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});

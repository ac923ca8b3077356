import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// Vite 8 transforms JSX itself (tsconfig.renderer.json: "jsx": "react-jsx"); no React plugin needed.
export default defineConfig({
  root,
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  // No eval in any build (the CSP forbids it).
  esbuild: false,
  oxc: { jsx: { runtime: 'automatic' } },
});

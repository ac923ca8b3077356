import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'native/**' /* AssemblyScript, checked by asc */, 'test-results/**', 'playwright-report/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // Only the Electron shell may import electron: the engine, service, CLI and web host run in plain Node.
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: "Only electron/shell/ may import 'electron'." }] },
      ],
    },
  },
  {
    files: ['electron/shell/**/*.ts', 'test/electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The contract is imported by the renderer and by Node: no Node or DOM-specific modules.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'fs', 'path', 'electron', 'react', 'react-dom'], message: 'common/ must stay platform-free.' }] },
      ],
    },
  },
);

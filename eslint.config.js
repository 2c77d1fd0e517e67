// Lint rules: typescript-eslint's recommended set plus the house boundaries from DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['node_modules/**', '**/dist/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // core/ is the engine: it never reaches into the shells or the UI.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['**/electron/**', '**/renderer/**', 'electron', 'react', 'react-dom', 'vite'] },
      ],
    },
  },
  {
    // The UI reaches the engine only through the typed client: core/contract types, nothing else.
    files: ['renderer/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: {
      globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', console: 'readonly' },
    },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+core/(?!contract/)',
              message: 'the renderer imports only core/contract (types), see DESIGN.md',
            },
            { group: ['electron', 'node:*'], message: 'the renderer runs in a browser page' },
          ],
        },
      ],
    },
  },
  {
    // The desktop shell: plain JavaScript (ESM main, sandboxed CommonJS preload). It reaches the
    // engine and the UI only over the wire, never by import.
    files: ['electron/**/*.{js,cjs}'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/core/**', '**/renderer/**'] }] },
  },
  {
    files: ['electron/preload.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);

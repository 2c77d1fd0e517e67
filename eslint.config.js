// Lint rules: typescript-eslint's recommended set plus the house boundaries from DESIGN.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// The engine's layers, as docs/architecture.md draws them. A folder of core/ imports only from
// folders in layers to its left (never from its own layer's other folders, never to its right),
// and from the shared leaves, which import nothing but each other.
export const SHARED_LEAVES = ['errors', 'home', 'validation', 'contract', 'text'];
export const LAYERS = [
  ['topology'],
  ['kube', 'exec', 'tasks', 'download'],
  ['backends'],
  ['stack', 'doctor', 'traffic'],
  ['monitoring'],
  ['lab'],
  ['scenarios'],
  ['promote', 'gameday'],
  ['server'],
  ['cli'],
];
// core/ is the engine: it never reaches into the shells or the UI.
const OUTSIDE_THE_ENGINE = {
  group: ['**/electron/**', '**/renderer/**', 'electron', 'react', 'react-dom', 'vite'],
  message: 'core/ is the engine: it never imports the shells or the UI (DESIGN.md)',
};
const importsFrom = (folders) => ({ regex: `^(\\.\\./)+(${folders.join('|')})/` });
const layerRule = (folder, forbidden, why) => ({
  files: [`core/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          OUTSIDE_THE_ENGINE,
          ...(forbidden.length ? [{ ...importsFrom(forbidden), message: why }] : []),
        ],
      },
    ],
  },
});
const layerRules = [
  ...LAYERS.flatMap((layer, i) => {
    const allowed = LAYERS.slice(0, i).flat();
    const forbidden = LAYERS.slice(i).flat();
    return layer.map((folder) =>
      layerRule(
        folder,
        forbidden.filter((f) => f !== folder),
        `core/${folder} may import only from ${[...allowed, ...SHARED_LEAVES].join(', ')} (layers: docs/architecture.md)`,
      ),
    );
  }),
  ...SHARED_LEAVES.map((folder) =>
    layerRule(
      folder,
      LAYERS.flat(),
      `core/${folder} is a shared leaf: it imports only other shared leaves (${SHARED_LEAVES.join(', ')})`,
    ),
  ),
];

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
    files: ['core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [OUTSIDE_THE_ENGINE] }] },
  },
  ...layerRules,
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

// Lint rules that carry architecture, not taste:
//  - the layer direction of DESIGN §3: store → api → sim → shell/labs → host; lower never imports higher;
//  - the renderer reaches the engine only through preload;
//  - the simulation never reads the wall clock, real timers or Math.random (determinism).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (name) => ({
  regex: `(^|/)(main/)?${name}(/|$)`,
  message: `layer rule: this layer may not import main/${name} (DESIGN §3)`,
});
const forbid = (...names) => ({ 'no-restricted-imports': ['error', { patterns: names.map(layer) }] });

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'coverage/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['main/store/**'], rules: forbid('api', 'sim', 'shell', 'labs', 'host') },
  { files: ['main/api/**'], rules: forbid('sim', 'shell', 'labs', 'host') },
  { files: ['main/sim/**'], rules: forbid('shell', 'labs', 'host') },
  { files: ['main/shell/**'], rules: forbid('labs', 'host') },
  { files: ['main/labs/**'], rules: forbid('host') },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)main/', message: 'the renderer reaches the engine only through preload/' },
            { regex: '^node:' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/sim/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'simulation time comes from the lab clock' },
        { object: 'Math', property: 'random', message: 'use the seeded random source' },
        { object: 'performance', property: 'now', message: 'simulation time comes from the lab clock' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'schedule on the lab clock' },
        { name: 'setInterval', message: 'schedule on the lab clock' },
        { name: 'setImmediate', message: 'schedule on the lab clock' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the wall clock; use the lab clock',
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: 'Date() reads the wall clock; use the lab clock',
        },
      ],
    },
  },
);

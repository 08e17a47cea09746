// typescript-eslint on the whole tree, plus the layer rules of STYLE.md:
// modules import each other only through index.ts; lib/ never imports platform/ or modules/;
// repos never import http/; views never import repos.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$).+',
              message: 'Import another module only through its index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '\\.\\./(platform|modules|http|db|jobs)/', message: 'lib/ holds pure helpers without I/O.' }] },
      ],
    },
  },
  {
    files: ['src/**/*.repo.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '/http/', message: 'Repositories never depend on HTTP.' }] }],
    },
  },
  {
    files: ['src/**/*.views.ts', 'src/views/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '\\.repo\\.js$', allowTypeImports: true, message: 'Views never import repositories (types are fine).' }] },
      ],
    },
  },
  {
    files: ['scripts/**/*.js', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

// ESLint flat config: ESLint's and typescript-eslint's recommended rules, syntax only (not type-checked),
// so that linting stays quick enough to run in every `npm test`.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // Build output, coverage, test and CLI artefacts, and generated source (scripts/gen-version.mjs).
    // node_modules is ignored by ESLint itself.
    ignores: ['dist/', 'coverage/', 'test/.artifacts/', '.celigo-manage/', 'src/version.ts'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      // A leading underscore marks a name kept on purpose: fields dropped by rest destructuring
      // (`const { _id: _drop, ...rest } = o`) and parameters a signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests read untyped JSON off the wire (emulator and MCP answers); `any` keeps those assertions short.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);

// Lint configuration: typescript-eslint's recommended rules; `any` is forbidden in sim-core.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-web/**', 'out/**', 'test/fixtures/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['sim-core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
);

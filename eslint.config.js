// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'demo/**', 'bench/results/**', 'coverage/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      curly: ['error', 'multi-line'],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The domain is pure: no I/O, no engine, store or connector imports.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:fs*',
                'node:net',
                'node:http*',
                'node:child_process',
                'fs',
                'pg',
                '@electric-sql/*',
                'pg-boss',
              ],
              message: 'domain code does no I/O',
            },
            {
              group: [
                '**/store/**',
                '**/engine/**',
                '**/connectors/**',
                '**/cli/**',
                '**/api/**',
                '**/jobs/**',
              ],
              message: 'domain imports only domain',
            },
          ],
        },
      ],
    },
  },
)

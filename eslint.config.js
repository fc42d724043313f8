// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/**
 * The layer arrows of DESIGN §5: `cli`, `api` → `app` → `engine` → `domain`; `engine` → `store`,
 * `connectors`, `jobs`; connectors and the store import only the domain. Each folder lists the folders it
 * must not import; tests may reach across (they set up what they test).
 */
function layer(folder, forbidden, message, allowed = []) {
  return {
    files: [`src/${folder}/**/*.ts`],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...forbidden.map((f) => `**/${f}/**`), ...allowed.map((a) => `!${a}`)], message },
          ],
        },
      ],
    },
  }
}

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
  layer(
    'cli',
    ['store', 'connectors'],
    'the CLI is a thin face: it uses src/app, the engine and src/api/presenters, never the store or a connector',
  ),
  layer(
    'api',
    ['store', 'connectors', 'cli'],
    'the API is a thin face: it uses src/app, the engine and its presenters, never the store or a connector',
  ),
  layer(
    'app',
    ['store', 'connectors', 'cli', 'api'],
    'src/app composes the runtime from the engine and the jobs; of the store it opens only the store itself, of the connectors only the registry',
    ['**/store/open-store.js', '**/connectors/built-in-connectors.js', '**/connectors/connector-registry.js'],
  ),
  layer('engine', ['app', 'api', 'cli'], 'the engine is used by src/app and the faces, never the other way'),
  layer(
    'jobs',
    ['engine', 'connectors', 'app', 'api', 'cli'],
    'jobs carry work; the engine supplies what runs',
  ),
  layer(
    'connectors',
    ['store', 'engine', 'jobs', 'app', 'api', 'cli'],
    'connectors import only the domain (and their own folder)',
  ),
  layer('store', ['engine', 'connectors', 'jobs', 'app', 'api', 'cli'], 'the store imports only the domain'),
)

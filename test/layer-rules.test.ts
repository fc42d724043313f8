import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/** Each arrow of DESIGN §5, as a file in one folder importing a module of another, and what lint says. */
const CASES: readonly [file: string, imports: string, allowed: boolean][] = [
  ['src/cli/commands/x.ts', '../../store/db.js', false],
  ['src/cli/commands/x.ts', '../../connectors/registry.js', false],
  ['src/cli/commands/x.ts', '../../app/open-engine.js', true],
  ['src/cli/commands/x.ts', '../../engine/queries/list-identities.js', true],
  ['src/cli/commands/x.ts', '../../api/presenters/plan-json.js', true],
  ['src/api/presenters/x.ts', '../../store/accounts.js', false],
  ['src/api/presenters/x.ts', '../../connectors/connector.js', false],
  ['src/api/presenters/x.ts', '../../cli/print-table.js', false],
  ['src/api/presenters/x.ts', '../../engine/plan-identities.js', true],
  ['src/app/x.ts', '../store/db.js', false],
  ['src/app/x.ts', '../store/open-store.js', true],
  ['src/app/x.ts', '../connectors/registry.js', false],
  ['src/app/x.ts', '../cli/main.js', false],
  ['src/app/x.ts', '../api/health-server.js', false],
  ['src/app/x.ts', '../jobs/start-queue.js', true],
  ['src/app/x.ts', '../engine/engine-context.js', true],
  ['src/engine/x.ts', '../app/open-engine.js', false],
  ['src/engine/queries/x.ts', '../../cli/print-table.js', false],
  ['src/engine/x.ts', '../api/presenters/plan-json.js', false],
  ['src/engine/x.ts', '../store/accounts.js', true],
  ['src/engine/x.ts', '../connectors/registry.js', true],
  ['src/engine/x.ts', '../jobs/schedules.js', true],
  ['src/jobs/x.ts', '../engine/execution/execute-due.js', false],
  ['src/jobs/x.ts', '../connectors/registry.js', false],
  ['src/connectors/ldap/x.ts', '../../store/db.js', false],
  ['src/connectors/ldap/x.ts', '../../engine/engine-context.js', false],
  ['src/connectors/ldap/x.ts', '../../jobs/schedules.js', false],
  ['src/connectors/ldap/x.ts', '../../domain/errors.js', true],
  ['src/connectors/ldap/x.ts', '../connector.js', true],
  ['src/store/x.ts', '../engine/engine-context.js', false],
  ['src/store/x.ts', '../connectors/connector.js', false],
  ['src/store/x.ts', '../jobs/schedules.js', false],
  ['src/store/x.ts', '../domain/model.js', true],
  ['src/domain/x.ts', '../store/db.js', false],
  ['src/domain/x.ts', '../engine/engine-context.js', false],
  ['src/domain/x.ts', 'node:fs', false],
  ['src/domain/plan/x.ts', '../model.js', true],
]

describe('the layer rules of eslint.config.js', () => {
  const eslint = new ESLint({ cwd: process.cwd() })

  it.each(CASES)('%s importing %s: allowed %s', async (file, imports, allowed) => {
    const [result] = await eslint.lintText(`import { x } from '${imports}'\nexport const y = x\n`, {
      filePath: file,
    })
    const reported = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports')
    expect(reported.length > 0).toBe(!allowed)
    // Nothing else is wrong with the snippet: a parse error would make every case pass for the wrong reason.
    expect(result?.messages.filter((m) => m.ruleId !== 'no-restricted-imports')).toEqual([])
  })

  it('the source tree keeps every arrow', async () => {
    const results = await eslint.lintFiles(['src/**/*.ts'])
    const broken = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId === 'no-restricted-imports')
        .map((m) => `${r.filePath}: ${m.message}`),
    )
    expect(broken).toEqual([])
  })
})

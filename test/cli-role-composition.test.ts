import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { createServerDatabase } from './support/databases.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'

// The embedded database always; a PostgreSQL server too when the tests have one.
const DATABASES = [
  { name: 'pglite', url: async () => '' },
  ...(process.env['PROVISIO_TEST_DATABASE_URL'] ? [{ name: 'postgres', url: createServerDatabase }] : []),
]

// A ROLE_COMPOSITION campaign from a file through the built CLI: the role's YAML changes on sign-off.
describe.each(DATABASES)(
  'provisio role composition campaigns on $name',
  { timeout: CLI_TEST_TIMEOUT },
  ({ url }) => {
    const dir = join(tempDir(), 'ws')
    let env: NodeJS.ProcessEnv = {}
    const cli = (...args: string[]) => runCli(['-w', dir, ...args], env)
    const json = <T>(...args: string[]): T => {
      const r = cli(...args, '--json')
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      return JSON.parse(r.stdout) as T
    }

    beforeAll(async () => {
      env = { DATABASE_URL: await url() }
      await writeDemoWorkspace(dir)
      for (const source of ['HR', 'Badge System']) expect(cli('aggregate', source).status).toBe(0)
      writeFileSync(
        join(dir, 'roles-review.yaml'),
        'name: Role review\ntype: ROLE_COMPOSITION\ndeadline: 2030-01-01T00:00:00Z\n' +
          'ownerRef: { id: joan.goldwasser }\n' +
          'roleCompositionCampaignInfo:\n  remediatorRef: { type: IDENTITY, id: joan.goldwasser }\n' +
          '  roleIds: [Operations Datacenter]\n',
      )
      writeFileSync(
        join(dir, 'typo.yaml'),
        'name: Typo\ntype: ROLE_COMPOSITION\n' +
          'roleCompositionCampaignInfo: { remediatorRef: { id: joan.goldwasser }, roleIdz: [x] }\n',
      )
    }, CLI_TEST_TIMEOUT)

    it('refuses a misspelled field with its path; creates, reviews and signs off; the role file loses the revoked access profile', () => {
      const typo = cli('campaign', 'create', join(dir, 'typo.yaml'))
      expect(typo.status).toBe(2)
      expect(typo.stderr).toMatch(
        /typo\.yaml: campaign\.roleCompositionCampaignInfo: Unrecognized key: "roleIdz"/,
      )

      const made = json<{ campaign: { id: string; status: string }; generated: { items: number } }>(
        'campaign',
        'create',
        join(dir, 'roles-review.yaml'),
      )
      expect(made).toMatchObject({ campaign: { status: 'STAGED' }, generated: { items: 2 } })
      expect(json<{ status: string }>('campaign', 'activate', made.campaign.id).status).toBe('ACTIVE')

      const [cert] = json<{ id: string; reviewerName: string }[]>('certifications', '--as', 'joan.goldwasser')
      expect(cert?.reviewerName).toBe('joan.goldwasser')
      const { items } = json<{ items: { id: string; itemName: string; identityName: string }[] }>(
        'review',
        cert?.id ?? '',
        '--as',
        'joan.goldwasser',
      )
      expect(items.every((i) => i.identityName === 'Operations Datacenter')).toBe(true)
      const opsTeam = items.find((i) => i.itemName === 'Operations Team')
      json(
        'review',
        cert?.id ?? '',
        '--revoke',
        opsTeam?.id ?? '',
        '--all-approve',
        '--as',
        'joan.goldwasser',
      )
      const signed = json<{ remediation: Record<string, number> }>(
        'sign-off',
        cert?.id ?? '',
        '--as',
        'joan.goldwasser',
      )
      expect(signed.remediation).toMatchObject({ NONE: 1 })

      const yaml = readFileSync(join(dir, 'roles/operations-datacenter.yaml'), 'utf8')
      expect(yaml).not.toContain('Operations Team')
      expect(yaml).toContain('Datacenter Access')
      // The roles of the workspace validate as they are now.
      expect(cli('validate').status).toBe(0)
    })
  },
)

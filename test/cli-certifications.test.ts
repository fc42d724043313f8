import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { createServerDatabase } from './support/databases.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'

interface Item {
  id: string
  identityName: string
  itemType: string
  itemName: string
  reasons: { kind: string }[]
  revocable: boolean
  assignmentIds: string[]
  peers: Record<string, number>
  decision: string | null
  decidedBy: string | null
  comments: string | null
}
interface Cert {
  id: string
  reviewerName: string
  itemsTotal: number
  itemsDecided: number
  signed: string | null
}

// The embedded database always; a PostgreSQL server too when the tests have one.
const DATABASES = [
  { name: 'pglite', url: async () => '' },
  ...(process.env['PROVISIO_TEST_DATABASE_URL'] ? [{ name: 'postgres', url: createServerDatabase }] : []),
]

// `campaign create|activate|status|report`, `certifications`, `review`, `sign-off` through the built CLI:
// a MANAGER campaign over the demo, from its file to its remediation and report.
describe.each(DATABASES)('provisio campaigns on $name', { timeout: CLI_TEST_TIMEOUT }, ({ url }) => {
  const dir = join(tempDir(), 'ws')
  let env: NodeJS.ProcessEnv = {}
  const cli = (...args: string[]) => runCli(['-w', dir, ...args], env)
  const json = <T>(...args: string[]): T => {
    const r = cli(...args, '--json')
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0)
    return JSON.parse(r.stdout) as T
  }

  // The demo's James Wilson manages people; one of them was given the Operations Team directory group by
  // an administrator, so that the review has given access to revoke beside unmanaged badge zones.
  let subject = ''
  beforeAll(async () => {
    env = { DATABASE_URL: await url() }
    await writeDemoWorkspace(dir)
    for (const source of ['HR', 'Badge System']) expect(cli('aggregate', source).status).toBe(0)
    const people = json<{ name: string; managerName: string | null; lifecycleState: string }[]>('identities')
    subject =
      people.find((p) => p.managerName === 'james.wilson' && p.lifecycleState === 'active')?.name ?? ''
    expect(cli('assign', subject, '--access-profile', 'Operations Team').status).toBe(0)
    expect(cli('apply', '--identity', subject, '--wait').status).toBe(0)
    writeFileSync(
      join(dir, 'q1.yaml'),
      'name: Q1 access review\ntype: MANAGER\ndeadline: 2030-01-01T00:00:00Z\n' +
        'mandatoryCommentRequirement: REVOKE_ONLY_DECISIONS\n',
    )
    writeFileSync(
      join(dir, 'typo.yaml'),
      'name: Q1\ntype: SEARCH\ndedline: 2030-01-01T00:00:00Z\nsearchCampaignInfo: { querry: x }\n',
    )
  }, CLI_TEST_TIMEOUT)

  let campaignId = ''
  let certId = ''
  let items: Item[] = []
  let total = 0

  it('creates a campaign from a file, refusing a misspelled field with its path, and activates it', () => {
    const typo = cli('campaign', 'create', join(dir, 'typo.yaml'))
    expect(typo.status).toBe(2)
    expect(typo.stderr).toMatch(/typo\.yaml: campaign: Unrecognized key: "dedline"/)
    expect(typo.stderr).toMatch(/typo\.yaml: campaign\.searchCampaignInfo: Unrecognized key: "querry"/)
    // A date no calendar has is refused, not rolled over into March; a search's reviewer on a MANAGER
    // campaign is refused, not ignored (the campaign would have reviewed everyone).
    const feb31 = cli('campaign', 'create', '--name', 'X', '--type', 'MANAGER', '--deadline', '2031-02-31')
    expect(feb31.status, feb31.stdout).toBe(2)
    expect(feb31.stderr).toMatch(/--deadline: "2031-02-31" is not a date/)
    const late = cli(
      'campaign',
      'create',
      '--name',
      'X',
      '--type',
      'MANAGER',
      '--deadline',
      '2031-04-31T17:00:00Z',
    )
    expect(late.status, late.stdout).toBe(2)
    const mixed = cli(
      'campaign',
      'create',
      '--name',
      'X',
      '--type',
      'MANAGER',
      '--deadline',
      '2031-01-01',
      '--reviewer',
      'james.wilson',
    )
    expect(mixed.status, mixed.stdout).toBe(2)
    expect(mixed.stderr).toMatch(/--reviewer .*SEARCH/)
    expect(json<unknown[]>('campaign', 'status')).toEqual([])

    const made = json<{
      campaign: { id: string; status: string; itemsTotal: number }
      generated: { certifications: number; items: number; skipped: string[] }
    }>('campaign', 'create', join(dir, 'q1.yaml'))
    expect(made.campaign.status).toBe('STAGED')
    expect(made.generated.items).toBeGreaterThan(0)
    // Heads of department have no manager to review them.
    expect(made.generated.skipped).toContain('james.wilson: no manager')
    campaignId = made.campaign.id
    total = made.generated.items
    const text = cli('campaign', 'status')
    expect(text.stdout).toMatch(new RegExp(`${campaignId}\\s+Q1 access review\\s+MANAGER\\s+STAGED`))

    expect(json<{ status: string }>('campaign', 'activate', campaignId).status).toBe('ACTIVE')
  })

  it("lists a manager's certification and its items, each explained, and refuses to revoke criteria", () => {
    const mine = json<Cert[]>('certifications', '--as', 'james.wilson')
    expect(mine).toHaveLength(1)
    expect(mine[0]?.reviewerName).toBe('james.wilson')
    certId = mine[0]?.id ?? ''
    // A mistyped campaign id is no campaign, not a campaign without certifications.
    const unknown = cli('certifications', '--campaign', 'no-such-campaign')
    expect(unknown.status).toBe(6)
    expect(unknown.stderr).toMatch(/no campaign with id "no-such-campaign"/)

    const page = json<{ total: number; items: Item[] }>('review', certId, '--as', 'james.wilson')
    items = page.items
    expect(page.total).toBe(mine[0]?.itemsTotal)
    const given = items.find((i) => i.identityName === subject && i.itemName === 'Operations Team')
    expect(given).toMatchObject({
      itemType: 'ACCESS_PROFILE',
      revocable: true,
      reasons: [{ kind: 'ASSIGNMENT' }],
    })
    expect(Object.keys(given?.peers ?? {})).toEqual(expect.arrayContaining(['department', 'manager']))
    const role = items.find((i) => i.identityName === subject && i.itemName === 'All Employees')
    expect(role).toMatchObject({ itemType: 'ROLE', revocable: false })
    expect(items.some((i) => i.itemType === 'ENTITLEMENT' && i.reasons.length === 0)).toBe(true)

    const text = cli('review', certId, '--as', 'james.wilson')
    expect(text.stdout).toMatch(/held by: ADMIN assignment .* of access profile "Operations Team"/)
    expect(text.stdout).toMatch(/held by: nothing grants it \(unmanaged access on account /)
    expect(text.stdout).toMatch(/revocable: no, a member of role "All Employees" by its criteria/)
    expect(text.stdout).toMatch(/peers holding it: department \d+%/)

    const refused = cli(
      'review',
      certId,
      '--revoke',
      role?.id ?? '',
      '--comment',
      'no',
      '--as',
      'james.wilson',
    )
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(
      /"All Employees"\) cannot be revoked here: a member of role "All Employees" by its criteria/,
    )
    // This campaign wants a comment with each revocation.
    const silent = cli('review', certId, '--revoke', given?.id ?? '', '--as', 'james.wilson')
    expect(silent.status).toBe(2)
    expect(silent.stderr).toMatch(/a comment is required for a revocation/)

    // `--as` someone who neither reviews this certification nor administers campaigns is refused: their
    // name would be recorded on decisions they may not make. An administrator (joan.goldwasser) may.
    const intruder = cli('review', certId, '--approve', role?.id ?? '', '--as', 'joan.dijkstra')
    expect(intruder.status).toBe(11)
    expect(intruder.stderr).toMatch(/--as joan\.dijkstra: .* is reviewed by james\.wilson/)
    expect(cli('sign-off', certId, '--as', 'joan.dijkstra').status).toBe(11)
    const unchanged = json<{ items: Item[] }>('review', certId, '--as', 'james.wilson')
    expect(unchanged.items.find((i) => i.id === role?.id)?.decision).toBeNull()
    expect(cli('review', certId, '--as', 'joan.goldwasser').status).toBe(0)
  })

  it('previews, decides, signs off and remediates through the directory and a manual task', () => {
    const given = items.find((i) => i.identityName === subject && i.itemName === 'Operations Team') as Item
    const zone = items.find((i) => i.itemType === 'ENTITLEMENT' && i.reasons.length === 0) as Item
    // Another report's badge zone: the badge system's owner gets one task for both.
    const zone2 = items.find(
      (i) =>
        i.itemType === 'ENTITLEMENT' &&
        i.reasons.length === 0 &&
        i.identityName !== zone.identityName &&
        i.identityName !== subject,
    ) as Item
    const previews = json<{ itemId: string; outcome: string; changes: { value?: unknown }[] }[]>(
      'review',
      certId,
      '--revoke',
      given.id,
      zone.id,
      '--preview',
      '--as',
      'james.wilson',
    )
    expect(previews.find((p) => p.itemId === given.id)).toMatchObject({
      outcome: 'REMOVED',
      changes: [{ value: 'ops-team' }],
    })
    expect(previews.find((p) => p.itemId === zone.id)).toMatchObject({ outcome: 'REMOVED' })
    // The preview decided nothing.
    expect(json<Cert[]>('certifications', '--as', 'james.wilson')[0]?.itemsDecided).toBe(0)

    const decided = json<{ certification: Cert; items: Item[] }>(
      'review',
      certId,
      '--revoke',
      given.id,
      zone.id,
      zone2.id,
      '--comment',
      'left operations',
      '--all-approve',
      '--as',
      'james.wilson',
    )
    expect(decided.certification.itemsDecided).toBe(decided.certification.itemsTotal)
    expect(decided.items.find((i) => i.id === given.id)).toMatchObject({
      decision: 'REVOKE',
      comments: 'left operations',
    })
    expect(decided.items.filter((i) => i.decision === 'REVOKE')).toHaveLength(3)

    const signed = json<{
      certification: Cert
      remediation: Record<string, number>
      campaign: { status: string }
    }>('sign-off', certId, '--as', 'james.wilson')
    expect(signed.certification.signed).not.toBeNull()
    expect(signed.remediation).toEqual({ NONE: decided.certification.itemsTotal - 3, PENDING: 3 })
    expect(signed.campaign.status).toBe('ACTIVE')
    expect(cli('sign-off', certId, '--as', 'james.wilson').status).toBe(5)

    // The administrator's assignment is gone, the directory group removed, the badge zone a manual task.
    const explained = json<{ assignments: unknown[] }>('explain', subject)
    expect(explained.assignments).toEqual([])
    expect(cli('execute').status).toBe(0)
    const accounts = json<{ nativeIdentity: string; attributes: { groups?: string[] } }[]>(
      'accounts',
      'Corporate Directory',
    )
    expect(accounts.find((a) => a.nativeIdentity === subject)?.attributes.groups).not.toContain('ops-team')
    const tasks =
      json<
        { id: string; description: string; remediationItems: { value: string; identityName: string }[] }[]
      >('tasks')
    expect(tasks).toEqual([
      expect.objectContaining({
        description: expect.stringMatching(
          /^Certification items revoked by james\.wilson \(campaign 'Q1 access review'\): Modify account '\w+', Modify account '\w+' on source 'Badge System'$/,
        ) as unknown,
        remediationItems: expect.arrayContaining([
          expect.objectContaining({ value: zone.itemName, identityName: zone.identityName }),
          expect.objectContaining({ value: zone2.itemName, identityName: zone2.identityName }),
        ]) as unknown,
      }),
    ])
    expect(tasks[0]?.remediationItems).toHaveLength(2)
    // `tasks show` names the account and the person each line is about.
    const shown = cli('tasks', 'show', tasks[0]?.id ?? '')
    expect(shown.status).toBe(0)
    for (const z of [zone, zone2]) {
      expect(shown.stdout).toMatch(new RegExp(`\\w+ \\(${z.identityName}\\): - zones = ${z.itemName}`))
    }
  })

  // Ten CLI processes for the five other reviewers: twice the usual limit.
  it(
    'completes once every reviewer signed off, and reports a row per item',
    { timeout: 2 * CLI_TEST_TIMEOUT },
    () => {
      const open = json<(Cert & { reviewerId: string })[]>(
        'certifications',
        '--campaign',
        campaignId,
        '--open',
      )
      expect(open).toHaveLength(5)
      for (const c of open) {
        expect(cli('review', c.id, '--all-approve', '--as', c.reviewerName).status).toBe(0)
        expect(cli('sign-off', c.id, '--as', c.reviewerName).status).toBe(0)
      }
      const status = json<{ campaign: { status: string }; reviewers: { signed: string | null }[] }>(
        'campaign',
        'status',
        campaignId,
      )
      // COMPLETED once the badge owner has done the manual task; the directory's removal is done already.
      expect(['COMPLETING', 'COMPLETED']).toContain(status.campaign.status)
      expect(status.reviewers.every((r) => r.signed !== null)).toBe(true)
      expect(cli('campaign', 'status', campaignId).stdout).toMatch(
        new RegExp(
          `progress: ${total} of ${total} items decided \\(100%\\), 6 of 6 certifications signed off`,
        ),
      )

      const out = join(dir, 'decisions.csv')
      const written = cli('campaign', 'report', campaignId, '--csv', 'decisions', '--out', out)
      expect(written.status, written.stderr).toBe(0)
      const rows = readFileSync(out, 'utf8').trim().split('\n')
      expect(rows[0]).toMatch(/^itemId,identity,identityName,itemType,item,/)
      expect(rows).toHaveLength(total + 1)
      const given = items.find((i) => i.identityName === subject && i.itemName === 'Operations Team') as Item
      expect(rows.find((r) => r.startsWith(given.id))).toMatch(
        /,ACCESS_PROFILE,Operations Team,.*,REVOKE,james\.wilson,.*,left operations,,DONE,/,
      )
      // Without --out, the same CSV on standard output.
      expect(cli('campaign', 'report', campaignId, '--csv').stdout.trim().split('\n')).toEqual(rows)
      expect(cli('campaign', 'report', campaignId, '--csv', 'everything').status).toBe(2)
      // A file that cannot be written is the user's input, named, not an unexpected error.
      for (const bad of [dir, join(dir, 'no-such-folder', 'report.csv')]) {
        const refused = cli('campaign', 'report', campaignId, '--csv', '--out', bad)
        expect(refused.status).toBe(2)
        expect(refused.stderr).toContain(`--out: cannot write ${bad}: `)
      }
    },
  )
})

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { engineOver, type OpenEngine } from '../src/app/open-engine.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { InputError } from '../src/domain/errors.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { activateCampaign } from '../src/engine/certifications/activate-campaign.js'
import { campaignReport } from '../src/engine/certifications/campaign-report.js'
import { createCampaign } from '../src/engine/certifications/create-campaign.js'
import { decideItems } from '../src/engine/certifications/decide-items.js'
import { certificationItemsFor } from '../src/engine/certifications/list-certifications.js'
import { previewRevocations } from '../src/engine/certifications/preview-revocations.js'
import { runCampaignTimers } from '../src/engine/certifications/run-campaign-timers.js'
import { signOffCertification } from '../src/engine/certifications/sign-off.js'
import { rawConfigObject, writeConfigObject } from '../src/engine/config/change-config.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { listAccounts } from '../src/store/accounts.js'
import { listActivities } from '../src/store/activities.js'
import { findCampaign } from '../src/store/campaigns.js'
import { listCertificationItems } from '../src/store/certification-items.js'
import { listCertifications } from '../src/store/certifications.js'
import { newestConfigVersion } from '../src/store/config-versions.js'
import { findIdentity, listIdentities } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { CERT_ADMIN as ADMIN, personActor as person } from './support/campaign-actors.js'
import { databases } from './support/databases.js'
import { demoWorkspace } from './support/temp-workspace.js'

const DIRECTORY = 'Corporate Directory'
const BADGES = 'Badge System'
const ROLE_FILE = 'roles/operations-datacenter.yaml'
const DAY = 86_400_000

describe.each(databases)('role composition campaigns on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /**
   * The demo, provisioned, on an engine that can change its configuration, plus a second role ("On call",
   * an identity list of one Operations member) that also grants Operations Team (ops-team on the directory).
   */
  async function setup() {
    const ws = await demoWorkspace()
    store = await database.open()
    let t = Date.parse('2027-03-01T09:00:00Z')
    const engine = engineOver(ws.config, store, builtInConnectors(), undefined, () => new Date(t))
    await aggregateThenProcess(engine, 'HR')
    await aggregateThenProcess(engine, BADGES)
    await applyPlan(engine)
    await settle(engine)
    const ops = (await listIdentities(store.db, {})).filter(
      (i) => i.attributes['department'] === 'Operations' && i.lifecycleState === 'active',
    )
    const withOpsTeam = []
    for (const i of ops) if ((await groupsOf(engine, i.id)).includes('ops-team')) withOpsTeam.push(i)
    const [keeper, loser] = withOpsTeam
    if (!keeper || !loser) throw new Error('the demo lacks two Operations members with ops-team')
    await writeConfigObject(engine, 'roles', {
      name: 'On call',
      owner: { type: 'IDENTITY', name: 'joan.goldwasser' },
      membership: { type: 'IDENTITY_LIST', identities: [{ type: 'IDENTITY', id: keeper.id }] },
      accessProfiles: [{ type: 'ACCESS_PROFILE', name: 'Operations Team' }],
    })
    await applyPlan(engine)
    await settle(engine)
    t += DAY
    return { engine, dir: ws.dir, keeper, loser, members: withOpsTeam }
  }

  async function settle(ctx: OpenEngine) {
    await executeDue(ctx, { sources: [DIRECTORY] })
    await aggregateThenProcess(ctx, DIRECTORY)
  }

  async function groupsOf(ctx: OpenEngine, identityId: string): Promise<string[]> {
    const [account] = (await listAccounts(ctx.db, { identityIds: [identityId] })).filter(
      (a) => a.sourceName === DIRECTORY,
    )
    const g = account?.attributes['groups']
    return Array.isArray(g) ? g.map(String) : g === undefined ? [] : [String(g)]
  }

  async function compositionCampaign(ctx: OpenEngine, extra: object = {}) {
    const { campaign, generated } = await createCampaign(ctx, ADMIN, {
      name: 'Role review',
      type: 'ROLE_COMPOSITION',
      deadline: new Date(ctx.now().getTime() + 14 * DAY).toISOString(),
      ownerRef: { id: 'joan.goldwasser', type: 'IDENTITY' },
      roleCompositionCampaignInfo: {
        remediatorRef: { type: 'IDENTITY', id: 'joan.goldwasser' },
        roleIds: ['Operations Datacenter'],
      },
      ...extra,
    })
    if (campaign.status === 'ERROR') throw new Error(`generation failed: ${campaign.error ?? ''}`)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const [cert] = await listCertifications(ctx.db, { campaignIds: [campaign.id] })
    if (!cert) throw new Error('no certification')
    return { campaign, generated, cert }
  }

  it('revoking an access profile takes it out of the role, publishes it and removes it from the holders', async () => {
    const { engine, dir, keeper, loser, members } = await setup()
    const lamarr = (await findIdentity(engine.db, 'james.lamarr'))?.id as string
    const { campaign, generated, cert } = await compositionCampaign(engine)
    expect(generated).toMatchObject({ certifications: 1, items: 2, identities: 1 })

    // The role's owner reviews it, unless he holds it (then his manager does).
    const lamarrHolds = members.some((m) => m.id === lamarr)
    if (!lamarrHolds) expect(cert.reviewerId).toBe(lamarr)
    else expect(cert.reviewerId).not.toBe(lamarr)
    const reviewer = person(cert.reviewerId)
    const { items } = await certificationItemsFor(engine, reviewer, cert.id)
    expect(items.map((i) => [i.itemType, i.itemName, i.identityName]).sort()).toEqual([
      ['ACCESS_PROFILE', 'Datacenter Access', 'Operations Datacenter'],
      ['ACCESS_PROFILE', 'Operations Team', 'Operations Datacenter'],
    ])
    const opsTeam = items.find((i) => i.itemName === 'Operations Team')
    const datacenter = items.find((i) => i.itemName === 'Datacenter Access')
    if (!opsTeam || !datacenter) throw new Error('items missing')
    // The reviewer sees how the role's membership is decided and how many hold it.
    expect(opsTeam.reasons[0]).toMatchObject({ kind: 'ROLE', name: 'Operations Datacenter' })
    expect(opsTeam.reasons[0]?.detail).toContain('department')
    expect(opsTeam.reasons[0]?.detail).toMatch(/\d+ identities hold it/)

    // The preview names who would lose what: not the member whose other role grants it too.
    const [preview] = await previewRevocations(engine, reviewer, cert.id, [opsTeam.id])
    expect(preview?.outcome).toBe('REMOVED')
    const losers = new Set(preview?.changes.map((c) => c.identity))
    expect(losers).toContain(loser.name)
    expect(losers).not.toContain(keeper.name)
    expect(preview?.changes.every((c) => c.value === 'ops-team')).toBe(true)
    expect(readFileSync(join(dir, ROLE_FILE), 'utf8')).toContain('Operations Team')

    const before = await newestConfigVersion(engine.db)
    await decideItems(engine, reviewer, cert.id, [
      { id: opsTeam.id, decision: 'REVOKE', comments: 'not part of the datacenter' },
      { id: datacenter.id, decision: 'APPROVE' },
    ])
    const { remediation } = await signOffCertification(engine, reviewer, cert.id)
    expect(remediation).toMatchObject({ PENDING: 1, NONE: 1 })

    // The role's YAML lost the access profile, kept the rest; a new version says who and which campaign.
    const yaml = readFileSync(join(dir, ROLE_FILE), 'utf8')
    expect(yaml).not.toContain('Operations Team')
    expect(yaml).toContain('Datacenter Access')
    expect(yaml).toContain('department')
    const version = await newestConfigVersion(engine.db)
    expect(version?.number).toBeGreaterThan(before?.number ?? 0)
    expect(version?.author).toContain('joan.goldwasser (remediator')
    expect(version?.author).toContain('campaign "Role review"')
    const role = engine.config.roles.find((r) => r.value.name === 'Operations Datacenter')?.value
    expect(role?.accessProfiles).toHaveLength(1)

    // The holders lose ops-team on the directory (a CERTIFICATION activity); the On call member keeps it.
    const removals = (await listActivities(engine.db, {})).filter((a) =>
      a.items.some((i) => i.operation === 'Remove' && i.value === 'ops-team'),
    )
    expect(removals.length).toBeGreaterThan(0)
    expect(removals.every((a) => a.type === 'CERTIFICATION')).toBe(true)
    expect(removals.map((a) => a.identityId)).not.toContain(keeper.id)
    await settle(engine)
    expect(await groupsOf(engine, loser.id)).not.toContain('ops-team')
    expect(await groupsOf(engine, loser.id)).toContain('all-staff')
    expect(await groupsOf(engine, keeper.id)).toContain('ops-team')

    await runCampaignTimers(engine)
    const done = await listCertificationItems(engine.db, { campaignIds: [campaign.id] })
    expect(done.find((i) => i.id === opsTeam.id)).toMatchObject({ remediation: 'DONE' })
    expect(done.find((i) => i.id === opsTeam.id)?.remediationDetail).toContain('removed from role')
    expect(done.find((i) => i.id === datacenter.id)).toMatchObject({ remediation: 'NONE' })
    expect((await findCampaign(engine.db, campaign.id))?.status).toBe('COMPLETED')
  })

  it("revoking an entitlement a role grants directly takes it out of the role and off its members' accounts", async () => {
    const { engine, dir, loser } = await setup()
    const directory = { type: 'SOURCE', name: DIRECTORY }
    await writeConfigObject(engine, 'roles', {
      name: 'VPN users',
      owner: { type: 'IDENTITY', name: 'joan.goldwasser' },
      membership: {
        type: 'STANDARD',
        criteria: {
          operation: 'EQUALS',
          key: { type: 'IDENTITY', property: 'attribute.department' },
          stringValue: 'Operations',
        },
      },
      entitlements: [
        { source: directory, attribute: 'groups', value: 'vpn' },
        { source: directory, attribute: 'groups', value: 'wiki' },
      ],
    })
    await applyPlan(engine)
    await settle(engine)
    expect(await groupsOf(engine, loser.id)).toEqual(expect.arrayContaining(['vpn', 'wiki']))
    const roleId = engine.config.roles.find((r) => r.value.name === 'VPN users')?.value.id as string
    const file = (await rawConfigObject(engine, 'roles', roleId))?.file as string

    const { campaign, cert } = await compositionCampaign(engine, {
      roleCompositionCampaignInfo: {
        remediatorRef: { type: 'IDENTITY', id: 'joan.goldwasser' },
        roleIds: [roleId],
      },
    })
    // The owner is not in Operations: she reviews her role herself.
    expect(cert.reviewerId).toBe((await findIdentity(engine.db, 'joan.goldwasser'))?.id)
    const items = await listCertificationItems(engine.db, { certificationIds: [cert.id] })
    expect(items.map((i) => [i.itemType, i.itemName]).sort()).toEqual([
      ['ENTITLEMENT', 'vpn'],
      ['ENTITLEMENT', 'wiki'],
    ])
    const reviewer = person(cert.reviewerId)
    await decideItems(
      engine,
      reviewer,
      cert.id,
      items.map((i) => ({
        id: i.id,
        decision: i.itemName === 'vpn' ? ('REVOKE' as const) : ('APPROVE' as const),
      })),
    )
    expect((await signOffCertification(engine, reviewer, cert.id)).remediation).toMatchObject({
      PENDING: 1,
      NONE: 1,
    })

    const yaml = readFileSync(join(dir, file), 'utf8')
    expect(yaml).not.toContain('vpn')
    expect(yaml).toContain('wiki')
    const removals = (await listActivities(engine.db, {})).filter((a) =>
      a.items.some((i) => i.operation === 'Remove' && i.value === 'vpn'),
    )
    expect(removals.length).toBeGreaterThan(0)
    expect(removals.every((a) => a.type === 'CERTIFICATION')).toBe(true)
    expect(removals[0]?.reasons[0]?.detail).toContain('removed from role "VPN users"')
    await settle(engine)
    expect(await groupsOf(engine, loser.id)).not.toContain('vpn')
    expect(await groupsOf(engine, loser.id)).toContain('wiki')
    await runCampaignTimers(engine)
    expect((await findCampaign(engine.db, campaign.id))?.status).toBe('COMPLETED')
    // The report names the role as each item's subject.
    const report = await campaignReport(engine, ADMIN, campaign.id)
    expect(report.decisions.every((d) => d.identityName === 'VPN users')).toBe(true)
  })

  it('approving everything leaves the role as it was', async () => {
    const { engine, dir } = await setup()
    const text = readFileSync(join(dir, ROLE_FILE), 'utf8')
    const before = await newestConfigVersion(engine.db)
    const { campaign, cert } = await compositionCampaign(engine, {
      roleCompositionCampaignInfo: {
        remediatorRef: { type: 'IDENTITY', id: 'joan.goldwasser' },
        query: 'name sw "operations"',
        reviewer: { type: 'IDENTITY', id: 'joan.goldwasser' },
      },
    })
    const reviewer = person(cert.reviewerId)
    const open = await listCertificationItems(engine.db, { certificationIds: [cert.id] })
    expect(open).toHaveLength(2)
    await decideItems(
      engine,
      reviewer,
      cert.id,
      open.map((i) => ({ id: i.id, decision: 'APPROVE' as const })),
    )
    expect((await signOffCertification(engine, reviewer, cert.id)).remediation).toEqual({ NONE: 2 })
    expect(readFileSync(join(dir, ROLE_FILE), 'utf8')).toBe(text)
    expect((await newestConfigVersion(engine.db))?.number).toBe(before?.number)
    expect((await findCampaign(engine.db, campaign.id))?.status).toBe('COMPLETED')
  })

  it('refuses a misspelled field, an unknown role and a remediator who cannot change roles, by path', async () => {
    const { engine } = await setup()
    const make = (info: object) =>
      createCampaign(engine, ADMIN, {
        name: 'Bad',
        type: 'ROLE_COMPOSITION',
        roleCompositionCampaignInfo: info,
      })
    await expect(
      make({ remediatorRef: { id: 'joan.goldwasser' }, roleIdz: ['Operations Datacenter'] }),
    ).rejects.toThrow(/campaign\.roleCompositionCampaignInfo: .*roleIdz/)
    await expect(make({ remediatorRef: { id: 'joan.goldwasser' }, roleIds: ['Nope'] })).rejects.toThrow(
      /roleCompositionCampaignInfo\.roleIds: no role "Nope"/,
    )
    await expect(
      make({ remediatorRef: { id: 'joan.goldwasser' }, roleIds: ['x'], query: 'name eq "x"' }),
    ).rejects.toThrow(/only one of roleIds and query/)
    await expect(make({ remediatorRef: { id: 'james.lamarr' } })).rejects.toThrow(
      /remediatorRef: .* must have ROLE_ADMIN or ORG_ADMIN/,
    )
    await expect(
      createCampaign(engine, ADMIN, { name: 'Bad', type: 'ROLE_COMPOSITION' }),
    ).rejects.toBeInstanceOf(InputError)
  })
})

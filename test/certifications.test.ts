import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CertificationItem } from '../src/domain/certifications/certification-item.js'
import { ConflictError, InputError, NotFoundError } from '../src/domain/errors.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { assign } from '../src/engine/assignments.js'
import { activateCampaign } from '../src/engine/certifications/activate-campaign.js'
import type { CampaignActor } from '../src/engine/certifications/campaign-actor.js'
import { campaignReport, decisionPages, decisionsCsv } from '../src/engine/certifications/campaign-report.js'
import { changeCampaign, deleteCampaignsById } from '../src/engine/certifications/change-campaign.js'
import { completeCampaign } from '../src/engine/certifications/complete-campaign.js'
import { createCampaign } from '../src/engine/certifications/create-campaign.js'
import { decideItems } from '../src/engine/certifications/decide-items.js'
import { listCertificationsFor } from '../src/engine/certifications/list-certifications.js'
import { previewRevocations } from '../src/engine/certifications/preview-revocations.js'
import { reassignCertificationTo } from '../src/engine/certifications/reassign-certification.js'
import { remediateSignedOff } from '../src/engine/certifications/remediate-signed-off.js'
import { runCampaignTimers } from '../src/engine/certifications/run-campaign-timers.js'
import { signOffCertification } from '../src/engine/certifications/sign-off.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { completeTask } from '../src/engine/manual-tasks.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { openMemoryFaults } from '../src/engine/memory-faults.js'
import { approveApproval } from '../src/engine/requests/decide-approval.js'
import { submitAccessRequest } from '../src/engine/requests/submit-access-request.js'
import { TENANT_REQUEST_DEFAULTS } from '../src/engine/requests/tenant-request-config.js'
import { listAccounts } from '../src/store/accounts.js'
import { insertActivities, listActivities } from '../src/store/activities.js'
import { listApprovals } from '../src/store/approvals.js'
import { listAssignments } from '../src/store/assignments.js'
import { findCampaign, listCampaigns } from '../src/store/campaigns.js'
import { countCertificationItems, listCertificationItems } from '../src/store/certification-items.js'
import { listCertifications, type Certification } from '../src/store/certifications.js'
import { findIdentity, listIdentities } from '../src/store/identities.js'
import { listNotifications } from '../src/store/notifications.js'
import type { Db } from '../src/store/db.js'
import type { Store } from '../src/store/open-store.js'
import { listWorkItems, type WorkItem } from '../src/store/work-items.js'
import { CERT_ADMIN as ADMIN, personActor as person } from './support/campaign-actors.js'
import { databases } from './support/databases.js'
import { racedBeforeTransaction } from './support/raced-transaction.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { OPS_TEAM_ID, withApprovals } from './support/request-fixtures.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const DIRECTORY = 'Corporate Directory'
const BADGES = 'Badge System'
const DAY = 86_400_000

describe.each(databases)('certifications on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /**
   * The demo, provisioned, plus: someone outside Operations who requested and was given Operations Team
   * (approved by their manager and the owner) and holds a directory group nothing grants (legacy-vpn);
   * someone in Operations who was also given Operations Team by an administrator (their role grants it too).
   */
  async function setup() {
    const ws = await demoWorkspace()
    ws.config = {
      ...ws.config,
      settings: { ...ws.config.settings, accessRequestConfig: TENANT_REQUEST_DEFAULTS } as never,
    }
    store = await database.open()
    let t = Date.parse('2027-03-01T09:00:00Z')
    const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms) }
    const ctx: EngineContext = engineContext(withApprovals(ws.config), store, clock.now)
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, BADGES)
    await applyPlan(ctx)
    await settle(ctx)
    const identities = await listIdentities(store.db, {})
    const directory = (await listAccounts(store.db, {})).filter((a) => a.sourceName === DIRECTORY)
    const badges = (await listAccounts(store.db, {})).filter((a) => a.sourceName === BADGES)
    const groups = (id: string) =>
      String(directory.find((a) => a.identityId === id)?.attributes['groups'] ?? '')
    const badgeOwner = (await findIdentity(store.db, 'james.lamarr'))?.id as string
    const apOwner = (await findIdentity(store.db, 'james.wilson'))?.id as string
    // One badge, a manager who is neither owner, not in Operations.
    // The campaigns' owner: department heads have no manager, so what they cannot review goes to her.
    const owner = (await findIdentity(store.db, 'joan.goldwasser'))?.id as string
    const requester = identities.find(
      (i) =>
        i.managerId !== null &&
        i.managerId !== owner &&
        ![badgeOwner, apOwner].includes(i.managerId) &&
        ![badgeOwner, apOwner].includes(i.id) &&
        i.attributes['department'] !== 'Operations' &&
        groups(i.id).includes('all-staff') &&
        badges.filter((b) => b.identityId === i.id).length === 1,
    )
    const operator = identities.find(
      (i) =>
        i.managerId !== null &&
        i.managerId !== requester?.managerId &&
        i.attributes['department'] === 'Operations' &&
        groups(i.id).includes('ops-team'),
    )
    if (!requester || !operator) throw new Error('the demo lacks the people this test needs')
    const manager = requester.managerId as string

    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ type: 'ACCESS_PROFILE', id: OPS_TEAM_ID, comment: 'on call' }],
    })
    for (const who of [manager, apOwner]) {
      const [a] = await listApprovals(ctx.db, { owners: [who], statuses: ['PENDING'] })
      await approveApproval(ctx, person(who), a?.id as string, null)
    }
    await assign(ctx, {
      identity: operator.id,
      item: { type: 'ACCESS_PROFILE', name: 'Operations Team' },
      actor: 'admin',
    })
    await applyPlan(ctx)
    // A group nothing grants, added on the directory directly (unmanaged access).
    const account = directory.find((a) => a.identityId === requester.id)
    const sourceId = account?.sourceId as string
    await insertActivities(ctx.db, [
      {
        type: 'MANUAL',
        identityId: requester.id,
        sourceId,
        nativeIdentity: account?.nativeIdentity as string,
        operation: 'Modify',
        items: [{ operation: 'Add', attribute: 'groups', value: 'legacy-vpn' }],
        reasons: [],
      },
    ])
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).toEqual(expect.arrayContaining(['ops-team', 'legacy-vpn']))
    const badge = badges.find((b) => b.identityId === requester.id)
    return {
      ctx,
      clock,
      dir: ws.dir,
      requester,
      manager,
      operator,
      owner,
      requestId: made.requestId,
      badge,
      badgeOwner,
    }
  }

  async function settle(ctx: EngineContext) {
    await executeDue(ctx, { sources: [DIRECTORY] })
    await aggregateThenProcess(ctx, DIRECTORY)
  }

  async function groupsOf(ctx: EngineContext, identityId: string): Promise<string[]> {
    const [account] = (await listAccounts(ctx.db, { identityIds: [identityId] })).filter(
      (a) => a.sourceName === DIRECTORY,
    )
    const g = account?.attributes['groups']
    return Array.isArray(g) ? g.map(String) : g === undefined ? [] : [String(g)]
  }

  async function managerCampaign(ctx: EngineContext, extra: object = {}) {
    const { campaign, generated } = await createCampaign(ctx, ADMIN, {
      name: 'Q1 manager review',
      type: 'MANAGER',
      deadline: new Date(ctx.now().getTime() + 14 * DAY).toISOString(),
      ownerRef: { id: 'joan.goldwasser', type: 'IDENTITY' },
      ...extra,
    })
    if (campaign.status === 'ERROR') throw new Error(`generation failed: ${campaign.error ?? ''}`)
    return { campaign, generated }
  }

  /** An active SOURCE_OWNER campaign over one source whose revoked accounts are deleted. */
  async function deletingAccountsOn(ctx: EngineContext, source: string, extra: object = {}) {
    const { campaign } = await createCampaign(ctx, ADMIN, {
      name: `${source} accounts`,
      type: 'SOURCE_OWNER',
      deadline: new Date(ctx.now().getTime() + 14 * DAY).toISOString(),
      accountRevocation: 'DELETE',
      sourceOwnerCampaignInfo: { sourceIds: [source] },
      ...extra,
    })
    await activateCampaign(ctx, ADMIN, campaign.id)
    return campaign
  }

  async function certOf(ctx: EngineContext, campaignId: string, reviewerId: string) {
    const [cert] = await listCertifications(ctx.db, { campaignIds: [campaignId], reviewerIds: [reviewerId] })
    if (!cert) throw new Error(`no certification for ${reviewerId}`)
    return cert
  }

  /** Approves every undecided item of a certification, in calls of 250. */
  async function approveRest(ctx: EngineContext, actor: CampaignActor, certId: string) {
    const open = await listCertificationItems(ctx.db, { certificationIds: [certId], decided: false })
    for (let i = 0; i < open.length; i += 250) {
      await decideItems(
        ctx,
        actor,
        certId,
        open.slice(i, i + 250).map((x) => ({ id: x.id, decision: 'APPROVE' as const })),
      )
    }
  }

  /** The manager's certification: the requester's Operations Team and legacy-vpn revoked, the rest approved. */
  async function revokeRequesterAccess(
    ctx: EngineContext,
    campaignId: string,
    manager: string,
    requester: string,
  ) {
    const cert = await certOf(ctx, campaignId, manager)
    const mine = await listCertificationItems(ctx.db, {
      certificationIds: [cert.id],
      identityIds: [requester],
    })
    const revoked = mine.filter((i) => i.itemId === OPS_TEAM_ID || i.value === 'legacy-vpn').map((i) => i.id)
    expect(revoked).toHaveLength(2)
    await decideItems(
      ctx,
      person(manager),
      cert.id,
      revoked.map((id) => ({ id, decision: 'REVOKE' as const })),
    )
    await approveRest(ctx, person(manager), cert.id)
    return { cert, revoked }
  }

  it('a manager campaign: reasons shown, criteria access acknowledge-only, revocations remediated, assignment gone', async () => {
    const { ctx, dir, requester, manager, requestId, badge, badgeOwner } = await setup()
    const { campaign, generated } = await managerCampaign(ctx)
    expect(campaign.status).toBe('STAGED')
    expect(generated?.items).toBeGreaterThan(0)
    // Staged: reviewers are not told, and cannot decide yet.
    const cert = await certOf(ctx, campaign.id, manager)
    const told = async () =>
      (await listNotifications(ctx.db, { identityId: manager }))
        .map((n) => n.kind)
        .filter((k) => k.startsWith('CERTIFICATION'))
    expect(await told()).toEqual([])
    // Its reviewer does not even see it yet; an administrator cannot decide before it is active.
    await expect(
      decideItems(ctx, person(manager), cert.id, [{ id: 'x', decision: 'APPROVE' }]),
    ).rejects.toThrow(NotFoundError)
    await expect(decideItems(ctx, ADMIN, cert.id, [{ id: 'x', decision: 'APPROVE' }])).rejects.toThrow(
      ConflictError,
    )

    await activateCampaign(ctx, ADMIN, campaign.id)
    expect(await told()).toEqual(['CERTIFICATION_ACTIVATED'])
    const mine = await listCertificationItems(ctx.db, {
      certificationIds: [cert.id],
      identityIds: [requester.id],
    })
    const find = (p: (i: CertificationItem) => boolean) => {
      const found = mine.find(p)
      if (!found) throw new Error(`no such item among ${mine.map((i) => i.itemName).join(', ')}`)
      return found
    }
    const role = find((i) => i.itemType === 'ROLE' && i.itemName === 'All Employees')
    const opsTeam = find((i) => i.itemType === 'ACCESS_PROFILE' && i.itemId === OPS_TEAM_ID)
    const vpn = find((i) => i.itemType === 'ENTITLEMENT' && i.value === 'legacy-vpn')
    const zone = find(
      (i) =>
        i.itemType === 'ENTITLEMENT' &&
        i.sourceId === badge?.sourceId &&
        i.value?.startsWith('floor-') === true,
    )
    // Bundled access is reviewed through its bundle: the role's access profiles are not items of their own.
    expect(mine.some((i) => i.itemName === 'Directory Users')).toBe(false)

    // Why each is held.
    expect(role.revocable).toBe(false)
    expect(role.acknowledgeOnly).toMatch(/criteria/)
    expect(role.reasons[0]?.kind).toBe('ROLE')
    expect(opsTeam.revocable).toBe(true)
    expect(opsTeam.assignmentIds).toHaveLength(1)
    const requested = opsTeam.reasons.find((r) => r.request !== undefined)
    expect(requested?.request).toMatchObject({ id: requestId, requester: requester.id })
    expect(requested?.request?.approvers).toHaveLength(2)
    expect(vpn.reasons).toEqual([])
    // Peers: only the requester holds legacy-vpn, so its share in their department is one person's.
    const department = (await listIdentities(ctx.db, {})).filter(
      (i) => i.attributes['department'] === requester.attributes['department'],
    )
    expect(department.length).toBeGreaterThan(1)
    expect(vpn.peers['department']).toBe(Math.round(100 / department.length) / 100)
    expect(role.peers['department']).toBeGreaterThan(vpn.peers['department'] ?? 1)

    // A criteria-based role cannot be revoked, and says why; nobody else may decide this certification.
    await expect(
      decideItems(ctx, person(manager), cert.id, [{ id: role.id, decision: 'REVOKE' }]),
    ).rejects.toThrow(/cannot be revoked here: .*criteria/)
    await expect(
      decideItems(ctx, person(requester.id), cert.id, [{ id: opsTeam.id, decision: 'REVOKE' }]),
    ).rejects.toThrow(/no certification/)

    // The preview says what a revocation would remove.
    const preview = await previewRevocations(ctx, person(manager), cert.id, [opsTeam.id, vpn.id, role.id])
    expect(Object.fromEntries(preview.map((p) => [p.itemId, p.outcome]))).toEqual({
      [opsTeam.id]: 'REMOVED',
      [vpn.id]: 'REMOVED',
      [role.id]: 'NOT_REVOCABLE',
    })
    expect(preview.find((p) => p.itemId === opsTeam.id)?.message).toMatch(/ops-team from groups/)

    // Decisions change until sign-off; sign-off needs every item decided.
    await decideItems(ctx, person(manager), cert.id, [{ id: opsTeam.id, decision: 'APPROVE' }])
    await decideItems(ctx, person(manager), cert.id, [
      { id: opsTeam.id, decision: 'REVOKE', comments: 'no longer on call' },
      { id: vpn.id, decision: 'REVOKE' },
      { id: zone.id, decision: 'REVOKE' },
    ])
    await expect(signOffCertification(ctx, person(manager), cert.id)).rejects.toThrow(/without a decision/)
    await approveRest(ctx, person(manager), cert.id)
    const { remediation } = await signOffCertification(ctx, person(manager), cert.id)
    expect(remediation.PENDING).toBe(3)
    await expect(
      decideItems(ctx, person(manager), cert.id, [{ id: vpn.id, decision: 'APPROVE' }]),
    ).rejects.toThrow(/signed off/)

    // The requested access's assignment is gone; the directory loses ops-team and the unmanaged group.
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).not.toContain(OPS_TEAM_ID)
    await settle(ctx)
    const after = await groupsOf(ctx, requester.id)
    expect(after).not.toContain('ops-team')
    expect(after).not.toContain('legacy-vpn')
    expect(after).toContain('all-staff')

    // The badge system is a flat file: its owner gets a manual task saying who revoked what.
    await executeDue(ctx, { sources: [BADGES] })
    const tasks = await listWorkItems(ctx.db, { owners: ['james.lamarr', badgeOwner] })
    const managerName = (await findIdentity(ctx.db, manager))?.name as string
    const task = tasks.find((w) => w.description.includes('Certification items revoked by'))
    expect(task?.description).toContain(`revoked by ${managerName}`)
    expect(task?.description).toContain(badge?.nativeIdentity)
    await completeTask(ctx, task?.id as string, 'zone removed')
    const file = join(dir, 'data/badges.csv')
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) =>
          l.startsWith(`${badge?.nativeIdentity ?? '-'},`) ? l.replace(`|${zone.value ?? ''}`, '') : l,
        )
        .join('\n'),
    )
    await aggregateThenProcess(ctx, BADGES)

    // Everything revoked is remediated; the campaign waits for its other reviewers.
    await runCampaignTimers(ctx)
    const report = await campaignReport(ctx, ADMIN, campaign.id)
    const outcome = (id: string) => report.decisions.find((d) => d.itemId === id)
    expect(outcome(opsTeam.id)).toMatchObject({
      decision: 'REVOKE',
      remediation: 'DONE',
      comments: 'no longer on call',
    })
    expect(outcome(vpn.id)?.remediation).toBe('DONE')
    expect(outcome(zone.id)?.remediation).toBe('DONE')
    expect(outcome(role.id)).toMatchObject({ decision: 'APPROVE', remediation: 'NONE' })
    expect(report.reviewers.find((r) => r.reviewer === manager)).toMatchObject({
      signed: expect.any(String),
      revoked: 3,
    })
    expect((await findCampaign(ctx.db, campaign.id))?.status).toBe('ACTIVE')
    let text = ''
    for await (const part of decisionsCsv(ctx, report.campaign)) text += part
    const csv = text.trim().split('\n')
    expect(csv).toHaveLength(report.decisions.length + 1)
    expect(csv[0]).toMatch(/^itemId,identity,/)
    // Read a page at a time along the items' key: every item once, whatever the page's size.
    expect(report.decisions).toHaveLength(report.reviewers.reduce((n, r) => n + r.items, 0))
    for (const size of [1, 2, 7]) {
      const paged: string[] = []
      for await (const page of decisionPages(ctx, report.campaign, size)) {
        expect(page.length).toBeLessThanOrEqual(size)
        paged.push(...page.map((d) => d.itemId))
      }
      expect(paged).toEqual(report.decisions.map((d) => d.itemId))
    }
  })

  it("a sign-off's revocations on a flat-file source are one task for its owner; each is verified on its own", async () => {
    const { ctx, dir, badgeOwner } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    // A reviewer of someone with two badge zones nothing grants, and of someone else with one.
    const badgeSource = (await listAccounts(ctx.db, {})).find((a) => a.sourceName === BADGES)?.sourceId
    let picked: { cert: { id: string; reviewerId: string }; zones: CertificationItem[] } | undefined
    for (const cert of await listCertifications(ctx.db, { campaignIds: [campaign.id] })) {
      const zones = (await listCertificationItems(ctx.db, { certificationIds: [cert.id] })).filter(
        (i) => i.sourceId === badgeSource && i.itemType === 'ENTITLEMENT' && i.revocable,
      )
      const of = (id: string) => zones.filter((z) => z.identityId === id)
      const a = zones.find((z) => of(z.identityId).length >= 2)
      const b = zones.find((z) => z.identityId !== a?.identityId)
      if (a && b) {
        picked = { cert, zones: [...of(a.identityId).slice(0, 2), b] }
        break
      }
    }
    if (!picked) throw new Error('no reviewer in the demo has the badge zones this test needs')
    const { cert, zones } = picked
    const [a1, a2, b] = zones as [CertificationItem, CertificationItem, CertificationItem]
    const reviewer = person(cert.reviewerId)
    const nameOf = new Map((await listIdentities(ctx.db, {})).map((i) => [i.id, i.name]))
    const reviewerName = nameOf.get(cert.reviewerId) as string
    await decideItems(
      ctx,
      reviewer,
      cert.id,
      zones.map((z) => ({ id: z.id, decision: 'REVOKE' as const })),
    )
    await approveRest(ctx, reviewer, cert.id)
    expect((await signOffCertification(ctx, reviewer, cert.id)).remediation.PENDING).toBe(3)

    // One task for the badge system's owner listing all three — the second change to the same badge, which
    // would otherwise wait for the first task to close, included — naming the reviewer and the campaign.
    await executeDue(ctx, { sources: [BADGES] })
    const badgeAccounts = (await listAccounts(ctx.db, {})).filter((x) => x.sourceName === BADGES)
    const badgeOf = (z: CertificationItem) =>
      badgeAccounts.find((x) => x.identityId === z.identityId)?.nativeIdentity as string
    const tasks = (await listWorkItems(ctx.db, { owners: ['james.lamarr', badgeOwner] })).filter((w) =>
      w.description.startsWith('Certification items revoked by'),
    )
    expect(tasks).toHaveLength(1)
    const [task] = tasks as [WorkItem]
    expect(task.description).toMatch(
      new RegExp(
        `^Certification items revoked by ${reviewerName} \\(campaign '${campaign.name}'\\): ` +
          `Modify account '\\w+', Modify account '\\w+', Modify account '\\w+' on source '${BADGES}'$`,
      ),
    )
    for (const z of zones) expect(task.description).toContain(`'${badgeOf(z)}'`)
    expect(task.activityId).toBeNull()
    expect(task.activityIds).toHaveLength(3)
    const line = (z: CertificationItem) => `${badgeOf(z)} ${z.value ?? ''}`
    expect(task.remediationItems.map((i) => `${i.nativeIdentity ?? ''} ${String(i.value)}`).sort()).toEqual(
      zones.map(line).sort(),
    )
    for (const z of zones) {
      expect(task.remediationItems).toContainEqual(
        expect.objectContaining({
          operation: 'Remove',
          attribute: 'zones',
          value: z.value,
          identityId: z.identityId,
          identityName: nameOf.get(z.identityId),
          nativeIdentity: badgeOf(z),
          revokedBy: reviewerName,
        }),
      )
    }

    // The API shows the three as the work item's remediation items, in the reference's shape.
    const { api, engine } = await testApi(ctx.config, store as Store, { now: ctx.now })
    try {
      const admin = await clientBearer(engine, ['ORG_ADMIN'])
      const shown = await api.inject({ url: `/v3/work-items/${task.id}`, headers: admin })
      expect(shown.statusCode).toBe(200)
      expectReferenceShape('GET', '/work-items/{id}', 200, shown.json())
      type Shown = Record<string, unknown> & { nativeIdentity: string; attributeValue: string }
      const items = async () =>
        new Map(
          (
            await api
              .inject({ url: `/v3/work-items/${task.id}`, headers: admin })
              .then((r) => r.json<{ remediationItems: Shown[] }>().remediationItems)
          ).map((i) => [`${i.nativeIdentity} ${i.attributeValue}`, i]),
        )
      const before = await items()
      expect(before.size).toBe(3)
      for (const z of zones) {
        expect(before.get(line(z))).toMatchObject({
          targetId: z.identityId,
          targetName: nameOf.get(z.identityId),
          applicationName: BADGES,
          attributeName: 'zones',
          attributeOperation: 'REMOVE',
          provisioningStatus: 'PENDING',
          revokedBy: reviewerName,
        })
      }

      // The owner completes it once: every request is committed.
      const done = await api.inject({
        method: 'POST',
        url: `/v3/work-items/${task.id}`,
        headers: { ...admin, 'content-type': 'application/json' },
        payload: JSON.stringify('zones removed'),
      })
      expect(done.statusCode).toBe(200)
      const status = async () => {
        const now = await items()
        return zones.map((z) => now.get(line(z))?.provisioningStatus)
      }
      expect(await status()).toEqual(['COMMITED', 'COMMITED', 'COMMITED'])

      // The file loses the first person's two zones only: those are verified; the other stays visible,
      // unverified, and FAILED on the campaign with what the file still shows.
      const file = join(dir, 'data/badges.csv')
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => {
            if (!l.startsWith(`${badgeOf(a1)},`)) return l
            const [head, zoneList = ''] = [l.slice(0, l.lastIndexOf(',')), l.slice(l.lastIndexOf(',') + 1)]
            const kept = zoneList.split('|').filter((v) => v !== a1.value && v !== a2.value)
            return `${head},${kept.join('|')}`
          })
          .join('\n'),
      )
      await aggregateThenProcess(ctx, BADGES)
      expect(await status()).toEqual(['FINISHED', 'FINISHED', 'UNVERIFIABLE'])
      await runCampaignTimers(ctx)
      const remediation = async (z: CertificationItem) =>
        (await listCertificationItems(ctx.db, { ids: [z.id] }))[0]
      expect((await remediation(a1))?.remediation).toBe('DONE')
      expect((await remediation(a2))?.remediation).toBe('DONE')
      const failed = await remediation(b)
      expect(failed?.remediation).toBe('FAILED')
      expect(failed?.remediationDetail).toContain(`Modify of "${badgeOf(b)}"`)
      expect(failed?.remediationDetail).toContain(b.value)
      const report = await campaignReport(ctx, ADMIN, campaign.id)
      expect(report.decisions.find((d) => d.itemId === b.id)?.remediation).toBe('FAILED')
    } finally {
      await api.close()
    }
  })

  it('a revoked item still granted by a role stays, and the preview said so', async () => {
    const { ctx, operator } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const reviewer = operator.managerId as string
    const cert = await certOf(ctx, campaign.id, reviewer)
    const [item] = await listCertificationItems(ctx.db, {
      certificationIds: [cert.id],
      identityIds: [operator.id],
      itemTypes: ['ACCESS_PROFILE'],
    })
    expect(item?.itemId).toBe(OPS_TEAM_ID)
    const [preview] = await previewRevocations(ctx, person(reviewer), cert.id, [item?.id as string])
    expect(preview).toMatchObject({ outcome: 'KEPT', changes: [] })
    expect(preview?.message).toMatch(/Operations Datacenter/)
    await decideItems(ctx, person(reviewer), cert.id, [{ id: item?.id as string, decision: 'REVOKE' }])
    await approveRest(ctx, person(reviewer), cert.id)
    expect((await signOffCertification(ctx, person(reviewer), cert.id)).remediation.KEPT).toBe(1)
    await settle(ctx)
    expect(await groupsOf(ctx, operator.id)).toContain('ops-team')
    const [kept] = await listCertificationItems(ctx.db, { ids: [item?.id as string] })
    expect(kept?.remediationDetail).toMatch(/still granted by .*Operations Datacenter/)
    // The administrator's assignment itself is gone: the role alone grants it now.
    expect((await listAssignments(ctx.db, operator.id)).map((a) => a.itemId)).not.toContain(OPS_TEAM_ID)
  })

  it('a source owner deleting an account a role still grants keeps it: the next plan would create it again', async () => {
    const { ctx, requester } = await setup()
    const campaign = await deletingAccountsOn(ctx, DIRECTORY)
    const owner = (await findIdentity(ctx.db, 'james.wilson'))?.id as string
    const cert = await certOf(ctx, campaign.id, owner)
    const [account] = await listCertificationItems(ctx.db, {
      certificationIds: [cert.id],
      identityIds: [requester.id],
      itemTypes: ['ACCOUNT'],
    })
    expect(account).toBeDefined()
    const id = account?.id as string
    // Every active identity gets a directory account through the role All Employees.
    const [preview] = await previewRevocations(ctx, person(owner), cert.id, [id])
    expect(preview).toMatchObject({ outcome: 'KEPT', changes: [] })
    expect(preview?.message).toMatch(/All Employees/)
    await decideItems(ctx, person(owner), cert.id, [{ id, decision: 'REVOKE', comments: 'not needed' }])
    await approveRest(ctx, person(owner), cert.id)
    expect((await signOffCertification(ctx, person(owner), cert.id)).remediation.KEPT).toBe(1)
    const [kept] = await listCertificationItems(ctx.db, { ids: [id] })
    expect(kept?.remediationDetail).toMatch(/All Employees/)
    const deletes = (await listActivities(ctx.db, {})).filter(
      (a) => a.identityId === requester.id && a.operation === 'Delete',
    )
    expect(deletes).toEqual([])
  })

  it('a source owner deleting an account nothing grants removes its groups with it, one activity, both done', async () => {
    const { ctx, dir, requester } = await setup()
    // A second directory account of the requester's (same employee number), made on the system directly.
    const system = createMemoryConnector({ file: join(dir, 'systems', 'directory.json'), idAttribute: 'uid' })
    await system.createAccount('x-admin', {
      uid: 'x-admin',
      employeeNumber: String(requester.attributes['employeeNumber']),
      groups: ['legacy-admin'],
    })
    await aggregateThenProcess(ctx, DIRECTORY)
    const campaign = await deletingAccountsOn(ctx, DIRECTORY)
    const owner = (await findIdentity(ctx.db, 'james.wilson'))?.id as string
    const cert = await certOf(ctx, campaign.id, owner)
    const onAdmin = (
      await listCertificationItems(ctx.db, { certificationIds: [cert.id], identityIds: [requester.id] })
    ).filter((i) => i.nativeIdentity === 'x-admin')
    expect(onAdmin.map((i) => [i.itemType, i.value ?? null]).sort()).toEqual([
      ['ACCOUNT', null],
      ['ENTITLEMENT', 'legacy-admin'],
    ])
    const ids = onAdmin.map((i) => i.id)
    const previews = await previewRevocations(ctx, person(owner), cert.id, ids)
    expect(previews.map((p) => p.outcome)).not.toContain('KEPT')
    await decideItems(
      ctx,
      person(owner),
      cert.id,
      ids.map((id) => ({ id, decision: 'REVOKE' as const, comments: 'no admin accounts' })),
    )
    // Once the account's deletion is decided, the preview of its group says it goes with the account.
    const group = onAdmin.find((i) => i.itemType === 'ENTITLEMENT')?.id as string
    const [withAccount] = await previewRevocations(ctx, person(owner), cert.id, [group])
    expect(withAccount).toMatchObject({
      outcome: 'REMOVED',
      changes: [{ operation: 'Delete', nativeIdentity: 'x-admin' }],
      message: 'removed with the account "x-admin", whose deletion is revoked here too',
    })
    await approveRest(ctx, person(owner), cert.id)
    await signOffCertification(ctx, person(owner), cert.id)
    const written = (await listActivities(ctx.db, {})).filter(
      (a) => a.identityId === requester.id && a.nativeIdentity === 'x-admin',
    )
    // The account's deletion removes its groups: no second request to change an account being deleted.
    expect(written.map((a) => a.operation)).toEqual(['Delete'])
    const [entitlement] = await listCertificationItems(ctx.db, {
      ids: onAdmin.filter((i) => i.itemType === 'ENTITLEMENT').map((i) => i.id),
    })
    expect(entitlement).toMatchObject({
      remediation: 'PENDING',
      remediationDetail: 'removed with its account',
    })
    await settle(ctx)
    await runCampaignTimers(ctx)
    const settled = await listCertificationItems(ctx.db, { ids })
    expect(settled.map((i) => i.remediation)).toEqual(['DONE', 'DONE'])
    const accounts = await listAccounts(ctx.db, { identityIds: [requester.id] })
    expect(accounts.map((a) => a.nativeIdentity)).not.toContain('x-admin')
  })

  it("a source owner campaign over the authoritative source shows its accounts as people's records, acknowledge-only", async () => {
    const { ctx, clock, requester } = await setup()
    const campaign = await deletingAccountsOn(ctx, 'HR', { autoCompleteAction: 'REVOKE' })
    const hrOwner = (await findIdentity(ctx.db, 'joan.goldwasser'))?.id as string
    const cert = await certOf(ctx, campaign.id, hrOwner)
    const accounts = await listCertificationItems(ctx.db, {
      certificationIds: [cert.id],
      itemTypes: ['ACCOUNT'],
    })
    expect(accounts.length).toBeGreaterThan(10)
    expect(accounts.every((a) => !a.revocable)).toBe(true)
    const mine = accounts.find((a) => a.identityId === requester.id)
    expect(mine?.acknowledgeOnly).toBe(
      "an account on an authoritative source is the person's record: it changes in HR (a leaver's record ends there), not by a review",
    )
    await expect(
      decideItems(ctx, person(hrOwner), cert.id, [
        { id: mine?.id as string, decision: 'REVOKE', comments: 'left' },
      ]),
    ).rejects.toThrow(/authoritative source is the person's record: it changes in HR/)
    const [preview] = await previewRevocations(ctx, person(hrOwner), cert.id, [mine?.id as string])
    expect(preview).toMatchObject({ outcome: 'NOT_REVOCABLE', changes: [] })
    // Past the deadline, the campaign's default REVOKE ends nobody's record: nothing is asked of HR.
    clock.advance(15 * DAY)
    expect(await runCampaignTimers(ctx)).toMatchObject({ autoCompleted: 1 })
    const hrId = accounts[0]?.sourceId
    expect((await listActivities(ctx.db, {})).filter((a) => a.sourceId === hrId)).toEqual([])
    const after = await listCertificationItems(ctx.db, {
      certificationIds: [cert.id],
      itemTypes: ['ACCOUNT'],
    })
    expect(new Set(after.map((i) => i.remediation))).toEqual(new Set(['NONE']))
  })

  it('a directory outage during remediation shows retrying, then completes', async () => {
    const { ctx, clock, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = await certOf(ctx, campaign.id, manager)
    const [vpn] = (
      await listCertificationItems(ctx.db, { certificationIds: [cert.id], identityIds: [requester.id] })
    ).filter((i) => i.value === 'legacy-vpn')
    await decideItems(ctx, person(manager), cert.id, [{ id: vpn?.id as string, decision: 'REVOKE' }])
    await approveRest(ctx, person(manager), cert.id)
    await signOffCertification(ctx, person(manager), cert.id)
    const faults = openMemoryFaults(ctx.config, DIRECTORY)
    try {
      faults.set('*', 'HOST_UNREACHABLE')
      await executeDue(ctx, { sources: [DIRECTORY] })
      await runCampaignTimers(ctx)
      const [item] = await listCertificationItems(ctx.db, { ids: [vpn?.id as string] })
      expect(item?.remediation).toBe('PENDING')
      const report = await campaignReport(ctx, ADMIN, campaign.id)
      expect(report.remediation['PENDING']).toBe(1)
      faults.clear()
    } finally {
      await faults.close()
    }
    clock.advance(DAY)
    await settle(ctx)
    await runCampaignTimers(ctx)
    const [settled] = await listCertificationItems(ctx.db, { ids: [vpn?.id as string] })
    expect(settled?.remediation).toBe('DONE')
    expect(await groupsOf(ctx, requester.id)).not.toContain('legacy-vpn')
  })

  it('a remediation that cannot start writes nothing, and the campaign timer remediates it again', async () => {
    const { ctx, clock, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const { cert, revoked } = await revokeRequesterAccess(ctx, campaign.id, manager, requester.id)
    // A flat-file source's owner who is not an identity stops every apply before it writes anything.
    const broken: EngineContext = {
      ...ctx,
      config: {
        ...ctx.config,
        sources: ctx.config.sources.map((s) =>
          s.value.name === BADGES
            ? { ...s, value: { ...s.value, owner: { type: 'IDENTITY' as const, name: 'nobody.here' } } }
            : s,
        ),
      },
    }
    const { remediation } = await signOffCertification(broken, person(manager), cert.id)
    expect(remediation.PENDING).toBe(2)
    const stopped = await listCertificationItems(ctx.db, { ids: revoked })
    for (const i of stopped) {
      expect(i.remediationDetail).toMatch(/could not be started: .*nobody\.here/s)
      expect(i.activityIds).toEqual([])
    }
    // Nothing of the remediation was written: the requested access keeps its assignment.
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).toContain(OPS_TEAM_ID)

    clock.advance(10 * 60_000)
    expect((await runCampaignTimers(ctx)).recovered).toBe(2)
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).not.toContain(OPS_TEAM_ID)
    await settle(ctx)
    await runCampaignTimers(ctx)
    const done = await listCertificationItems(ctx.db, { ids: revoked })
    expect(done.map((i) => i.remediation)).toEqual(['DONE', 'DONE'])
    const after = await groupsOf(ctx, requester.id)
    expect(after).not.toContain('ops-team')
    expect(after).not.toContain('legacy-vpn')
  })

  it('sign-offs that do not wait are queued, and one run of the remediation job carries them all out', async () => {
    const { ctx, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const { cert, revoked } = await revokeRequesterAccess(ctx, campaign.id, manager, requester.id)
    // Another reviewer approves everything: two certifications wait in the queue together.
    const other = (await listCertifications(ctx.db, { campaignIds: [campaign.id] })).find(
      (c) => c.id !== cert.id,
    ) as Certification
    await approveRest(ctx, person(other.reviewerId), other.id)

    const signed = await signOffCertification(ctx, person(manager), cert.id, { wait: false })
    expect(signed).toMatchObject({ queued: true, remediation: {} })
    expect(signed.cert.signed).not.toBeNull()
    await signOffCertification(ctx, person(other.reviewerId), other.id, { wait: false })
    // Signed and final, not remediated yet: nothing was removed, and the report says so.
    const waiting = await listCertificationItems(ctx.db, { certificationIds: [cert.id, other.id] })
    expect(waiting.every((i) => i.remediation === null)).toBe(true)
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).toContain(OPS_TEAM_ID)
    expect((await campaignReport(ctx, ADMIN, campaign.id)).remediation['NOT_STARTED']).toBeGreaterThan(0)
    await expect(
      decideItems(ctx, person(manager), cert.id, [{ id: revoked[0] as string, decision: 'APPROVE' }]),
    ).rejects.toThrow(/signed off/)

    // One run: both certifications, in one pass; a second run finds nothing queued.
    const run = await remediateSignedOff(ctx)
    expect(run).toMatchObject({ campaigns: 1, items: waiting.length })
    expect(run.counts.PENDING).toBe(2)
    expect(run.counts.NONE).toBe(waiting.length - 2)
    expect(await remediateSignedOff(ctx)).toMatchObject({ campaigns: 0, items: 0 })
    expect((await runCampaignTimers(ctx)).recovered).toBe(0)
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).not.toContain(OPS_TEAM_ID)
    const done = await listCertificationItems(ctx.db, { ids: revoked })
    expect(done.map((i) => i.remediation)).toEqual(['PENDING', 'PENDING'])
    expect(done.every((i) => i.activityIds.length > 0)).toBe(true)
    await settle(ctx)
    await runCampaignTimers(ctx)
    expect((await listCertificationItems(ctx.db, { ids: revoked })).map((i) => i.remediation)).toEqual([
      'DONE',
      'DONE',
    ])
    expect(await groupsOf(ctx, requester.id)).not.toContain('legacy-vpn')
  })

  it('a sign-off queued when the process stops is remediated by the campaign timer, once', async () => {
    const { ctx, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = await certOf(ctx, campaign.id, manager)
    const [ops] = (
      await listCertificationItems(ctx.db, { certificationIds: [cert.id], identityIds: [requester.id] })
    ).filter((i) => i.itemId === OPS_TEAM_ID)
    await decideItems(ctx, person(manager), cert.id, [{ id: ops?.id as string, decision: 'REVOKE' }])
    await approveRest(ctx, person(manager), cert.id)
    // Signed off, then the process stopped before its remediation ran: the queue is in the store.
    await signOffCertification(ctx, person(manager), cert.id, { wait: false })
    const [first, second] = await Promise.all([runCampaignTimers(ctx), runCampaignTimers(ctx)])
    expect((first?.recovered ?? 0) + (second?.recovered ?? 0)).toBe(cert.itemsTotal)
    const [item] = await listCertificationItems(ctx.db, { ids: [ops?.id as string] })
    expect(item?.remediation).toBe('PENDING')
    // One removal, not two.
    const activities = await listActivities(ctx.db, { ids: item?.activityIds ?? [] })
    expect(activities).toHaveLength(1)
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).not.toContain(OPS_TEAM_ID)
  })

  it('a decision that lands after the sign-off is refused, not recorded on a certification already final', async () => {
    const { ctx, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = await certOf(ctx, campaign.id, manager)
    await approveRest(ctx, person(manager), cert.id)
    const [ops] = (
      await listCertificationItems(ctx.db, { certificationIds: [cert.id], identityIds: [requester.id] })
    ).filter((i) => i.itemId === OPS_TEAM_ID)
    // The reviewer changes their mind while the same certification is being signed off (another tab, a
    // script): the sign-off lands between the decision's checks and its write.
    let signed = false
    const signOffFirst = async (): Promise<void> => {
      if (signed) return
      signed = true
      await signOffCertification(ctx, person(manager), cert.id, { wait: false })
    }
    // The write begins with a transaction or with the UPDATE of the decisions: the sign-off goes first.
    const racing: EngineContext = {
      ...ctx,
      db: {
        ...ctx.db,
        query: async <R>(sql: string, params?: readonly unknown[]): Promise<R[]> => {
          if (/UPDATE certification_items i SET decision/.test(sql)) await signOffFirst()
          return ctx.db.query<R>(sql, params)
        },
        transaction: async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
          await signOffFirst()
          return ctx.db.transaction(fn)
        },
      },
    }
    await expect(
      decideItems(racing, person(manager), cert.id, [{ id: ops?.id as string, decision: 'REVOKE' }]),
    ).rejects.toThrow(ConflictError)
    expect(signed).toBe(true)
    // What was signed stays what is remediated: the approval.
    const [after] = await listCertificationItems(ctx.db, { ids: [ops?.id as string] })
    expect(after?.decision).toBe('APPROVE')
    await remediateSignedOff(ctx)
    expect((await listAssignments(ctx.db, requester.id)).map((a) => a.itemId)).toContain(OPS_TEAM_ID)
  })

  it('a reassignment that lands after the sign-off is refused and moves nothing', async () => {
    const { ctx, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = await certOf(ctx, campaign.id, manager)
    const second = (await listCertifications(ctx.db, { campaignIds: [campaign.id] })).find(
      (c) => c.id !== cert.id,
    ) as Certification
    // Someone neither certification reviews, so that either may go to them.
    const reviewed = new Set(
      (await listCertificationItems(ctx.db, { certificationIds: [cert.id, second.id] })).map(
        (i) => i.identityId,
      ),
    )
    const other = (await listIdentities(ctx.db, {})).find(
      (i) => ![manager, second.reviewerId].includes(i.id) && !reviewed.has(i.id),
    )?.id as string
    /** The engine's context where the certification is signed off as the reassignment begins its write. */
    const signingOff = (certId: string, reviewer: string): EngineContext =>
      racedBeforeTransaction(ctx, () => signOffCertification(ctx, person(reviewer), certId, { wait: false }))
        .ctx
    // Some identities' items handed on, and a whole certification, each while it is being signed off.
    await approveRest(ctx, person(manager), cert.id)
    await expect(
      reassignCertificationTo(signingOff(cert.id, manager), person(manager), cert.id, {
        to: other,
        reason: 'she knows them',
        identityIds: [requester.id],
      }),
    ).rejects.toThrow(ConflictError)
    await approveRest(ctx, person(second.reviewerId), second.id)
    await expect(
      reassignCertificationTo(
        signingOff(second.id, second.reviewerId),
        person(second.reviewerId),
        second.id,
        {
          to: other,
          reason: 'on leave',
        },
      ),
    ).rejects.toThrow(ConflictError)
    // Nothing moved, nobody was told.
    expect(await listCertifications(ctx.db, { campaignIds: [campaign.id], reviewerIds: [other] })).toEqual([])
    expect(
      await countCertificationItems(ctx.db, { certificationIds: [cert.id], identityIds: [requester.id] }),
    ).toBeGreaterThan(0)
    expect((await listNotifications(ctx.db, { identityId: other })).map((n) => n.kind)).not.toContain(
      'CERTIFICATION_REASSIGNED',
    )
  })

  it('a campaign activated while it is being deleted stays, and the deletion is refused', async () => {
    const { ctx } = await setup()
    const { campaign } = await managerCampaign(ctx)
    // Two administrators: one deletes the staged campaign, the other activates it in between the
    // deletion's check and its write (reviewers are told at activation).
    const racing = racedBeforeTransaction(ctx, () => activateCampaign(ctx, ADMIN, campaign.id))
    await expect(deleteCampaignsById(racing.ctx, ADMIN, [campaign.id])).rejects.toThrow(ConflictError)
    expect(racing.raced()).toBe(true)
    expect(await findCampaign(ctx.db, campaign.id)).toMatchObject({ status: 'ACTIVE' })
    expect(await listCertifications(ctx.db, { campaignIds: [campaign.id] })).not.toHaveLength(0)
  })

  it("an active campaign's deadline moves only later, and reviewers with decisions left are told", async () => {
    const { ctx, manager } = await setup()
    const { campaign } = await managerCampaign(ctx, { deadline: undefined })
    await activateCampaign(ctx, ADMIN, campaign.id)
    const told = async () =>
      (await listNotifications(ctx.db, { identityId: manager })).filter(
        (n) => n.kind === 'CERTIFICATION_DEADLINE_CHANGED',
      )
    // None before: a deadline may be set (the only way to bound a review nobody finishes).
    const first = new Date(ctx.now().getTime() + 10 * DAY).toISOString()
    await changeCampaign(ctx, ADMIN, campaign.id, { deadline: first })
    const due = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
    expect((await told()).map((n) => n.body)).toEqual([
      expect.stringMatching(new RegExp(`now due ${due(first)}\\. \\d+ items still wait`)),
    ])
    // Earlier or none: refused, and nobody is told.
    for (const deadline of [new Date(ctx.now().getTime() + 5 * DAY).toISOString(), null]) {
      await expect(changeCampaign(ctx, ADMIN, campaign.id, { deadline })).rejects.toThrow(/only move later/)
    }
    // Later, and the same again (nothing moved: nobody is told twice).
    const later = new Date(ctx.now().getTime() + 20 * DAY).toISOString()
    await changeCampaign(ctx, ADMIN, campaign.id, { deadline: later })
    await changeCampaign(ctx, ADMIN, campaign.id, { deadline: later })
    // Newest first.
    expect((await told()).map((n) => n.body)).toEqual([
      expect.stringContaining(`now due ${due(later)} instead of ${due(first)}.`),
      expect.stringContaining(`now due ${due(first)}.`),
    ])
    expect(await findCampaign(ctx.db, campaign.id)).toMatchObject({ deadline: later })
  })

  it('a deadline shortened while the campaign is being activated is refused', async () => {
    const { ctx } = await setup()
    const { campaign } = await managerCampaign(ctx)
    const sooner = new Date(ctx.now().getTime() + DAY).toISOString()
    // Checked as STAGED, then activated (reviewers told the first deadline) before the write.
    const racing = racedBeforeTransaction(ctx, () => activateCampaign(ctx, ADMIN, campaign.id))
    await expect(changeCampaign(racing.ctx, ADMIN, campaign.id, { deadline: sooner })).rejects.toThrow(
      /only move later/,
    )
    expect(racing.raced()).toBe(true)
    expect(await findCampaign(ctx.db, campaign.id)).toMatchObject({
      status: 'ACTIVE',
      deadline: campaign.deadline,
    })
  })

  it('a campaign deleted while it is generated leaves nothing behind, and its creation says so', async () => {
    const { ctx } = await setup()
    // An administrator deletes the campaign, still PENDING, before its items are written.
    const racing = racedBeforeTransaction(ctx, async () => {
      const pending = await listCampaigns(ctx.db, { statuses: ['PENDING'] })
      await deleteCampaignsById(
        ctx,
        ADMIN,
        pending.map((c) => c.id),
      )
    })
    await expect(
      createCampaign(racing.ctx, ADMIN, { name: 'Deleted meanwhile', type: 'MANAGER' }),
    ).rejects.toThrow(/was deleted while it was generated/)
    expect(racing.raced()).toBe(true)
    expect(await listCampaigns(ctx.db, {})).toEqual([])
    expect(await listCertifications(ctx.db, {})).toEqual([])
    expect(await countCertificationItems(ctx.db, {})).toBe(0)
  })

  it('a certification made by a reassignment during the completion is signed off with the rest', async () => {
    const { ctx, clock, requester, manager } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = await certOf(ctx, campaign.id, manager)
    const reviewed = new Set(
      (await listCertificationItems(ctx.db, { certificationIds: [cert.id] })).map((i) => i.identityId),
    )
    const others = await listCertifications(ctx.db, { campaignIds: [campaign.id] })
    const other = (await listIdentities(ctx.db, {})).find(
      (i) => i.id !== manager && !reviewed.has(i.id) && !others.some((c) => c.reviewerId === i.id),
    )?.id as string
    clock.advance(15 * DAY)
    // Past due: an administrator completes it while the manager hands some items to someone new, who
    // gets a certification of their own in the campaign.
    const racing = racedBeforeTransaction(ctx, () =>
      reassignCertificationTo(ctx, person(manager), cert.id, {
        to: other,
        reason: 'she knows them',
        identityIds: [requester.id],
      }),
    )
    await completeCampaign(racing.ctx, ADMIN, campaign.id)
    expect(racing.raced()).toBe(true)
    // Nothing is left open in a campaign that no longer takes decisions.
    expect(await listCertifications(ctx.db, { campaignIds: [campaign.id], signed: false })).toEqual([])
    expect(await listCertificationItems(ctx.db, { campaignIds: [campaign.id], decided: false })).toEqual([])
  })

  it('a past-due campaign auto-completes with its default decision, and completes once remediated', async () => {
    const { ctx, clock } = await setup()
    const { campaign } = await managerCampaign(ctx, { autoCompleteAction: 'APPROVE', reminderDays: [3] })
    await activateCampaign(ctx, ADMIN, campaign.id)
    // Not past due: completing early is refused.
    await expect(completeCampaign(ctx, ADMIN, campaign.id)).rejects.toThrow(/not past due/)
    clock.advance(2 * DAY)
    expect(await runCampaignTimers(ctx)).toMatchObject({ reminded: 0, autoCompleted: 0 })
    clock.advance(10 * DAY)
    const certs = await listCertifications(ctx.db, { campaignIds: [campaign.id] })
    expect(await runCampaignTimers(ctx)).toMatchObject({ reminded: certs.length })
    expect(await runCampaignTimers(ctx)).toMatchObject({ reminded: 0 })
    clock.advance(3 * DAY)
    expect(await runCampaignTimers(ctx)).toMatchObject({ autoCompleted: 1 })
    const done = await findCampaign(ctx.db, campaign.id)
    expect(done).toMatchObject({ status: 'COMPLETED', autoCompletedWith: 'APPROVE' })
    expect(await listCertificationItems(ctx.db, { campaignIds: [campaign.id], decided: false })).toEqual([])
    expect(await listCertifications(ctx.db, { campaignIds: [campaign.id], signed: false })).toEqual([])
  })

  it("past the deadline without a default decision, open certifications escalate to the reviewer's manager", async () => {
    const { ctx, clock, manager, owner } = await setup()
    const { campaign } = await managerCampaign(ctx)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = await certOf(ctx, campaign.id, manager)
    clock.advance(15 * DAY)
    const run = await runCampaignTimers(ctx)
    expect(run.escalated).toBeGreaterThan(0)
    expect(await runCampaignTimers(ctx)).toMatchObject({ escalated: 0 })
    // Department heads have no manager: theirs goes to the campaign's owner.
    const [moved] = await listCertifications(ctx.db, { ids: [cert.id] })
    expect(moved).toMatchObject({
      reviewerId: owner,
      originalReviewerId: manager,
      escalated: expect.any(String),
    })
    expect((await listNotifications(ctx.db, { identityId: owner })).map((n) => n.kind)).toContain(
      'CERTIFICATION_ESCALATED',
    )
  })

  it('nobody reviews themselves, and a certification is reassigned only to someone who is not under review', async () => {
    const { ctx, requester, manager } = await setup()
    // A search campaign reviewed by the manager, over the manager and their report.
    const { campaign, generated } = await createCampaign(ctx, ADMIN, {
      name: 'Targeted review',
      type: 'SEARCH',
      ownerRef: { id: 'joan.goldwasser', type: 'IDENTITY' },
      searchCampaignInfo: {
        identityIds: [requester.id, manager],
        reviewer: { id: manager, type: 'IDENTITY' },
      },
    })
    expect(generated?.identities).toBe(2)
    const items = await listCertificationItems(ctx.db, { campaignIds: [campaign.id] })
    const certs = await listCertifications(ctx.db, { campaignIds: [campaign.id] })
    const reviewerOf = new Map(certs.map((c) => [c.id, c.reviewerId]))
    for (const i of items) expect(reviewerOf.get(i.certificationId)).not.toBe(i.identityId)
    await activateCampaign(ctx, ADMIN, campaign.id)
    const cert = certs.find((c) => c.reviewerId === manager)
    if (!cert) throw new Error('the manager reviews nobody')
    await expect(
      reassignCertificationTo(ctx, person(manager), cert.id, { to: requester.id, reason: 'delegating' }),
    ).rejects.toThrow(/own access/)
    await expect(
      reassignCertificationTo(ctx, person(manager), cert.id, { to: requester.id, reason: ' ' }),
    ).rejects.toThrow(InputError)
    const other = (await listIdentities(ctx.db, {})).find((i) => ![requester.id, manager].includes(i.id))
      ?.id as string
    const { to } = await reassignCertificationTo(ctx, person(manager), cert.id, {
      to: other,
      reason: 'on leave',
    })
    expect(to).toMatchObject({ reviewerId: other, originalReviewerId: manager, reassignComment: 'on leave' })
    // The old reviewer no longer sees it; the new one does, and was told.
    expect(
      (await listCertificationsFor(ctx, person(manager), {})).certifications.map((c) => c.id),
    ).not.toContain(cert.id)
    expect((await listCertificationsFor(ctx, person(other), {})).certifications.map((c) => c.id)).toContain(
      cert.id,
    )
    expect((await listNotifications(ctx.db, { identityId: other })).map((n) => n.kind)).toContain(
      'CERTIFICATION_REASSIGNED',
    )
  })
})

import {
  CertificationCampaignsApi,
  CertificationsApi,
  CertificationSummariesApi,
  EntitlementsBetaApi,
  type AccessReviewItem,
  type Configuration,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import type { Identity } from '../src/domain/model.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { findIdentity } from '../src/store/identities.js'
import { databases } from './support/databases.js'
import { clientConfiguration, refusal, tokenOf } from './support/official-client.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { provisionedDemoApi } from './support/provisioned-demo.js'

/** What Provisio adds to the reference's access review item. */
type ProvisioItem = AccessReviewItem & {
  reasons: { kind: string; text: string }[]
  revocable: boolean
  acknowledgeOnly: string | null
  peers: Record<string, number>
  remediation: string | null
  sourceName: string | null
}

/** Certification campaigns over the demo, through the official client and real HTTP. */
describe.each(databases)('certifications through the official client on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let base: string
  let admin: Configuration
  let reviewer: Identity
  let otherManager: Identity
  const as = async (who: Identity): Promise<Configuration> =>
    clientConfiguration(
      base,
      await createPersonalAccessToken(engine, { identity: who.name, name: `sdk ${Math.random()}` }),
    )
  /** An access token for the configuration's client, for Provisio's own routes (called with fetch). */
  const bearerOf = async (cfg: Configuration): Promise<Record<string, string>> => ({
    authorization: `Bearer ${await tokenOf(base, cfg)}`,
  })
  const deadline = (): string => new Date(Date.now() + 14 * 86_400_000).toISOString()

  beforeAll(async () => {
    ;({ api, engine, base } = await provisionedDemoApi(database))
    admin = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'campaigns', capabilities: ['CERT_ADMIN'] }),
    )
    // Managers of the demo: joan.dijkstra reviews three reports, one of them holding the datacenter badge.
    reviewer = (await findIdentity(engine.db, 'joan.dijkstra')) as Identity
    otherManager = (await findIdentity(engine.db, 'james.wilson')) as Identity
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('runs a manager campaign: staged, active, reviewed with reasons and peers, signed off, reported', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const created = await campaigns.createCampaign({
      campaign: {
        name: 'Quarterly manager review',
        description: 'Q3',
        type: 'MANAGER',
        deadline: deadline(),
      },
    })
    expect(created.status).toBe(202)
    expectReferenceShape('POST', '/campaigns', 202, created.data)
    const campaignId = created.data.id as string
    expect(created.data).toMatchObject({ status: 'STAGED', type: 'MANAGER' })
    expect(created.data.totalCertifications).toBeGreaterThan(1)
    expect(created.data).toMatchObject({ provisio: { generated: { items: expect.any(Number) } } })

    const listed = await campaigns.getActiveCampaigns({ filters: `id eq "${campaignId}"`, count: true })
    expectReferenceShape('GET', '/campaigns', 200, listed.data)
    expect(listed.data).toHaveLength(1)
    expect(listed.headers['x-total-count']).toBe('1')
    expect(
      (
        await campaigns.getActiveCampaigns({ filters: 'name sw "Quarterly" and status eq "STAGED"' })
      ).data.map((c) => c.id),
    ).toContain(campaignId)
    const patched = await campaigns.updateCampaign({
      id: campaignId,
      jsonPatchOperation: [{ op: 'replace', path: '/description', value: 'Q3, all managers' }],
    })
    expectReferenceShape('PATCH', '/campaigns/{id}', 200, patched.data)
    expect(patched.data.description).toBe('Q3, all managers')

    // Staged: the reviewers are not told yet, and see nothing.
    const mine = new CertificationsApi(await as(reviewer))
    expect((await mine.listIdentityCertifications({})).data).toEqual([])
    const staged = (
      await new CertificationsApi(admin).listIdentityCertifications({
        filters: `campaign.id eq "${campaignId}"`,
      })
    ).data.find((c) => c.reviewer?.id === reviewer.id)
    expect(staged).toBeDefined()
    expect((await refusal(mine.getIdentityCertification({ id: staged?.id as string }))).status).toBe(404)

    expect((await campaigns.startCampaign({ id: campaignId, activateCampaignOptions: {} })).status).toBe(202)
    const full = await campaigns.getCampaign({ id: campaignId, detail: 'FULL' })
    expectReferenceShape('GET', '/campaigns/{id}', 200, full.data)
    expect(full.data.status).toBe('ACTIVE')

    const certs = await mine.listIdentityCertifications({ reviewerIdentity: 'me' })
    expectReferenceShape('GET', '/certifications', 200, certs.data)
    expect(certs.data).toHaveLength(1)
    const cert = certs.data[0]
    expect(cert).toMatchObject({
      campaign: { id: campaignId, campaignType: 'MANAGER' },
      phase: 'ACTIVE',
      reviewer: { id: reviewer.id, name: 'joan.dijkstra' },
      completed: false,
    })
    const certId = cert?.id as string

    const read = await mine.listIdentityAccessReviewItems({ id: certId })
    expectReferenceShape('GET', '/certifications/{id}/access-review-items', 200, read.data)
    const items = read.data as ProvisioItem[]
    expect(items).toHaveLength(cert?.decisionsTotal as number)
    // A role from criteria: acknowledge-only, and it says why.
    const role = items.find((i) => i.accessSummary?.access?.type === 'ROLE') as ProvisioItem
    expect(role).toMatchObject({ revocable: false, acknowledgeOnly: expect.stringContaining('criteria') })
    expect(role.reasons[0]).toMatchObject({ kind: 'ROLE', text: expect.stringContaining('All Employees') })
    // An entitlement on an account that nothing grants: unmanaged, revocable; how common among peers.
    const badge = items.find((i) => i.accessSummary?.access?.name === 'datacenter') as ProvisioItem
    expect(badge).toMatchObject({ revocable: true, reasons: [], completed: false })
    expect(badge.peers).toMatchObject({ department: expect.any(Number), manager: expect.any(Number) })
    expect(badge.peers['department']).toBeLessThan(1)
    // Its access id is the catalog's entitlement id, the one the entitlement APIs know it by.
    const orgAdmin = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'catalog', capabilities: ['ORG_ADMIN'] }),
    )
    const entitlement = await new EntitlementsBetaApi(orgAdmin).getEntitlement({
      id: badge.accessSummary?.access?.id as string,
    })
    expect(entitlement.data).toMatchObject({ attribute: 'zones', value: 'datacenter' })
    expect(badge.accessSummary?.entitlement?.id).toBe(entitlement.data.id)
    const onlyRoles = await mine.listIdentityAccessReviewItems({
      id: certId,
      filters: 'access.type eq "ROLE"',
      sorters: '-access.name',
    })
    expect(onlyRoles.data.every((i) => i.accessSummary?.access?.type === 'ROLE')).toBe(true)

    // Someone else's certification is not found for another manager; a campaign is not theirs to create.
    const other = new CertificationsApi(await as(otherManager))
    expect((await refusal(other.getIdentityCertification({ id: certId }))).status).toBe(404)
    expect((await refusal(other.listIdentityAccessReviewItems({ id: certId }))).status).toBe(404)
    expect(
      (
        await refusal(
          new CertificationCampaignsApi(await as(reviewer)).createCampaign({
            campaign: { name: 'mine', description: null, type: 'MANAGER' },
          }),
        )
      ).status,
    ).toBe(403)

    // What revoking the badge would do, before signing: removed from the account by the planner.
    const preview = await fetch(`${base}/provisio/v1/certifications/${certId}/revocation-preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await bearerOf(await as(reviewer))) },
      body: JSON.stringify({ itemIds: [badge.id, role.id] }),
    })
    expect(preview.status).toBe(200)
    expect(await preview.json()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemId: badge.id, outcome: 'REMOVED' }),
        expect.objectContaining({ itemId: role.id, outcome: 'NOT_REVOCABLE' }),
      ]),
    )

    // Revoking acknowledge-only access is refused, with the reason; nothing is recorded.
    const revokeRole = await refusal(
      mine.makeIdentityDecision({
        id: certId,
        reviewDecision: [{ id: role.id as string, decision: 'REVOKE', bulk: false }],
      }),
    )
    expect(revokeRole).toMatchObject({ status: 400, text: expect.stringContaining('cannot be revoked') })

    const decided = await mine.makeIdentityDecision({
      id: certId,
      reviewDecision: items.map((i) =>
        i.id === badge.id
          ? { id: i.id as string, decision: 'REVOKE', bulk: false, comments: 'no datacenter work' }
          : { id: i.id as string, decision: 'APPROVE', bulk: true },
      ),
    })
    expectReferenceShape('POST', '/certifications/{id}/decide', 200, decided.data)
    expect(decided.data).toMatchObject({ decisionsMade: items.length, decisionsTotal: items.length })

    const signed = await mine.signOffIdentityCertification({ id: certId })
    expectReferenceShape('POST', '/certifications/{id}/sign-off', 200, signed.data)
    expect(signed.data).toMatchObject({ phase: 'SIGNED', completed: true })
    // Signed: the decisions are final.
    const again = await refusal(
      mine.makeIdentityDecision({
        id: certId,
        reviewDecision: [{ id: badge.id as string, decision: 'APPROVE', bulk: false }],
      }),
    )
    expect(again.status).toBe(409)
    expect(
      (await mine.listIdentityCertifications({ filters: 'phase eq "SIGNED"' })).data.map((c) => c.id),
    ).toEqual([certId])

    // The other reviewers' certifications, decided and signed by the campaign administrator.
    const adminBearer = await bearerOf(admin)
    const reviewing = new CertificationsApi(admin)
    const rest = (
      await reviewing.listIdentityCertifications({
        filters: `campaign.id eq "${campaignId}" and completed eq false`,
      })
    ).data
    expect(rest.length).toBe((created.data.totalCertifications as number) - 1)
    for (const c of rest) {
      const theirs = await reviewing.listIdentityAccessReviewItems({ id: c.id as string })
      await reviewing.makeIdentityDecision({
        id: c.id as string,
        reviewDecision: theirs.data.map((i) => ({ id: i.id as string, decision: 'APPROVE', bulk: true })),
      })
      if (c !== rest[0]) {
        await reviewing.signOffIdentityCertification({ id: c.id as string })
        continue
      }
      // One without waiting: queued, answered at once, and remediated by the job serve starts right after.
      const queued = await fetch(`${base}/v3/certifications/${c.id as string}/sign-off?wait=false`, {
        method: 'POST',
        headers: adminBearer,
      })
      expect(queued.status).toBe(200)
      expect(await queued.json()).toMatchObject({ completed: true, remediation: {}, remediationQueued: true })
      for (let tries = 0; ; tries++) {
        const items = (await reviewing.listIdentityAccessReviewItems({ id: c.id as string }))
          .data as ProvisioItem[]
        if (items.every((i) => i.remediation === 'NONE')) break
        if (tries === 300) throw new Error('the queued sign-off was not remediated')
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const done = await campaigns.getCampaign({ id: campaignId })
    expect(['COMPLETING', 'COMPLETED']).toContain(done.data.status)
    expect(done.data).toMatchObject({ completedCertifications: created.data.totalCertifications })
    const afterwards = (await mine.listIdentityAccessReviewItems({ id: certId })).data as ProvisioItem[]
    expect(afterwards.find((i) => i.id === badge.id)?.remediation).not.toBeNull()

    // A remediation scan now: the badge's removal is the badge owner's manual task, so it stays PENDING
    // and the campaign COMPLETING; a reviewer may not scan, a staged campaign has nothing to scan.
    const scan = await campaigns.startCampaignRemediationScan({ id: campaignId })
    expect(scan.status).toBe(202)
    expect(scan.data).toMatchObject({ remediatedAgain: 0, pending: 1 })
    expect(
      (await mine.listIdentityAccessReviewItems({ id: certId })).data.find((i) => i.id === badge.id),
    ).toMatchObject({ remediation: 'PENDING' })
    expect((await campaigns.getCampaign({ id: campaignId })).data.status).toBe('COMPLETING')
    const byReviewer = await refusal(
      new CertificationCampaignsApi(await as(reviewer)).startCampaignRemediationScan({ id: campaignId }),
    )
    expect(byReviewer.status).toBe(403)

    // The report: progress by reviewer and every decision, as JSON and as CSV to download.
    const report = await fetch(`${base}/provisio/v1/campaigns/${campaignId}/report`, { headers: adminBearer })
    expect(report.status).toBe(200)
    const json = (await report.json()) as {
      reviewers: { reviewer: string; signed: string | null }[]
      decisions: { itemId: string; decision: string; comments: string | null }[]
    }
    expect(json.reviewers).toHaveLength(created.data.totalCertifications as number)
    expect(json.reviewers.every((r) => r.signed !== null)).toBe(true)
    expect(json.decisions.find((d) => d.itemId === badge.id)).toMatchObject({
      decision: 'REVOKE',
      comments: 'no datacenter work',
    })
    const csv = await fetch(`${base}/provisio/v1/campaigns/${campaignId}/report?format=csv&part=decisions`, {
      headers: adminBearer,
    })
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="campaign-${campaignId}-decisions.csv"`,
    )
    const lines = (await csv.text()).trim().split(/\r?\n/)
    expect(lines[0]).toMatch(/^itemId,identity,/)
    // Sent as the items are read, a page at a time: every decision once.
    expect(lines).toHaveLength(json.decisions.length + 1)
    expect(lines.some((l) => l.includes('REVOKE') && l.includes('no datacenter work'))).toBe(true)
    const reviewersCsv = await fetch(
      `${base}/provisio/v1/campaigns/${campaignId}/report?format=csv&part=reviewers`,
      {
        headers: adminBearer,
      },
    )
    expect((await reviewersCsv.text()).split(/\r?\n/)[0]).toMatch(/^certificationId,reviewer,/)
    const partOfJson = await fetch(`${base}/provisio/v1/campaigns/${campaignId}/report?part=reviewers`, {
      headers: adminBearer,
    })
    expect(partOfJson.status).toBe(400)
  })

  it('refuses bad campaigns and decisions, naming what is wrong', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const misspelled = await refusal(
      campaigns.createCampaign({
        campaign: { name: 'typo', description: null, type: 'MANAGER', deadlne: deadline() } as never,
      }),
    )
    expect(misspelled).toMatchObject({ status: 400, text: expect.stringContaining('deadlne') })
    // Fields that would be ignored are refused, naming them: the info of another type of campaign (a
    // MANAGER campaign with a search's identities would review everyone), identities that do not exist
    // (a SEARCH campaign over nobody), a blank name.
    const refusedCampaign = async (campaign: object, field: string): Promise<void> => {
      const r = await fetch(`${base}/v3/campaigns`, {
        method: 'POST',
        headers: { ...(await bearerOf(admin)), 'content-type': 'application/json' },
        body: JSON.stringify({ deadline: deadline(), ...campaign }),
      })
      const body = (await r.json()) as { messages: { text: string }[] }
      expect({ status: r.status, text: body.messages[0]?.text }).toMatchObject({
        status: 400,
        text: expect.stringContaining(field),
      })
    }
    const before = (await campaigns.getActiveCampaigns({ count: true })).headers['x-total-count']
    await refusedCampaign(
      { name: 'Two people', type: 'MANAGER', searchCampaignInfo: { identityIds: [reviewer.id] } },
      'campaign.searchCampaignInfo',
    )
    await refusedCampaign(
      {
        name: 'Badges',
        type: 'SEARCH',
        sourceOwnerCampaignInfo: { sourceIds: ['Badge System'] },
        searchCampaignInfo: { identityIds: [reviewer.id] },
      },
      'campaign.sourceOwnerCampaignInfo',
    )
    await refusedCampaign(
      {
        name: 'Nobody',
        type: 'SEARCH',
        searchCampaignInfo: { identityIds: [reviewer.id, 'no.such.person'] },
      },
      'searchCampaignInfo.identityIds: no identity "no.such.person"',
    )
    await refusedCampaign({ name: '   ', type: 'MANAGER' }, 'name')
    // What a MANAGER campaign never reviews (accounts) cannot be given a revocation; a governance group
    // as reviewer is not supported (it would be looked up as a person); an unknown kind of reference.
    await refusedCampaign(
      { name: 'Accounts', type: 'MANAGER', accountRevocation: 'DELETE' },
      'campaign.accountRevocation: it goes with a SOURCE_OWNER campaign',
    )
    await refusedCampaign(
      {
        name: 'A group',
        type: 'SEARCH',
        searchCampaignInfo: {
          identityIds: [reviewer.id],
          reviewer: { type: 'GOVERNANCE_GROUP', id: 'Security Approvers' },
        },
      },
      'campaign.searchCampaignInfo.reviewer: governance groups are not supported here yet',
    )
    await refusedCampaign(
      { name: 'Owner', type: 'MANAGER', ownerRef: { type: 'IDENTTY', id: reviewer.id } },
      'ownerRef.type: Invalid option',
    )
    expect((await campaigns.getActiveCampaigns({ count: true })).headers['x-total-count']).toBe(before)
    // Identities are named by id or, as sources and roles are, by name.
    const byName = await campaigns.createCampaign({
      campaign: {
        name: 'By name',
        description: null,
        type: 'SEARCH',
        deadline: deadline(),
        searchCampaignInfo: {
          type: 'IDENTITY',
          identityIds: [otherManager.name],
          reviewer: { type: 'IDENTITY', id: reviewer.id },
        },
      },
    })
    expect(byName.data).toMatchObject({ provisio: { generated: { identities: 1 } } })
    await campaigns.deleteCampaigns({ campaignsDeleteRequest: { ids: [byName.data.id as string] } })
    expect(await refusal(campaigns.getActiveCampaigns({ filters: 'owner eq "x"' }))).toMatchObject({
      status: 400,
      text: expect.stringContaining('owner'),
    })

    const staged = await campaigns.createCampaign({
      campaign: { name: 'To be patched', description: null, type: 'MANAGER', deadline: deadline() },
    })
    const id = staged.data.id as string
    const badPath = await refusal(
      campaigns.updateCampaign({
        id,
        jsonPatchOperation: [{ op: 'replace', path: '/type', value: 'SEARCH' }],
      }),
    )
    expect(badPath).toMatchObject({ status: 400, text: expect.stringContaining('/type') })
    // A deadline is read as at creation: ISO 8601 with its offset, on a day the calendar has. February 30
    // used to become March 2, and "January 5, 2031" midnight in the server's time zone.
    for (const value of ['2031-02-30T00:00:00Z', '2031-01-05', 'January 5, 2031']) {
      const loose = await refusal(
        campaigns.updateCampaign({ id, jsonPatchOperation: [{ op: 'replace', path: '/deadline', value }] }),
      )
      expect(loose).toMatchObject({ status: 400, text: expect.stringContaining('deadline') })
    }
    expect((await campaigns.getCampaign({ id })).data.deadline).toBe(staged.data.deadline)
    // A staged campaign is deleted whole; then it is not found.
    const spare = await campaigns.createCampaign({
      campaign: { name: 'Never run', description: null, type: 'MANAGER', deadline: deadline() },
    })
    const spareId = spare.data.id as string
    // One unknown id among them: 404 naming it, and nothing is deleted.
    const unknownId = await refusal(
      campaigns.deleteCampaigns({ campaignsDeleteRequest: { ids: [spareId, 'no-such-campaign'] } }),
    )
    expect(unknownId).toMatchObject({ status: 404, text: expect.stringContaining('"no-such-campaign"') })
    expect((await campaigns.getCampaign({ id: spareId })).status).toBe(200)
    expect((await campaigns.deleteCampaigns({ campaignsDeleteRequest: { ids: [spareId] } })).status).toBe(202)
    expect((await refusal(campaigns.getCampaign({ id: spareId }))).status).toBe(404)
    // Completing before the deadline, with reviewers still to sign: refused.
    await campaigns.startCampaign({ id })
    const early = await refusal(
      campaigns.completeCampaign({ id, campaignCompleteOptions: { autoCompleteAction: 'REVOKE' } }),
    )
    expect(early).toMatchObject({ status: 400, text: expect.stringContaining('not past due') })
    // An active campaign cannot be deleted.
    expect((await refusal(campaigns.deleteCampaigns({ campaignsDeleteRequest: { ids: [id] } }))).status).toBe(
      409,
    )

    const certs = new CertificationsApi(admin)
    const [cert] = (await certs.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data
    const tooMany = Array.from({ length: 251 }, (_, i) => ({
      id: `item-${i}`,
      decision: 'APPROVE' as const,
      bulk: true,
    }))
    const over = await refusal(
      certs.makeIdentityDecision({ id: cert?.id as string, reviewDecision: tooMany }),
    )
    expect(over).toMatchObject({ status: 400, text: expect.stringContaining('250') })
    const unknown = await refusal(
      certs.makeIdentityDecision({
        id: cert?.id as string,
        reviewDecision: [{ id: 'no-such-item', decision: 'APPROVE', bulk: false }],
      }),
    )
    expect(unknown).toMatchObject({ status: 400, text: expect.stringContaining('no-such-item') })
    // The reference's ReviewDecision requires `bulk`: a decision without it is refused, naming it.
    const noBulk = await send(
      await bearerOf(admin),
      'POST',
      `/v3/certifications/${cert?.id}/decide`,
      JSON.stringify([
        { id: 'no-such-item', decision: 'APPROVE', bulk: true },
        { id: 'no-such-item-either', decision: 'APPROVE' },
      ]),
    )
    expect(noBulk).toMatchObject({ status: 400, text: expect.stringContaining('body.1.bulk') })
    const notYet = await campaigns.createCampaign({
      campaign: { name: 'Not yet', description: null, type: 'MANAGER', deadline: deadline() },
    })
    const scanStaged = await refusal(campaigns.startCampaignRemediationScan({ id: notYet.data.id as string }))
    expect(scanStaged).toMatchObject({ status: 409, text: expect.stringContaining('STAGED') })
  })

  it('reassigns an identity, an access item across identities, or a whole certification, with a reason', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const made = await campaigns.createCampaign({
      campaign: { name: 'Reassigned review', description: null, type: 'MANAGER', deadline: deadline() },
    })
    const id = made.data.id as string
    await campaigns.startCampaign({ id })
    const mine = new CertificationsApi(await as(reviewer))
    const [cert] = (await mine.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data
    const certId = cert?.id as string
    const items = (await mine.listIdentityAccessReviewItems({ id: certId })).data
    const subject = items[0]?.identitySummary?.id as string

    // Without a reason: refused, naming it.
    const noReason = await refusal(
      mine.reassignIdentityCertifications({
        id: certId,
        reviewReassign: {
          reassign: [{ id: subject, type: 'IDENTITY_SUMMARY' }],
          reassignTo: otherManager.id,
          reason: '',
        },
      }),
    )
    expect(noReason).toMatchObject({ status: 400, text: expect.stringContaining('reason') })
    // Nobody reviews their own access.
    const self = await refusal(
      mine.reassignIdentityCertifications({
        id: certId,
        reviewReassign: {
          reassign: [{ id: subject, type: 'IDENTITY_SUMMARY' }],
          reassignTo: subject,
          reason: 'x',
        },
      }),
    )
    expect(self.status).toBe(400)

    // One identity's items move to the other manager's certification in this campaign.
    const moved = await mine.reassignIdentityCertifications({
      id: certId,
      reviewReassign: {
        reassign: [{ id: subject, type: 'IDENTITY_SUMMARY' }],
        reassignTo: otherManager.id,
        reason: 'she moved teams',
      },
    })
    expectReferenceShape('POST', '/certifications/{id}/reassign', 200, moved.data)
    const left = (await mine.listIdentityAccessReviewItems({ id: certId })).data
    expect(left.some((i) => i.identitySummary?.id === subject)).toBe(false)
    const theirs = new CertificationsApi(await as(otherManager))
    const [target] = (await theirs.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data
    const received = (
      await theirs.listIdentityAccessReviewItems({
        id: target?.id as string,
        filters: `identitySummary.id eq "${subject}"`,
      })
    ).data
    expect(received.length).toBeGreaterThan(0)

    // One access item (a target summary: the role, for every identity holding it) moves too.
    const role = left.find((i) => i.accessSummary?.access?.type === 'ROLE')?.accessSummary?.access
      ?.id as string
    await mine.reassignIdentityCertifications({
      id: certId,
      reviewReassign: {
        reassign: [{ id: role, type: 'TARGET_SUMMARY' }],
        reassignTo: otherManager.id,
        reason: 'roles',
      },
    })
    const remaining = (await mine.listIdentityAccessReviewItems({ id: certId })).data
    expect(remaining.length).toBeGreaterThan(0)
    expect(remaining.some((i) => i.accessSummary?.access?.id === role)).toBe(false)

    // The rest, whole, to the campaign administrator's choice of reviewer (an empty list: all of it).
    const whole = await mine.reassignIdentityCertifications({
      id: certId,
      reviewReassign: { reassign: [], reassignTo: otherManager.id, reason: 'on leave' },
    })
    expect(whole.data).toMatchObject({
      reviewer: { id: otherManager.id },
      reassignment: { from: { reviewer: { id: reviewer.id } }, comment: 'on leave' },
    })
    // No longer the first reviewer's: not found for them.
    expect((await refusal(mine.getIdentityCertification({ id: certId }))).status).toBe(404)
  })

  it('summarises a certification: decisions by kind, its identities, its distinct access, its reviewers', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const made = await campaigns.createCampaign({
      campaign: { name: 'Summarised review', description: null, type: 'MANAGER', deadline: deadline() },
    })
    const id = made.data.id as string
    await campaigns.startCampaign({ id })
    const reviewerConfig = await as(reviewer)
    const mine = new CertificationsApi(reviewerConfig)
    const summaries = new CertificationSummariesApi(reviewerConfig)
    const [cert] = (await mine.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data
    const certId = cert?.id as string
    const items = (await mine.listIdentityAccessReviewItems({ id: certId })).data
    const count = (type: string): number => items.filter((i) => i.accessSummary?.access?.type === type).length

    const before = await summaries.getIdentityDecisionSummary({ id: certId })
    expectReferenceShape('GET', '/certifications/{id}/decision-summary', 200, before.data)
    expect(before.data).toMatchObject({
      entitlementDecisionsMade: 0,
      entitlementDecisionsTotal: count('ENTITLEMENT'),
      roleDecisionsTotal: count('ROLE'),
      accessProfileDecisionsTotal: count('ACCESS_PROFILE'),
      accountDecisionsTotal: 0,
    })
    // Approve one identity's roles, revoke the badge: the counts follow, also for that identity alone.
    const badge = items.find((i) => i.accessSummary?.access?.name === 'datacenter')
    const subject = badge?.identitySummary?.id as string
    const roles = items.filter(
      (i) => i.accessSummary?.access?.type === 'ROLE' && i.identitySummary?.id === subject,
    )
    await mine.makeIdentityDecision({
      id: certId,
      reviewDecision: [
        ...roles.map((r) => ({ id: r.id as string, decision: 'APPROVE' as const, bulk: false })),
        { id: badge?.id as string, decision: 'REVOKE' as const, bulk: false, comments: 'not needed' },
      ],
    })
    const after = (await summaries.getIdentityDecisionSummary({ id: certId })).data
    expect(after).toMatchObject({
      rolesApproved: roles.length,
      roleDecisionsMade: roles.length,
      entitlementsRevoked: 1,
      entitlementDecisionsMade: 1,
    })
    const forSubject = (
      await summaries.getIdentityDecisionSummary({
        id: certId,
        filters: `identitySummary.id eq "${subject}"`,
      })
    ).data
    expect(forSubject.roleDecisionsTotal).toBe(roles.length)

    // Its identities, each done when every item is decided.
    const people = await summaries.getIdentitySummaries({ id: certId, sorters: 'name', count: true })
    expectReferenceShape('GET', '/certifications/{id}/identity-summaries', 200, people.data)
    const subjects = new Set(items.map((i) => i.identitySummary?.id))
    expect(people.data.map((p) => p.id).sort()).toEqual([...subjects].sort())
    expect(people.headers['x-total-count']).toBe(String(subjects.size))
    const names = people.data.map((p) => p.name as string)
    expect(names).toEqual([...names].sort())
    const open = await summaries.getIdentitySummaries({ id: certId, filters: 'completed eq false' })
    const subjectDone = items.filter((i) => i.identitySummary?.id === subject).length === roles.length + 1
    expect(open.data.length).toBe(subjects.size - (subjectDone ? 1 : 0))
    const one = await summaries.getIdentitySummary({ id: certId, identitySummaryId: subject })
    expectReferenceShape('GET', '/certifications/{id}/identity-summaries/{identitySummaryId}', 200, one.data)
    expect(one.data).toMatchObject({ id: subject, identityId: subject })
    expect(
      (await refusal(summaries.getIdentitySummary({ id: certId, identitySummaryId: 'nobody' }))).status,
    ).toBe(404)

    // Its distinct access of a kind: the badge once, by the catalog's id, however many hold it.
    const ents = await summaries.getIdentityAccessSummaries({
      id: certId,
      type: 'ENTITLEMENT',
      sorters: 'access.name',
    })
    expectReferenceShape('GET', '/certifications/{id}/access-summaries/{type}', 200, ents.data)
    const badgeSummaries = ents.data.filter((a) => a.access?.name === 'datacenter')
    expect(badgeSummaries).toHaveLength(1)
    expect(badgeSummaries[0]?.access?.id).toBe(badge?.accessSummary?.access?.id)
    expect(badgeSummaries[0]?.entitlement).toMatchObject({
      sourceName: 'Badge System',
      attributeName: 'zones',
    })
    const byId = await summaries.getIdentityAccessSummaries({
      id: certId,
      type: 'ENTITLEMENT',
      filters: `access.id eq "${badge?.accessSummary?.access?.id as string}" and entitlement.sourceName sw "Badge"`,
    })
    expect(byId.data.map((a) => a.access?.name)).toEqual(['datacenter'])
    const roleSummaries = await summaries.getIdentityAccessSummaries({ id: certId, type: 'ROLE' })
    expect(roleSummaries.data.every((a) => a.role !== undefined && a.access?.type === 'ROLE')).toBe(true)
    const badFilter = await refusal(
      summaries.getIdentityAccessSummaries({ id: certId, type: 'ROLE', filters: 'acess.name eq "x"' }),
    )
    expect(badFilter).toMatchObject({ status: 400, text: expect.stringContaining('acess.name') })

    // Its reviewers; another manager sees none of it.
    const reviewers = await mine.listCertificationReviewers({ id: certId })
    expectReferenceShape('GET', '/certifications/{id}/reviewers', 200, reviewers.data)
    expect(reviewers.data.map((r) => r.id)).toEqual([reviewer.id])
    const other = new CertificationSummariesApi(await as(otherManager))
    expect((await refusal(other.getIdentityDecisionSummary({ id: certId }))).status).toBe(404)
    expect((await refusal(other.getIdentityAccessSummaries({ id: certId, type: 'ROLE' }))).status).toBe(404)
  })

  it('moves certifications as an administrator and reassigns asynchronously, answering certification tasks', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const made = await campaigns.createCampaign({
      campaign: { name: 'Moved review', description: null, type: 'MANAGER', deadline: deadline() },
    })
    const id = made.data.id as string
    await campaigns.startCampaign({ id })
    const certsApi = new CertificationsApi(admin)
    const all = (await certsApi.listIdentityCertifications({ filters: `campaign.id eq "${id}"` })).data
    const joans = all.find((c) => c.reviewer?.id === reviewer.id)
    expect(joans).toBeDefined()

    // Checked first, all or nothing: a certification of another campaign, a missing reason.
    const unknown = await refusal(
      campaigns.move({
        id,
        adminReviewReassign: {
          certificationIds: [joans?.id as string, 'not-a-certification'],
          reassignTo: { id: otherManager.id, type: 'IDENTITY' },
          reason: 'reorganisation',
        },
      }),
    )
    expect(unknown).toMatchObject({ status: 400, text: expect.stringContaining('not-a-certification') })
    const notAdmin = await refusal(
      new CertificationCampaignsApi(await as(reviewer)).move({
        id,
        adminReviewReassign: {
          certificationIds: [joans?.id as string],
          reassignTo: { id: otherManager.id, type: 'IDENTITY' },
          reason: 'mine',
        },
      }),
    )
    expect(notAdmin.status).toBe(403)

    // A certification cannot go to one of the identities it reviews (nobody reviews their own access):
    // the task ends in ERROR and says why; nothing moved.
    const other = all.find((c) => c.id !== joans?.id) as (typeof all)[number]
    const subjectOfOther = (await certsApi.listIdentityAccessReviewItems({ id: other.id as string })).data[0]
      ?.identitySummary?.id as string
    const refused = await campaigns.move({
      id,
      adminReviewReassign: {
        certificationIds: [other.id as string],
        reassignTo: { id: subjectOfOther, type: 'IDENTITY' },
        reason: 'reorganisation',
      },
    })
    expect(refused.data).toMatchObject({ status: 'ERROR', reassignmentTrailDTOs: [] })
    expect(refused.data.errors?.[0]?.text).toMatch(/own access/)

    const moved = await campaigns.move({
      id,
      adminReviewReassign: {
        certificationIds: [joans?.id as string],
        reassignTo: { id: otherManager.id, type: 'IDENTITY' },
        reason: 'reorganisation',
      },
    })
    expect(moved.status).toBe(202)
    expectReferenceShape('POST', '/campaigns/{id}/reassign', 202, moved.data)
    expect(moved.data).toMatchObject({
      type: 'ADMIN_REASSIGN',
      targetType: 'CAMPAIGN',
      targetId: id,
      status: 'SUCCESS',
      errors: [],
      reassignmentTrailDTOs: [
        { previousOwner: reviewer.id, newOwner: otherManager.id, reassignmentType: 'ADMIN_REASSIGN' },
      ],
    })
    const read = await certsApi.getCertificationTask({ id: moved.data.id as string })
    expectReferenceShape('GET', '/certification-tasks/{id}', 200, read.data)
    expect(read.data).toEqual(moved.data)
    const joan = new CertificationsApi(await as(reviewer))
    expect((await refusal(joan.getCertificationTask({ id: moved.data.id as string }))).status).toBe(404)
    expect(
      (
        await new CertificationsApi(await as(otherManager)).getIdentityCertification({
          id: joans?.id as string,
        })
      ).data.reviewer?.id,
    ).toBe(otherManager.id)

    // The new reviewer hands one identity back, asynchronously in the reference's terms: a task, done.
    const james = new CertificationsApi(await as(otherManager))
    const items = (await james.listIdentityAccessReviewItems({ id: joans?.id as string })).data
    const subject = items[0]?.identitySummary?.id as string
    const back = await james.submitReassignCertsAsync({
      id: joans?.id as string,
      reviewReassign: {
        reassign: [{ id: subject, type: 'IDENTITY_SUMMARY' }],
        reassignTo: reviewer.id,
        reason: 'she knows them',
      },
    })
    expectReferenceShape('POST', '/certifications/{id}/reassign-async', 200, back.data)
    expect(back.data).toMatchObject({
      type: 'REASSIGN',
      targetType: 'CERTIFICATION',
      targetId: joans?.id,
      status: 'SUCCESS',
      reassignmentTrailDTOs: [{ previousOwner: otherManager.id, newOwner: reviewer.id }],
    })
    expect((await james.getCertificationTask({ id: back.data.id as string })).data.status).toBe('SUCCESS')
    const pending = await james.getPendingCertificationTasks({ count: true })
    expectReferenceShape('GET', '/certification-tasks', 200, pending.data)
    expect(pending.data).toEqual([])
    const badFilter = await refusal(certsApi.getPendingCertificationTasks({ filters: 'status eq "QUEUED"' }))
    expect(badFilter).toMatchObject({ status: 400, text: expect.stringContaining('status') })
  })

  /** A new MANAGER campaign, active, and the reviewer's certification in it with its items (fetch). */
  const activeReview = async (
    name: string,
  ): Promise<{ campaignId: string; certId: string; items: ProvisioItem[]; auth: Record<string, string> }> => {
    const made = await new CertificationCampaignsApi(admin).createCampaign({
      campaign: { name, description: null, type: 'MANAGER', deadline: deadline() },
    })
    const campaignId = made.data.id as string
    await new CertificationCampaignsApi(admin).startCampaign({ id: campaignId })
    const mine = new CertificationsApi(await as(reviewer))
    const [cert] = (await mine.listIdentityCertifications({ filters: `campaign.id eq "${campaignId}"` })).data
    const certId = cert?.id as string
    const items = (await mine.listIdentityAccessReviewItems({ id: certId })).data as ProvisioItem[]
    return { campaignId, certId, items, auth: await bearerOf(await as(reviewer)) }
  }
  /** A call with fetch: its status and its messages' text. */
  const send = async (
    auth: Record<string, string>,
    method: string,
    path: string,
    body?: string,
  ): Promise<{ status: number; text: string }> => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body } : {}),
    })
    const json = (await r.json()) as { messages?: { text: string }[] }
    return { status: r.status, text: (json.messages ?? []).map((m) => m.text).join(' ') }
  }

  it('refuses to move a certification to the reviewer it has, on the campaign’s route as on the certification’s', async () => {
    const { campaignId, certId, auth } = await activeReview('Same reviewer')
    const campaigns = new CertificationCampaignsApi(admin)
    const all = (
      await new CertificationsApi(admin).listIdentityCertifications({
        filters: `campaign.id eq "${campaignId}"`,
      })
    ).data
    const other = all.find((c) => c.id !== certId) as (typeof all)[number]
    // The certification's own route refuses it, naming the field.
    const own = await send(
      auth,
      'POST',
      `/v3/certifications/${certId}/reassign`,
      JSON.stringify({ reassign: [], reassignTo: reviewer.id, reason: 'to myself' }),
    )
    expect(own).toMatchObject({ status: 400, text: expect.stringContaining('reassignTo') })
    // The campaign's answered 202 with an empty trail, as if something had been done.
    const same = await refusal(
      campaigns.move({
        id: campaignId,
        adminReviewReassign: {
          certificationIds: [certId],
          reassignTo: { id: reviewer.id, type: 'IDENTITY' },
          reason: 'to her again',
        },
      }),
    )
    expect(same).toMatchObject({ status: 400, text: expect.stringContaining('reassignTo.id') })
    expect(same.text).toContain(certId)
    expect(same.text).toMatch(/already/)
    // Checked with the rest, all or none: the other certification does not move either.
    const mixed = await refusal(
      campaigns.move({
        id: campaignId,
        adminReviewReassign: {
          certificationIds: [other.id as string, certId],
          reassignTo: { id: reviewer.id, type: 'IDENTITY' },
          reason: 'to her again',
        },
      }),
    )
    expect(mixed).toMatchObject({ status: 400, text: expect.stringContaining(certId) })
    const otherNow = await new CertificationsApi(admin).getIdentityCertification({ id: other.id as string })
    expect(otherNow.data.reviewer?.id).toBe(other.reviewer?.id)
  })

  it('refuses text the store cannot hold (a NUL, a lone surrogate) with a 400 naming where, not a 500 or a coerced comment', async () => {
    const { certId, items, auth } = await activeReview('Hostile text')
    const item = items[0] as ProvisioItem
    const decide = (body: string) => send(auth, 'POST', `/v3/certifications/${certId}/decide`, body)
    // A NUL failed in the database (500); a lone surrogate was stored as U+FFFD, a comment nobody wrote.
    expect(
      await decide(`[{"id":"${item.id}","decision":"APPROVE","bulk":true,"comments":"a\\u0000b"}]`),
    ).toMatchObject({ status: 400, text: expect.stringContaining('body.0.comments') })
    expect(await decide(`[{"id":"a\\u0000b","decision":"APPROVE","bulk":true}]`)).toMatchObject({
      status: 400,
      text: expect.stringContaining('body.0.id'),
    })
    expect(
      await decide(`[{"id":"${item.id}","decision":"APPROVE","bulk":true,"comments":"a\\ud800b"}]`),
    ).toMatchObject({ status: 400, text: expect.stringContaining('surrogate') })
    expect(await send(auth, 'GET', '/v3/certifications/%00')).toMatchObject({
      status: 400,
      text: expect.stringContaining('params.id'),
    })
    expect(
      await send(
        auth,
        'POST',
        `/provisio/v1/certifications/${certId}/revocation-preview`,
        '{"itemIds":["\\u0000"]}',
      ),
    ).toMatchObject({ status: 400, text: expect.stringContaining('body.itemIds.0') })
    const [read] = (
      await new CertificationsApi(await as(reviewer)).listIdentityAccessReviewItems({
        id: certId,
        filters: `id eq "${item.id}"`,
      })
    ).data
    expect(read).toMatchObject({ completed: false, comments: null })
  })

  it("sorts a reviewer's certifications by due and signed, the reference's sorters, in the order asked", async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    // Made first, due last: an order by creation is not an order by due.
    const late = await campaigns.createCampaign({
      campaign: {
        name: 'Due late',
        description: null,
        type: 'MANAGER',
        deadline: new Date(Date.now() + 60 * 86_400_000).toISOString(),
      },
    })
    const soon = await campaigns.createCampaign({
      campaign: {
        name: 'Due soon',
        description: null,
        type: 'MANAGER',
        deadline: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      },
    })
    const ids = [late.data.id as string, soon.data.id as string]
    for (const id of ids) await campaigns.startCampaign({ id })
    const mine = new CertificationsApi(await as(reviewer))
    const filters = `campaign.id in ("${ids.join('","')}")`
    const order = async (sorters: string): Promise<(string | undefined)[]> =>
      (await mine.listIdentityCertifications({ filters, sorters })).data.map((c) => c.campaign?.name)
    expect(await order('due')).toEqual(['Due soon', 'Due late'])
    expect(await order('-due')).toEqual(['Due late', 'Due soon'])
    // Signed off first, the one still open after it.
    const [lateCert] = (await mine.listIdentityCertifications({ filters: `campaign.id eq "${ids[0]}"` })).data
    const lateItems = (await mine.listIdentityAccessReviewItems({ id: lateCert?.id as string })).data
    await mine.makeIdentityDecision({
      id: lateCert?.id as string,
      reviewDecision: lateItems.map((i) => ({
        id: i.id as string,
        decision: 'APPROVE' as const,
        bulk: true,
      })),
    })
    await mine.signOffIdentityCertification({ id: lateCert?.id as string })
    expect(await order('signed')).toEqual(['Due late', 'Due soon'])
  })

  it("narrows access review items to the roles, access profiles or entitlements named, as the reference's parameters", async () => {
    const { certId, items } = await activeReview('Narrowed review')
    const mine = new CertificationsApi(await as(reviewer))
    const role = items.find((i) => i.accessSummary?.access?.type === 'ROLE')?.accessSummary?.access
      ?.id as string
    const badge = items.find((i) => i.accessSummary?.access?.name === 'datacenter')?.accessSummary?.access
      ?.id as string
    const ids = async (q: { roles?: string; entitlements?: string; accessProfiles?: string }) =>
      (await mine.listIdentityAccessReviewItems({ id: certId, ...q })).data.map(
        (i) => i.accessSummary?.access?.id,
      )
    const roles = await ids({ roles: `${role},no-such-role` })
    expect(roles.length).toBeGreaterThan(0)
    expect(roles.every((id) => id === role)).toBe(true)
    expect(await ids({ entitlements: badge })).toEqual(
      items.filter((i) => i.accessSummary?.access?.id === badge).map(() => badge),
    )
    expect(await ids({ accessProfiles: 'no-such-access-profile' })).toEqual([])
    // One of the three at a time, as the reference says.
    const both = await refusal(
      mine.listIdentityAccessReviewItems({ id: certId, roles: role, entitlements: badge }),
    )
    expect(both).toMatchObject({ status: 400, text: expect.stringContaining('roles') })
  })

  it("sorts access review items by the reference's sorters (identity name, access, source names), ties by id, page by page", async () => {
    const { certId } = await activeReview('Sorted items')
    const mine = new CertificationsApi(await as(reviewer))
    const list = async (sorters: string, page: { limit?: number; offset?: number } = {}) =>
      (await mine.listIdentityAccessReviewItems({ id: certId, sorters, ...page })).data as ProvisioItem[]
    const all = await list('id')
    // The demo's reviewer has several reports, with roles and entitlements of more than one source.
    expect(new Set(all.map((i) => i.identitySummary?.name)).size).toBeGreaterThan(1)
    expect(all.some((i) => i.accessSummary?.access?.type === 'ENTITLEMENT')).toBe(true)
    expect(all.some((i) => i.accessSummary?.access?.type !== 'ENTITLEMENT')).toBe(true)

    /** The order expected: by the keys (absent values last ascending, first descending), then by id. */
    type Key = (i: ProvisioItem) => string | null | undefined
    const cmp = (a: string | null | undefined, b: string | null | undefined): number =>
      a === b ? 0 : a == null ? 1 : b == null ? -1 : a < b ? -1 : 1
    const sorted = (...keys: [Key, boolean][]): string[] =>
      [...all]
        .sort((a, b) => {
          for (const [key, descending] of keys) {
            const c = cmp(key(a), key(b))
            if (c !== 0) return descending ? -c : c
          }
          return cmp(a.id, b.id)
        })
        .map((i) => i.id as string)
    const ids = async (sorters: string): Promise<string[]> => (await list(sorters)).map((i) => i.id as string)
    const name: Key = (i) => i.identitySummary?.name
    const accessName: Key = (i) => i.accessSummary?.access?.name
    const accessType: Key = (i) => i.accessSummary?.access?.type
    const entitlementSource: Key = (i) => i.accessSummary?.entitlement?.sourceName ?? null
    // The reference's access profile has no source name of its own: the item's (Provisio's) is its source.
    const profileSource: Key = (i) => (accessType(i) === 'ACCESS_PROFILE' ? i.sourceName : null)

    expect(await ids('identitySummary.name')).toEqual(sorted([name, false]))
    expect(await ids('-identitySummary.name')).toEqual(sorted([name, true]))
    expect(await ids('access.name')).toEqual(sorted([accessName, false]))
    expect(await ids('-access.type,identitySummary.name')).toEqual(sorted([accessType, true], [name, false]))
    expect(await ids('entitlement.sourceName')).toEqual(sorted([entitlementSource, false]))
    expect(await ids('-entitlement.sourceName')).toEqual(sorted([entitlementSource, true]))
    expect(await ids('accessProfile.sourceName')).toEqual(sorted([profileSource, false]))
    expect(await ids('-accessProfile.sourceName,-identitySummary.name')).toEqual(
      sorted([profileSource, true], [name, true]),
    )
    // The reference's example: pages of one order never overlap nor skip, ties broken by id.
    const example = sorted([accessName, false], [profileSource, true])
    const pages: string[] = []
    for (let offset = 0; offset < all.length; offset += 2) {
      pages.push(
        ...(await list('access.name,-accessProfile.sourceName', { limit: 2, offset })).map(
          (i) => i.id as string,
        ),
      )
    }
    expect(pages).toEqual(example)

    // Anything else is refused, naming the sorter.
    for (const unknown of ['identitySummary.email', '-access.description']) {
      expect(
        await refusal(mine.listIdentityAccessReviewItems({ id: certId, sorters: unknown })),
      ).toMatchObject({
        status: 400,
        text: expect.stringContaining(unknown),
      })
    }
  })

  it("filters access review items by the reference's fields: the identity's name, the access's id, source names", async () => {
    const { certId } = await activeReview('Filtered items')
    const mine = new CertificationsApi(await as(reviewer))
    const all = (await mine.listIdentityAccessReviewItems({ id: certId, sorters: 'id' }))
      .data as ProvisioItem[]
    const ids = async (filters: string): Promise<string[]> =>
      (
        (await mine.listIdentityAccessReviewItems({ id: certId, filters, sorters: 'id' }))
          .data as ProvisioItem[]
      ).map((i) => i.id as string)
    const where = (keep: (i: ProvisioItem) => boolean): string[] =>
      all.filter(keep).map((i) => i.id as string)

    const someone = all[0]?.identitySummary?.name as string
    expect(await ids(`identitySummary.name eq "${someone}"`)).toEqual(
      where((i) => i.identitySummary?.name === someone),
    )
    expect(await ids(`identitySummary.name sw "${someone.slice(0, 3)}"`)).toEqual(
      where((i) => (i.identitySummary?.name ?? '').startsWith(someone.slice(0, 3))),
    )
    // An entitlement is filtered by the id the rest of the API knows it by: the catalog's.
    const entitlement = all.find((i) => i.accessSummary?.access?.type === 'ENTITLEMENT')
    const entitlementId = entitlement?.accessSummary?.access?.id as string
    expect(await ids(`access.id eq "${entitlementId}"`)).toEqual(
      where((i) => i.accessSummary?.access?.id === entitlementId),
    )
    const role = all.find((i) => i.accessSummary?.access?.type === 'ROLE')?.accessSummary?.access
      ?.id as string
    expect(await ids(`access.id in ("${role}", "${entitlementId}")`)).toEqual(
      where((i) => [role, entitlementId].includes(i.accessSummary?.access?.id as string)),
    )
    const sourceName = entitlement?.accessSummary?.entitlement?.sourceName as string
    expect(await ids(`entitlement.sourceName eq "${sourceName}"`)).toEqual(
      where((i) => i.accessSummary?.entitlement?.sourceName === sourceName),
    )
    expect(await ids(`accessProfile.sourceName sw "${sourceName}"`)).toEqual(
      where((i) => i.accessSummary?.access?.type === 'ACCESS_PROFILE' && i.sourceName === sourceName),
    )
    // An operator the reference does not list for a field is refused, naming both.
    expect(
      await refusal(
        mine.listIdentityAccessReviewItems({ id: certId, filters: 'identitySummary.name co "a"' }),
      ),
    ).toMatchObject({ status: 400, text: expect.stringContaining('identitySummary.name') })
  })

  it("refuses a reviewer every reviewer's certifications (reviewer-identity=all) as it refuses another's, rather than narrowing it", async () => {
    await activeReview('Every reviewer')
    const mine = new CertificationsApi(await as(reviewer))
    const all = await refusal(mine.listIdentityCertifications({ reviewerIdentity: 'all' }))
    expect(all).toMatchObject({ status: 403, text: expect.stringContaining('CERT_ADMIN') })
    const other = await refusal(mine.listIdentityCertifications({ reviewerIdentity: otherManager.id }))
    expect(other.status).toBe(403)
    // Their own, by id or as `me`, and every one for an administrator.
    expect((await mine.listIdentityCertifications({ reviewerIdentity: reviewer.id })).status).toBe(200)
    expect((await mine.listIdentityCertifications({ reviewerIdentity: 'me' })).status).toBe(200)
    const every = await new CertificationsApi(admin).listIdentityCertifications({ reviewerIdentity: 'all' })
    expect(new Set(every.data.map((c) => c.reviewer?.id)).size).toBeGreaterThan(1)
  })

  it("answers a path Fastify cannot route (an id too long, a broken escape) with the reference's error body", async () => {
    const auth = await bearerOf(await as(reviewer))
    // These came back in Fastify's own shape ({error, code, message}), not the body every other error has.
    expect(await send(auth, 'GET', `/v3/certifications/${'x'.repeat(300)}`)).toMatchObject({
      status: 414,
      text: expect.stringContaining('/v3/certifications/'),
    })
    expect(await send(auth, 'GET', '/v3/certifications/%C0/access-review-items')).toMatchObject({
      status: 400,
      text: expect.stringContaining('%C0'),
    })
  })
})

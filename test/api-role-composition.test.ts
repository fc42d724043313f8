import {
  CertificationCampaignsApi,
  CertificationsApi,
  CertificationSummariesApi,
  type Configuration,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import type { Identity } from '../src/domain/model.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { listCertifications } from '../src/store/certifications.js'
import { findIdentity, loadIdentitiesById } from '../src/store/identities.js'
import { databases } from './support/databases.js'
import { clientConfiguration, refusal, tokenOf } from './support/official-client.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { provisionedDemoApi } from './support/provisioned-demo.js'

const ROLE_ID = 'f9b0e20a2d374a556efed0fb53d18971' // Operations Datacenter
const OPS_TEAM_ID = '5cd16061cf3ce7d357443945eb1a4da4'

/** A role composition campaign through the official client: the role's definition changes on sign-off. */
describe.each(databases)('role composition campaigns through the official client on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let base: string
  let admin: Configuration
  let remediator: Identity
  const deadline = (): string => new Date(Date.now() + 14 * 86_400_000).toISOString()

  beforeAll(async () => {
    ;({ api, engine, base } = await provisionedDemoApi(database))
    admin = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'campaigns', capabilities: ['CERT_ADMIN', 'ROLE_ADMIN'] }),
    )
    remediator = (await findIdentity(engine.db, 'joan.goldwasser')) as Identity
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('creates, reviews and signs off a role composition campaign; a revoked access profile leaves the role', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const created = await campaigns.createCampaign({
      campaign: {
        name: 'Role composition review',
        description: 'Operations roles',
        type: 'ROLE_COMPOSITION',
        deadline: deadline(),
        // The role's owner holds it and has no manager: the campaign's owner (Provisio's field) reviews it.
        ...({ ownerRef: { type: 'IDENTITY', id: remediator.id } } as object),
        roleCompositionCampaignInfo: {
          remediatorRef: { type: 'IDENTITY', id: remediator.id },
          roleIds: [ROLE_ID],
        },
      },
    })
    expect(created.status).toBe(202)
    expectReferenceShape('POST', '/campaigns', 202, created.data)
    expect(created.data).toMatchObject({
      status: 'STAGED',
      type: 'ROLE_COMPOSITION',
      roleCompositionCampaignInfo: { roleIds: [ROLE_ID], remediatorRef: { id: remediator.id } },
    })
    const campaignId = created.data.id as string
    await campaigns.startCampaign({ id: campaignId, activateCampaignOptions: {} })

    const [cert] = await listCertifications(engine.db, { campaignIds: [campaignId] })
    const [reviewer] = await loadIdentitiesById(engine.db, [cert?.reviewerId as string])
    const mine = new CertificationsApi(
      clientConfiguration(
        base,
        await createPersonalAccessToken(engine, { identity: reviewer?.name as string, name: 'sdk' }),
      ),
    )
    const items = (await mine.listIdentityAccessReviewItems({ id: cert?.id as string })).data
    expectReferenceShape('GET', '/certifications/{id}/access-review-items', 200, items)
    expect(items.map((i) => i.accessSummary?.access?.name).sort()).toEqual([
      'Datacenter Access',
      'Operations Team',
    ])
    // The subject of each item is the role.
    expect(items.every((i) => i.identitySummary?.name === 'Operations Datacenter')).toBe(true)
    // Sorted by that name too, though the store knows the role by its id only.
    const sorted = await mine.listIdentityAccessReviewItems({
      id: cert?.id as string,
      sorters: '-identitySummary.name,access.name',
    })
    expect(sorted.data.map((i) => i.accessSummary?.access?.name)).toEqual([
      'Datacenter Access',
      'Operations Team',
    ])
    // Filtered by it, and listed as the certification's subject with it (the store knows identities only).
    const filtered = await mine.listIdentityAccessReviewItems({
      id: cert?.id as string,
      filters: 'identitySummary.name eq "Operations Datacenter"',
    })
    expect(filtered.data).toHaveLength(2)
    const summaries = new CertificationSummariesApi(
      clientConfiguration(
        base,
        await createPersonalAccessToken(engine, { identity: reviewer?.name as string, name: 'summaries' }),
      ),
    )
    const subjects = await summaries.getIdentitySummaries({ id: cert?.id as string })
    expect(subjects.data).toEqual([
      expect.objectContaining({ identityId: ROLE_ID, name: 'Operations Datacenter', completed: false }),
    ])
    const byName = await summaries.getIdentitySummaries({
      id: cert?.id as string,
      filters: 'name sw "Operations"',
    })
    expect(byName.data).toHaveLength(1)

    await mine.makeIdentityDecision({
      id: cert?.id as string,
      reviewDecision: items.map((i) => ({
        id: i.id as string,
        decision: i.accessSummary?.access?.id === OPS_TEAM_ID ? 'REVOKE' : 'APPROVE',
        bulk: false,
      })),
    })
    const signed = await mine.signOffIdentityCertification({ id: cert?.id as string })
    expect(signed.data).toMatchObject({ phase: 'SIGNED', completed: true })

    // The role no longer names the access profile, as /v3/roles reads it.
    const role = await fetch(`${base}/v3/roles/${ROLE_ID}`, {
      headers: { authorization: `Bearer ${await tokenOf(base, admin)}` },
    })
    const body = (await role.json()) as { accessProfiles: { id: string; name: string }[] }
    expect(body.accessProfiles.map((a) => a.name)).toEqual(['Datacenter Access'])
  })

  it('refuses a misspelled field of roleCompositionCampaignInfo, naming it', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const misspelled = await refusal(
      campaigns.createCampaign({
        campaign: {
          name: 'typo',
          description: null,
          type: 'ROLE_COMPOSITION',
          roleCompositionCampaignInfo: {
            remediatorRef: { type: 'IDENTITY', id: remediator.id },
            roleIdz: [ROLE_ID],
          } as never,
        },
      }),
    )
    expect(misspelled).toMatchObject({
      status: 400,
      text: expect.stringMatching(/roleCompositionCampaignInfo.*roleIdz/),
    })
  })
})

import { CertificationCampaignsApi } from 'sailpoint-api-client'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../src/domain/errors.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import {
  campaignTemplateById,
  createCampaignTemplate,
  scheduleCampaignTemplate,
} from '../src/engine/certifications/campaign-templates.js'
import type { CampaignActor } from '../src/engine/certifications/campaign-actor.js'
import { runCampaignTimers } from '../src/engine/certifications/run-campaign-timers.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { listCampaigns } from '../src/store/campaigns.js'
import { findIdentity } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { CERT_ADMIN as ADMIN } from './support/campaign-actors.js'
import { databases } from './support/databases.js'
import { clientConfiguration, listening } from './support/official-client.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'
import { testApi } from './support/test-api.js'

const MONTHLY = {
  type: 'MONTHLY',
  days: { type: 'LIST', values: ['1'] },
  hours: { type: 'LIST', values: ['9'] },
}

describe.each(databases)('campaign templates on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  async function setup() {
    const ws = await demoWorkspace()
    store = await database.open()
    let t = Date.parse('2027-03-01T10:00:00Z')
    const clock = { now: () => new Date(t), set: (iso: string) => void (t = Date.parse(iso)) }
    const ctx: EngineContext = engineContext(ws.config, store, clock.now)
    await aggregateThenProcess(ctx, 'HR')
    return { ctx, clock }
  }

  it('a scheduled template generates each due run once, named for its date, with its deadline', async () => {
    const { ctx, clock } = await setup()
    const template = await createCampaignTemplate(ctx, ADMIN, {
      name: 'Monthly manager review',
      description: 'every first of the month',
      deadlineDuration: 'P2W',
      campaign: { name: 'Manager review %B %Y', type: 'MANAGER', ownerRef: { id: 'joan.goldwasser' } },
    })
    const scheduled = await scheduleCampaignTemplate(ctx, ADMIN, template.id, MONTHLY)
    expect(scheduled.nextRun).toBe('2027-04-01T09:00:00.000Z')

    clock.set('2027-03-20T00:00:00Z')
    expect(await runCampaignTimers(ctx)).toMatchObject({ generated: 0 })
    clock.set('2027-04-01T09:00:30Z')
    // Two processes' timers at once: the run is claimed by one.
    const runs = await Promise.all([runCampaignTimers(ctx), runCampaignTimers(ctx)])
    expect(runs.map((r) => r.generated).sort()).toEqual([0, 1])
    const [campaign] = await listCampaigns(ctx.db, {})
    expect(campaign).toMatchObject({
      name: 'Manager review April 2027',
      status: 'STAGED',
      templateId: template.id,
      deadline: '2027-04-15T09:00:30.000Z',
    })
    expect(campaign?.itemsTotal).toBeGreaterThan(0)
    expect(await runCampaignTimers(ctx)).toMatchObject({ generated: 0 })
    expect((await campaignTemplateById(ctx, template.id)).nextRun).toBe('2027-05-01T09:00:00.000Z')

    // A run missed while nothing ran is generated once when a process comes back; the next is in the future.
    clock.set('2027-07-10T00:00:00Z')
    expect(await runCampaignTimers(ctx)).toMatchObject({ generated: 1 })
    expect((await campaignTemplateById(ctx, template.id)).nextRun).toBe('2027-08-01T09:00:00.000Z')
    expect((await listCampaigns(ctx.db, {})).map((c) => c.name)).toContain('Manager review July 2027')
  })

  it("a schedule acts with its owner's capabilities as they are at each run", async () => {
    const { ctx, clock } = await setup()
    const joan = (await findIdentity(ctx.db, 'joan.goldwasser'))?.id as string
    const owner: CampaignActor = { identityId: joan, clientId: 'pat-joan', capabilities: ['ORG_ADMIN'] }
    const template = await createCampaignTemplate(ctx, owner, {
      name: 'Monthly manager review',
      campaign: { name: 'Manager review %B %Y', type: 'MANAGER' },
    })
    await scheduleCampaignTemplate(ctx, owner, template.id, MONTHLY)
    // Her capabilities are taken away after she made it: the schedule no longer generates in her name.
    const { settings } = ctx.config
    const without: EngineContext = {
      ...ctx,
      config: { ...ctx.config, settings: { ...settings, capabilities: {} } },
    }
    clock.set('2027-04-01T09:01:00Z')
    expect(await runCampaignTimers(without)).toMatchObject({ generated: 0 })
    const after = await campaignTemplateById(ctx, template.id)
    expect(after.lastError).toMatch(/joan.goldwasser: generating a campaign needs ORG_ADMIN or CERT_ADMIN/)
    expect(after.nextRun).toBe('2027-05-01T09:00:00.000Z')
    expect(await listCampaigns(ctx.db, {})).toEqual([])
    // Given back, the next run generates.
    clock.set('2027-05-01T09:01:00Z')
    expect(await runCampaignTimers(ctx)).toMatchObject({ generated: 1 })
    expect((await campaignTemplateById(ctx, template.id)).lastError).toBeNull()
  })

  it('a failing generation is kept on the template and the schedule goes on; bad input names its field', async () => {
    const { ctx, clock } = await setup()
    const template = await createCampaignTemplate(ctx, ADMIN, {
      name: 'Unowned source',
      campaign: {
        name: 'Source review',
        type: 'SOURCE_OWNER',
        sourceOwnerCampaignInfo: { sourceIds: ['No Such'] },
      },
    })
    await scheduleCampaignTemplate(ctx, ADMIN, template.id, MONTHLY)
    clock.set('2027-04-01T09:01:00Z')
    expect(await runCampaignTimers(ctx)).toMatchObject({ generated: 0 })
    const after = await campaignTemplateById(ctx, template.id)
    expect(after.lastError).toMatch(/no source "No Such"/)
    expect(after.nextRun).toBe('2027-05-01T09:00:00.000Z')

    await expect(
      createCampaignTemplate(ctx, ADMIN, {
        name: 'x',
        campaign: { name: 'y', type: 'MANAGER', deadlne: 'soon' },
      }),
    ).rejects.toThrow(/template\.campaign: Unrecognized key: "deadlne"/)
    await expect(
      createCampaignTemplate(ctx, ADMIN, {
        name: 'x',
        deadlineDuration: 'two weeks',
        campaign: { name: 'y', type: 'MANAGER' },
      }),
    ).rejects.toThrow(/template\.deadlineDuration/)
    await expect(
      scheduleCampaignTemplate(ctx, ADMIN, template.id, {
        ...MONTHLY,
        type: 'WEEKLY',
        days: { type: 'LIST', values: ['MOO'] },
      }),
    ).rejects.toThrow(/schedule\.days: MOO/)
    await expect(
      scheduleCampaignTemplate(ctx, ADMIN, template.id, {
        ...MONTHLY,
        hours: { type: 'LIST', values: ['25'] },
      }),
    ).rejects.toThrow(InputError)
    await expect(
      createCampaignTemplate(
        ctx,
        { identityId: null, clientId: 'x', capabilities: [] },
        { name: 'x', campaign: { name: 'y', type: 'MANAGER' } },
      ),
    ).rejects.toThrow(/CERT_ADMIN/)
  })

  it('the official client creates, schedules, generates, patches and deletes templates', async () => {
    const ws = await demoWorkspace()
    const { api, engine } = await testApi(ws.config, await database.open())
    try {
      await aggregateThenProcess(engine, 'HR')
      const base = await listening(api)
      const admin = clientConfiguration(
        base,
        await createApiClient(engine, { name: 'templates', capabilities: ['CERT_ADMIN'] }),
      )
      const templates = new CertificationCampaignsApi(admin)
      const created = await templates.createCampaignTemplate({
        campaignTemplate: {
          name: 'Quarterly',
          description: 'each quarter',
          deadlineDuration: 'P30D',
          campaign: { name: 'Review %Y-%m', description: 'generated', type: 'MANAGER' },
        } as never,
      })
      const id = created.data.id as string
      expect(created.data).toMatchObject({ name: 'Quarterly', scheduled: false, deadlineDuration: 'P30D' })
      await templates.setCampaignTemplateSchedule({
        id,
        schedule: {
          type: 'ANNUALLY',
          months: { type: 'LIST', values: ['3', '6', '9', '12'] },
          days: { type: 'LIST', values: ['L'] },
          hours: { type: 'LIST', values: ['18'] },
        } as never,
      })
      expect((await templates.getCampaignTemplateSchedule({ id })).data).toMatchObject({ type: 'ANNUALLY' })
      // A date no calendar has, or a time zone nobody knows: a 400 naming the field, not a 500.
      for (const [schedule, field] of [
        [{ type: 'CALENDAR', days: { type: 'LIST', values: ['2031-02-31'] } }, 'schedule.days'],
        [
          { type: 'MONTHLY', days: { type: 'LIST', values: ['1'] }, timeZoneId: 'Mars/Olympus' },
          'schedule.timeZoneId',
        ],
      ] as const) {
        const refused = await templates
          .setCampaignTemplateSchedule({
            id,
            schedule: { ...schedule, hours: { type: 'LIST', values: ['9'] } } as never,
          })
          .catch((e: { response: { status: number; data: { messages: { text: string }[] } } }) => e.response)
        expect(refused).toMatchObject({
          status: 400,
          data: { messages: [{ text: expect.stringContaining(field) }] },
        })
      }
      expect((await templates.getCampaignTemplateSchedule({ id })).data).toMatchObject({ type: 'ANNUALLY' })
      expect((await templates.getCampaignTemplate({ id })).data).toMatchObject({ scheduled: true })
      const generated = await templates.startGenerateCampaignTemplate({ id })
      expect(generated.data).toMatchObject({
        campaignType: 'MANAGER',
        name: expect.stringMatching(/^Review \d{4}-\d{2}$/),
      })
      const patched = await templates.patchCampaignTemplate({
        id,
        jsonPatchOperation: [{ op: 'replace', path: '/campaign/name', value: 'Renamed %Y' }],
      })
      expect(patched.data.campaign.name).toBe('Renamed %Y')
      const bad = await templates
        .patchCampaignTemplate({ id, jsonPatchOperation: [{ op: 'add', path: '/campaign/typo', value: 1 }] })
        .catch((e: { response: { status: number } }) => e.response.status)
      expect(bad).toBe(400)
      // Read-only fields are refused, not silently kept or dropped; so is an owner who does not exist,
      // as at creation (every generation would fail).
      for (const [op, field] of [
        [{ op: 'add', path: '/id', value: 'mine' }, '/id'],
        [{ op: 'add', path: '/scheduled', value: true }, '/scheduled'],
        [{ op: 'add', path: '/campaign/status', value: 'ACTIVE' }, '/campaign/status'],
        [
          { op: 'replace', path: '', value: { name: 'whole', campaign: { name: 'w', type: 'MANAGER' } } },
          '""',
        ],
        [{ op: 'add', path: '/campaign/ownerRef', value: { id: 'no.such.person' } }, 'ownerRef'],
      ] as const) {
        const refused = await templates
          .patchCampaignTemplate({ id, jsonPatchOperation: [op as never] })
          .catch((e: { response: { status: number; data: { messages: { text: string }[] } } }) => e.response)
        expect(refused).toMatchObject({
          status: 400,
          data: { messages: [{ text: expect.stringContaining(field) }] },
        })
      }
      expect((await templates.getCampaignTemplate({ id })).data).toMatchObject({
        name: 'Quarterly',
        campaign: { name: 'Renamed %Y' },
      })
      expect((await templates.getCampaignTemplate({ id })).data.campaign).not.toHaveProperty('status')
      expect((await templates.getCampaignTemplate({ id })).data.campaign).not.toHaveProperty('ownerRef')
      await templates.deleteCampaignTemplateSchedule({ id })
      expect((await templates.getCampaignTemplate({ id })).data).toMatchObject({ scheduled: false })
      // A person without CERT_ADMIN may not touch templates.
      const person = clientConfiguration(
        base,
        await createPersonalAccessToken(engine, { identity: 'ada.lamarr', name: 'pat' }),
      )
      const refused = await new CertificationCampaignsApi(person)
        .getCampaignTemplates()
        .catch((e: { response: { status: number } }) => e.response.status)
      expect(refused).toBe(403)
      await templates.deleteCampaignTemplate({ id })
      expect(
        await templates
          .getCampaignTemplate({ id })
          .catch((e: { response: { status: number } }) => e.response.status),
      ).toBe(404)
    } finally {
      await api.close()
      await engine.close()
    }
  })
})

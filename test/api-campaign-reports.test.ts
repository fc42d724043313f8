import {
  CertificationCampaignsApi,
  CertificationsApi,
  ReportsDataExtractionApi,
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

/** A CSV file's rows as records by header (the reports quote only what needs it). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (c === '"') quoted = false
      else cell += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(cell)
      cell = ''
    } else if (c === '\n') {
      rows.push([...row, cell])
      row = []
      cell = ''
    } else cell += c
  }
  const [header = [], ...body] = rows
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

/** Campaign reports through the official client: configured columns, each report type run and read. */
describe.each(databases)('campaign reports through the official client on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let base: string
  let admin: Configuration
  let reviewer: Identity
  let campaignId: string
  let badgeItemId: string

  beforeAll(async () => {
    ;({ api, engine, base } = await provisionedDemoApi(database))
    admin = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'reports', capabilities: ['CERT_ADMIN'] }),
    )
    reviewer = (await findIdentity(engine.db, 'joan.dijkstra')) as Identity
    // A manager campaign over the demo; joan.dijkstra revokes one report's datacenter badge and signs off.
    const created = await new CertificationCampaignsApi(admin).createCampaign({
      campaign: {
        name: 'Reported review',
        description: 'reports',
        type: 'MANAGER',
        deadline: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      },
    })
    campaignId = created.data.id as string
    await new CertificationCampaignsApi(admin).startCampaign({ id: campaignId, activateCampaignOptions: {} })
    const mine = new CertificationsApi(
      clientConfiguration(
        base,
        await createPersonalAccessToken(engine, { identity: reviewer.name, name: 'reviewer' }),
      ),
    )
    const [cert] = (await mine.listIdentityCertifications({ reviewerIdentity: 'me' })).data
    const items = (await mine.listIdentityAccessReviewItems({ id: cert?.id as string })).data
    badgeItemId = items.find((i) => i.accessSummary?.access?.name === 'datacenter')?.id as string
    await mine.makeIdentityDecision({
      id: cert?.id as string,
      reviewDecision: items.map((i) =>
        i.id === badgeItemId
          ? { id: i.id, decision: 'REVOKE', bulk: false, comments: '=no datacenter work' }
          : { id: i.id as string, decision: 'APPROVE', bulk: true },
      ),
    })
    await mine.signOffIdentityCertification({ id: cert?.id as string })
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('configures identity attribute columns, refusing an attribute no profile produces', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const empty = await campaigns.getCampaignReportsConfig()
    expectReferenceShape('GET', '/campaigns/reports-configuration', 200, empty.data)
    expect(empty.data).toEqual({ identityAttributeColumns: [] })

    const misspelt = await refusal(
      campaigns.setCampaignReportsConfig({
        campaignReportsConfig: { identityAttributeColumns: ['department', 'departmnt'] },
      }),
    )
    expect(misspelt).toMatchObject({
      status: 400,
      text: expect.stringMatching(/identityAttributeColumns\[1\].*departmnt.*did you mean "department"/),
    })
    const set = await campaigns.setCampaignReportsConfig({
      campaignReportsConfig: { identityAttributeColumns: ['department', 'email'] },
    })
    expectReferenceShape('PUT', '/campaigns/reports-configuration', 200, set.data)
    expect(set.data).toEqual({ identityAttributeColumns: ['department', 'email'] })
    expect((await campaigns.getCampaignReportsConfig()).data).toEqual(set.data)
    // A field the reference does not have is refused, not ignored.
    const unknown = await fetch(`${base}/v3/campaigns/reports-configuration`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(base, admin)}` },
      body: JSON.stringify({ identityAttributeColumn: ['department'] }),
    })
    expect(unknown.status).toBe(400)
  })

  it('runs each report type, lists the latest run of each, and serves its CSV as it was', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const reports = new ReportsDataExtractionApi(admin)
    expect((await campaigns.getCampaignReports({ id: campaignId })).data).toEqual([])

    const run = await campaigns.startCampaignReport({
      id: campaignId,
      type: 'CAMPAIGN_REMEDIATION_STATUS_REPORT',
    })
    expect(run.status).toBe(202)
    const listed = await campaigns.getCampaignReports({ id: campaignId })
    expectReferenceShape('GET', '/campaigns/{id}/reports', 200, listed.data)
    expect(listed.data).toEqual([
      expect.objectContaining({
        type: 'REPORT_RESULT',
        reportType: 'CAMPAIGN_REMEDIATION_STATUS_REPORT',
        name: 'Campaign Remediation Status Report',
        status: 'SUCCESS',
      }),
    ])
    const reportId = listed.data[0]?.id as string
    const result = await reports.getReportResult({ taskResultId: reportId })
    expect(result.data).toMatchObject({ id: reportId, status: 'SUCCESS', rows: 1, availableFormats: ['CSV'] })

    const file = await reports.getReport({ taskResultId: reportId, fileFormat: 'csv' })
    expect(file.headers['content-disposition']).toMatch(
      /^attachment;filename="Campaign Remediation Status Report \d{4}-\d\d-\d\d\.csv"$/,
    )
    const [revoked] = parseCsv(String(file.data))
    expect(revoked).toMatchObject({
      campaign: 'Reported review',
      reviewer: 'joan.dijkstra',
      department: expect.any(String),
      item: 'datacenter',
      revokedBy: 'joan.dijkstra',
      // What the reviewer typed is made inert for spreadsheets.
      comments: "'=no datacenter work",
      remediation: expect.stringMatching(/^(PENDING|DONE)$/),
    })

    // Composition: every item with why it is held; status: every decision; sign-off: every certification.
    for (const type of [
      'CAMPAIGN_COMPOSITION_REPORT',
      'CAMPAIGN_STATUS_REPORT',
      'CERTIFICATION_SIGNOFF_REPORT',
    ] as const) {
      await campaigns.startCampaignReport({ id: campaignId, type })
    }
    const all = (await campaigns.getCampaignReports({ id: campaignId })).data
    expect(all.map((r) => r.reportType)).toEqual([
      'CAMPAIGN_COMPOSITION_REPORT',
      'CAMPAIGN_REMEDIATION_STATUS_REPORT',
      'CAMPAIGN_STATUS_REPORT',
      'CERTIFICATION_SIGNOFF_REPORT',
    ])
    const csvOf = async (type: string): Promise<Record<string, string>[]> => {
      const id = all.find((r) => r.reportType === type)?.id as string
      return parseCsv(String((await reports.getReport({ taskResultId: id, fileFormat: 'csv' })).data))
    }
    const composition = await csvOf('CAMPAIGN_COMPOSITION_REPORT')
    expect(composition.find((r) => r.itemType === 'ROLE' && r.item === 'All Employees')).toMatchObject({
      revocable: 'false',
      heldBecause: expect.stringContaining('All Employees'),
    })
    expect(composition.find((r) => r.item === 'datacenter')).toMatchObject({
      revocable: 'true',
      heldBecause: '',
    })
    const status = await csvOf('CAMPAIGN_STATUS_REPORT')
    expect(status).toHaveLength(composition.length)
    expect(
      status.filter((r) => r.reviewer === 'joan.dijkstra').every((r) => r.decision !== 'UNDECIDED'),
    ).toBe(true)
    expect(status.some((r) => r.decision === 'UNDECIDED' && r.signedOff === 'false')).toBe(true)
    const signOff = await csvOf('CERTIFICATION_SIGNOFF_REPORT')
    expect(signOff.find((r) => r.reviewer === 'joan.dijkstra')).toMatchObject({
      signedOff: 'true',
      revoked: '1',
    })
    expect(signOff.filter((r) => r.signedOff === 'false').length).toBe(signOff.length - 1)

    // A run is kept as it was: running again adds a run, and the list shows the latest.
    const again = await campaigns.startCampaignReport({ id: campaignId, type: 'CAMPAIGN_STATUS_REPORT' })
    const latest = (await campaigns.getCampaignReports({ id: campaignId })).data
    expect(latest.find((r) => r.reportType === 'CAMPAIGN_STATUS_REPORT')?.id).toBe(
      (again.data as { id: string }).id,
    )
    expect((await reports.getReportResult({ taskResultId: reportId })).data.status).toBe('SUCCESS')
  })

  it('makes the names of people inert for spreadsheets, as it does what they typed', async () => {
    // Names come from the sources (an HR extract): one that reads as a formula stays text in the CSV.
    const formula = '=HYPERLINK("http://evil.example","x")'
    await engine.db.query('UPDATE identities SET name = $1 WHERE id = $2', [formula, reviewer.id])
    try {
      const campaigns = new CertificationCampaignsApi(admin)
      const reports = new ReportsDataExtractionApi(admin)
      for (const type of ['CAMPAIGN_STATUS_REPORT', 'CERTIFICATION_SIGNOFF_REPORT'] as const) {
        const run = await campaigns.startCampaignReport({ id: campaignId, type })
        const taskResultId = (run.data as { id: string }).id
        const file = await reports.getReport({ taskResultId, fileFormat: 'csv' })
        const rows = parseCsv(String(file.data))
        expect(rows.map((r) => r['reviewer'])).toContain(`'${formula}`)
        expect(rows.map((r) => r['reviewer'])).not.toContain(formula)
        if (type === 'CAMPAIGN_STATUS_REPORT') {
          expect(rows.map((r) => r['decidedBy'])).not.toContain(formula)
        }
      }
    } finally {
      await engine.db.query('UPDATE identities SET name = $1 WHERE id = $2', [reviewer.name, reviewer.id])
    }
  })

  it("deletes a campaign's report runs with the campaign", async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const staged = await campaigns.createCampaign({
      campaign: { name: 'Deleted with its reports', description: 'gone', type: 'MANAGER' },
    })
    const id = staged.data.id as string
    const run = await campaigns.startCampaignReport({ id, type: 'CAMPAIGN_COMPOSITION_REPORT' })
    const reportId = (run.data as { id: string }).id
    const reports = new ReportsDataExtractionApi(admin)
    expect((await reports.getReportResult({ taskResultId: reportId })).data).toMatchObject({
      status: 'SUCCESS',
    })
    await campaigns.deleteCampaigns({ campaignsDeleteRequest: { ids: [id] } })
    expect((await refusal(reports.getReportResult({ taskResultId: reportId }))).status).toBe(404)
  })

  it('refuses what it cannot do, and callers without the right', async () => {
    const campaigns = new CertificationCampaignsApi(admin)
    const reports = new ReportsDataExtractionApi(admin)
    const badType = await fetch(`${base}/v3/campaigns/${campaignId}/run-report/CAMPAIGN_EVERYTHING`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await tokenOf(base, admin)}` },
    })
    expect(badType.status).toBe(400)
    expect((await refusal(campaigns.getCampaignReports({ id: 'no-such-campaign' }))).status).toBe(404)
    expect(
      (
        await refusal(
          campaigns.startCampaignReport({ id: 'no-such-campaign', type: 'CAMPAIGN_STATUS_REPORT' }),
        )
      ).status,
    ).toBe(404)
    expect((await refusal(reports.getReportResult({ taskResultId: 'no-such-report' }))).status).toBe(404)
    const [one] = (await campaigns.getCampaignReports({ id: campaignId })).data
    const pdf = await refusal(reports.getReport({ taskResultId: one?.id as string, fileFormat: 'pdf' }))
    expect(pdf).toMatchObject({ status: 400, text: expect.stringContaining('CSV only') })

    // A reviewer reads none of it; a report administrator reads and runs, but does not configure.
    const person = clientConfiguration(
      base,
      await createPersonalAccessToken(engine, { identity: reviewer.name, name: 'not an admin' }),
    )
    expect(
      (await refusal(new CertificationCampaignsApi(person).getCampaignReports({ id: campaignId }))).status,
    ).toBe(403)
    expect(
      (
        await refusal(
          new ReportsDataExtractionApi(person).getReportResult({ taskResultId: one?.id as string }),
        )
      ).status,
    ).toBe(403)
    const reportAdmin = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'auditor', capabilities: ['REPORT_ADMIN'] }),
    )
    const ran = await new CertificationCampaignsApi(reportAdmin).startCampaignReport({
      id: campaignId,
      type: 'CERTIFICATION_SIGNOFF_REPORT',
    })
    expect(ran.status).toBe(202)
    expect(
      (
        await refusal(
          new CertificationCampaignsApi(reportAdmin).setCampaignReportsConfig({
            campaignReportsConfig: { identityAttributeColumns: [] },
          }),
        )
      ).status,
    ).toBe(403)
  })
})

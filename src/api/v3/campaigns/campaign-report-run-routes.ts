import { z } from 'zod'
import {
  CAMPAIGN_REPORT_NAMES,
  CAMPAIGN_REPORT_TYPES,
} from '../../../domain/certifications/campaign-report-type.js'
import { InputError } from '../../../domain/errors.js'
import { setCampaignReportsConfig } from '../../../engine/config/campaign-reports-config.js'
import {
  campaignReportFile,
  campaignReportRun,
  listCampaignReports,
  requireReportReader,
  runCampaignReport,
} from '../../../engine/certifications/campaign-report-runs.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { campaignReportJson, reportResultJson } from '../../presenters/campaign-report-json.js'
import { actorOf } from '../access-requests/access-request-routes.js'
import { changeAuthor, problemsInBody } from '../config-objects/config-writes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const runParams = z.strictObject({ id: z.string().min(1).max(256), type: z.enum(CAMPAIGN_REPORT_TYPES) })
const resultParams = z.strictObject({ taskResultId: z.string().min(1).max(256) })
const resultQuery = z.strictObject({ completed: z.enum(['true', 'false']).optional() })
const fileQuery = z.strictObject({
  fileFormat: z.enum(['csv', 'pdf']).optional(),
  name: z.string().min(1).max(200).optional(),
  auditable: z.enum(['true', 'false']).optional(),
})
/** The reference's Campaign Reports Configuration, strict: a misspelt field is a 400 naming it. */
const configBody = z.strictObject({
  identityAttributeColumns: z.array(z.string().min(1).max(200)).max(50).nullable().optional(),
})

/** A file name a download can carry in its header: no quotes, slashes or control characters. */
function fileName(name: string): string {
  const safe = name.replace(/[^\w .()-]/g, '_').trim()
  return safe.endsWith('.csv') ? safe : `${safe}.csv`
}

/**
 * Campaign reports: `GET /v3/campaigns/{id}/reports` (the latest run of each type),
 * `POST /v3/campaigns/{id}/run-report/{type}` (runs it now and keeps its CSV; 202 with the run),
 * `GET /v3/reports/{id}/result` (a run's outcome, row count and time), `GET /v3/reports/{id}` (its CSV), and
 * `/v3/campaigns/reports-configuration` (identity attributes added as columns, `campaignReportsConfig:` of
 * provisio.yaml).
 */
export function campaignReportRunRoutes(api: Api, ctx: ApiContext): void {
  const configJson = (): object => ({
    identityAttributeColumns: ctx.engine.config.settings.campaignReportsConfig.identityAttributeColumns,
  })

  api.get('/v3/campaigns/reports-configuration', async (request) => {
    requireReportReader(actorOf(request), 'reading the campaign reports configuration')
    return configJson()
  })

  api.put('/v3/campaigns/reports-configuration', { schema: { body: configBody } }, async (request) => {
    const columns = request.body.identityAttributeColumns ?? []
    request.auditDetail = {
      action: 'CAMPAIGN_REPORTS_CONFIG_UPDATED',
      targetType: 'CAMPAIGN_REPORTS_CONFIG',
      before: configJson(),
    }
    await setCampaignReportsConfig(ctx.engine, columns, changeAuthor(request)).catch((err: unknown) => {
      throw problemsInBody(err, 'campaignReportsConfig')
    })
    request.auditDetail = { ...request.auditDetail, after: configJson() }
    return configJson()
  })

  api.get('/v3/campaigns/:id/reports', { schema: { params: idParams } }, async (request) => {
    const runs = await listCampaignReports(ctx.engine, actorOf(request), request.params.id)
    return runs.map(campaignReportJson)
  })

  api.post(
    '/v3/campaigns/:id/run-report/:type',
    { schema: { params: runParams } },
    async (request, reply) => {
      const { id, type } = request.params
      const run = await runCampaignReport(ctx.engine, actorOf(request), id, type)
      request.auditDetail = {
        action: 'CAMPAIGN_REPORT_RUN',
        targetType: 'CAMPAIGN',
        targetId: id,
        targetName: CAMPAIGN_REPORT_NAMES[type],
        after: { reportId: run.id, status: run.status, rows: run.rows },
      }
      void reply.code(202)
      return campaignReportJson(run)
    },
  )

  api.get(
    '/v3/reports/:taskResultId/result',
    { schema: { params: resultParams, querystring: resultQuery } },
    async (request) =>
      reportResultJson(await campaignReportRun(ctx.engine, actorOf(request), request.params.taskResultId)),
  )

  api.get(
    '/v3/reports/:taskResultId',
    { schema: { params: resultParams, querystring: fileQuery } },
    async (request, reply) => {
      if (request.query.fileFormat === 'pdf') {
        throw new InputError(
          'fileFormat: Provisio writes campaign reports as CSV only; ask for fileFormat=csv',
        )
      }
      const { run, csv } = await campaignReportFile(ctx.engine, actorOf(request), request.params.taskResultId)
      const name = fileName(
        request.query.name ?? `${CAMPAIGN_REPORT_NAMES[run.reportType]} ${run.created.slice(0, 10)}`,
      )
      void reply
        .type('application/csv; charset=utf-8')
        .header('content-disposition', `attachment;filename="${name}"`)
      return csv
    },
  )
}

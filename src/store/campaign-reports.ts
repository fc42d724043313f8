import type { CampaignReportRun, CampaignReportType } from '../domain/certifications/campaign-report-type.js'
import type { Db } from './db.js'
import { iso } from './iso-time.js'

interface Row {
  id: string
  campaign_id: string
  report_type: CampaignReportType
  status: 'SUCCESS' | 'ERROR'
  created: Date | string
  duration_ms: number
  row_count: number
  error: string | null
  launcher: string
}

const COLUMNS = 'id, campaign_id, report_type, status, created, duration_ms, row_count, error, launcher'

/** Records a report run with its file (SUCCESS) or without (ERROR). */
export async function insertCampaignReport(
  db: Db,
  run: CampaignReportRun,
  csv: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO campaign_reports (${COLUMNS}, csv) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      run.id,
      run.campaignId,
      run.reportType,
      run.status,
      run.created,
      run.durationMs,
      run.rows,
      run.error,
      run.launcher,
      csv,
    ],
  )
}

/** The latest run of each report type of a campaign, in the types' order. */
export async function latestCampaignReports(db: Db, campaignId: string): Promise<CampaignReportRun[]> {
  const rows = await db.query<Row>(
    `SELECT DISTINCT ON (report_type) ${COLUMNS} FROM campaign_reports
     WHERE campaign_id = $1 ORDER BY report_type, created DESC, id DESC`,
    [campaignId],
  )
  return rows.map(toRun)
}

export async function getCampaignReport(db: Db, id: string): Promise<CampaignReportRun | undefined> {
  const rows = await db.query<Row>(`SELECT ${COLUMNS} FROM campaign_reports WHERE id = $1`, [id])
  return rows[0] ? toRun(rows[0]) : undefined
}

/** The file a successful run produced; undefined when there is no such run or it has none. */
export async function campaignReportCsv(db: Db, id: string): Promise<string | undefined> {
  const rows = await db.query<{ csv: string | null }>('SELECT csv FROM campaign_reports WHERE id = $1', [id])
  return rows[0]?.csv ?? undefined
}

function toRun(r: Row): CampaignReportRun {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    reportType: r.report_type,
    status: r.status,
    created: iso(r.created),
    durationMs: Number(r.duration_ms),
    rows: Number(r.row_count),
    error: r.error,
    launcher: r.launcher,
  }
}

import {
  CAMPAIGN_REPORT_NAMES,
  type CampaignReportRun,
} from '../../domain/certifications/campaign-report-type.js'

/** A report run as a campaign lists it (the reference's `CampaignReport`, a `REPORT_RESULT`). */
export function campaignReportJson(r: CampaignReportRun): object {
  return {
    type: 'REPORT_RESULT',
    id: r.id,
    name: CAMPAIGN_REPORT_NAMES[r.reportType],
    status: r.status === 'SUCCESS' ? 'SUCCESS' : 'ERROR',
    reportType: r.reportType,
    lastRunAt: r.created,
  }
}

/**
 * A report run as `/v3/reports/{id}/result` answers it (the reference's `ReportResults`): Provisio runs a
 * campaign report when it is asked for, so a run is SUCCESS (its CSV kept) or FAILURE (its error given).
 */
export function reportResultJson(r: CampaignReportRun): object {
  return {
    reportType: r.reportType,
    taskDefName: CAMPAIGN_REPORT_NAMES[r.reportType],
    id: r.id,
    created: r.created,
    status: r.status === 'SUCCESS' ? 'SUCCESS' : 'FAILURE',
    duration: r.durationMs,
    rows: r.rows,
    availableFormats: r.status === 'SUCCESS' ? ['CSV'] : [],
    ...(r.error !== null ? { error: r.error } : {}),
  }
}

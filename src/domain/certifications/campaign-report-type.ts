/** The reference's campaign report types (`/v3/campaigns/{id}/run-report/{type}`). */
export const CAMPAIGN_REPORT_TYPES = [
  'CAMPAIGN_COMPOSITION_REPORT',
  'CAMPAIGN_REMEDIATION_STATUS_REPORT',
  'CAMPAIGN_STATUS_REPORT',
  'CERTIFICATION_SIGNOFF_REPORT',
] as const

export type CampaignReportType = (typeof CAMPAIGN_REPORT_TYPES)[number]

/** Each report's name, as the reference names its report results. */
export const CAMPAIGN_REPORT_NAMES: Readonly<Record<CampaignReportType, string>> = {
  CAMPAIGN_COMPOSITION_REPORT: 'Campaign Composition Report',
  CAMPAIGN_REMEDIATION_STATUS_REPORT: 'Campaign Remediation Status Report',
  CAMPAIGN_STATUS_REPORT: 'Campaign Status Report',
  CERTIFICATION_SIGNOFF_REPORT: 'Certification Signoff Report',
}

/** A report run: what it holds once run (SUCCESS) or why it could not be made (ERROR). */
export interface CampaignReportRun {
  readonly id: string
  readonly campaignId: string
  readonly reportType: CampaignReportType
  readonly status: 'SUCCESS' | 'ERROR'
  readonly created: string
  readonly durationMs: number
  readonly rows: number
  readonly error: string | null
  /** Who ran it: an identity id, or `client:<id>`. */
  readonly launcher: string
}

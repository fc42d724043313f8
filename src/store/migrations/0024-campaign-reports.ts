/**
 * Campaign reports as run (`/v3/campaigns/{id}/run-report/{type}`): each run keeps the CSV it produced, so
 * the file downloaded later is the one of that moment, not the campaign as it stands when it is read.
 */
export const sql = `
CREATE TABLE campaign_reports (
  id text PRIMARY KEY,
  campaign_id text NOT NULL,
  report_type text NOT NULL,
  -- SUCCESS (csv holds the file) or ERROR (error says why)
  status text NOT NULL,
  created timestamptz NOT NULL,
  duration_ms integer NOT NULL,
  row_count integer NOT NULL,
  csv text,
  error text,
  launcher text NOT NULL,
  CHECK (report_type IN ('CAMPAIGN_COMPOSITION_REPORT', 'CAMPAIGN_REMEDIATION_STATUS_REPORT',
    'CAMPAIGN_STATUS_REPORT', 'CERTIFICATION_SIGNOFF_REPORT')),
  CHECK (status IN ('SUCCESS', 'ERROR')),
  CHECK ((status = 'SUCCESS') = (csv IS NOT NULL))
);
-- A campaign's reports, the latest run of each type first.
CREATE INDEX campaign_reports_campaign ON campaign_reports (campaign_id, report_type, created DESC);
`

import { findSource } from '../../domain/config/workspace-config.js'
import {
  CAMPAIGN_REPORT_TYPES,
  type CampaignReportRun,
  type CampaignReportType,
} from '../../domain/certifications/campaign-report-type.js'
import type { CertificationItem } from '../../domain/certifications/certification-item.js'
import { coerceError, ForbiddenError, NotFoundError } from '../../domain/errors.js'
import { newId } from '../../domain/new-id.js'
import { describeReason } from '../../domain/plan/describe-reason.js'
import { inertCell, toCsv } from '../../domain/to-csv.js'
import {
  campaignReportCsv,
  getCampaignReport,
  insertCampaignReport,
  latestCampaignReports,
} from '../../store/campaign-reports.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { actorName, type CampaignActor } from './campaign-actor.js'
import {
  loadCampaignProgress,
  loadCampaignReport,
  type CampaignProgress,
  type LoadedCampaignReport,
} from './campaign-report.js'

/** Who reads and runs campaign reports: campaign administrators and report administrators (the reference's). */
export function requireReportReader(actor: CampaignActor, what: string): void {
  const caps = actor.capabilities
  if (!caps.includes('ORG_ADMIN') && !caps.includes('CERT_ADMIN') && !caps.includes('REPORT_ADMIN')) {
    throw new ForbiddenError(`${what} needs ORG_ADMIN, CERT_ADMIN or REPORT_ADMIN`)
  }
}

/**
 * Runs one of a campaign's reports now and keeps its CSV with the run, so that the file read later is the
 * campaign as it stood when the report ran. The run is recorded either way: a report that cannot be made
 * is an ERROR run saying why. NotFoundError for an unknown campaign.
 */
export async function runCampaignReport(
  ctx: EngineContext,
  actor: CampaignActor,
  campaignId: string,
  type: CampaignReportType,
): Promise<CampaignReportRun> {
  requireReportReader(actor, 'running a campaign report')
  await campaignById(ctx, campaignId)
  const started = ctx.now()
  const t0 = performance.now()
  let csv: string | null = null
  let rows = 0
  let error: string | null = null
  try {
    // The sign-off report is the certifications' progress: it reads no item.
    const table =
      type === 'CERTIFICATION_SIGNOFF_REPORT'
        ? signOffTable(await loadCampaignProgress(ctx, campaignId))
        : reportTable(ctx, await loadCampaignReport(ctx, campaignId), type)
    csv = toCsv(table.header, table.rows)
    rows = table.rows.length
  } catch (err) {
    error = coerceError(err).message
  }
  const run: CampaignReportRun = {
    id: newId(),
    campaignId,
    reportType: type,
    status: error === null ? 'SUCCESS' : 'ERROR',
    created: started.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    rows,
    error,
    launcher: actorName(actor),
  }
  await insertCampaignReport(ctx.db, run, csv)
  return run
}

/** The latest run of each of a campaign's reports (types never run are not listed). */
export async function listCampaignReports(
  ctx: EngineContext,
  actor: CampaignActor,
  campaignId: string,
): Promise<CampaignReportRun[]> {
  requireReportReader(actor, "reading a campaign's reports")
  await campaignById(ctx, campaignId)
  const latest = await latestCampaignReports(ctx.db, campaignId)
  return CAMPAIGN_REPORT_TYPES.flatMap((t) => latest.filter((r) => r.reportType === t))
}

/** One report run; NotFoundError when there is none. */
export async function campaignReportRun(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<CampaignReportRun> {
  requireReportReader(actor, 'reading a report')
  const run = await getCampaignReport(ctx.db, id)
  if (!run) throw new NotFoundError(`no report with id "${id}"`)
  return run
}

/** A report run's CSV file; NotFoundError when there is no such run, or it failed (its error says why). */
export async function campaignReportFile(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<{ readonly run: CampaignReportRun; readonly csv: string }> {
  const run = await campaignReportRun(ctx, actor, id)
  const csv = run.status === 'SUCCESS' ? await campaignReportCsv(ctx.db, id) : undefined
  if (csv === undefined) {
    throw new NotFoundError(`report ${id} has no file: it failed (${run.error ?? 'no reason recorded'})`)
  }
  return { run, csv }
}

interface Table {
  readonly header: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

/**
 * A report's rows. Composition: every item, why it is held and whether it can be revoked. Status: every
 * item's decision. Remediation status: every revocation and what remediation did. Sign-off: every
 * certification's progress and sign-off. The item reports carry the configured identity attribute columns.
 */
function reportTable(
  ctx: EngineContext,
  loaded: LoadedCampaignReport,
  type: Exclude<CampaignReportType, 'CERTIFICATION_SIGNOFF_REPORT'>,
): Table {
  const { progress, items, identities, name } = loaded
  const campaign = progress.campaign
  const columns = ctx.config.settings.campaignReportsConfig.identityAttributeColumns
  const text = (v: string | null | undefined): string => inertCell(v ?? '')
  // Names come from the sources (an HR extract) as much as comments come from people: inert as well.
  const person = (id: string): string => text(name(id))
  const reviewerOf = new Map(progress.reviewers.map((r) => [r.certificationId, text(r.reviewerName)]))
  const sourceName = (id: string | null): string =>
    id === null ? '' : text(findSource(ctx.config, id)?.name ?? id)
  const itemColumns = (i: CertificationItem): string[] => [
    text(campaign.name),
    reviewerOf.get(i.certificationId) ?? '',
    person(i.identityId),
    ...columns.map((c) => text(identities.get(i.identityId)?.attributes[c])),
    i.itemType,
    text(i.itemName),
    sourceName(i.sourceId),
  ]
  const itemHeader = ['campaign', 'reviewer', 'identity', ...columns, 'itemType', 'item', 'source']
  switch (type) {
    case 'CAMPAIGN_COMPOSITION_REPORT':
      return {
        header: [
          ...itemHeader,
          'attribute',
          'value',
          'account',
          'revocable',
          'acknowledgeOnly',
          'heldBecause',
          'peers',
        ],
        rows: items.map((i) => [
          ...itemColumns(i),
          i.attribute ?? '',
          text(i.value),
          text(i.nativeIdentity),
          String(i.revocable),
          i.acknowledgeOnly ?? '',
          text(i.reasons.map((r) => describeReason(r)).join('; ')),
          Object.entries(i.peers)
            .map(([group, share]) => `${group} ${Math.round(share * 100)}%`)
            .join(', '),
        ]),
      }
    case 'CAMPAIGN_STATUS_REPORT':
      return {
        header: [
          ...itemHeader,
          'decision',
          'decidedBy',
          'decided',
          'comments',
          'proposedEndDate',
          'signedOff',
        ],
        rows: items.map((i) => [
          ...itemColumns(i),
          i.decision ?? 'UNDECIDED',
          i.decidedBy === null ? '' : person(i.decidedBy),
          i.decided ?? '',
          text(i.comments),
          i.proposedEndDate ?? '',
          String(i.remediation !== null),
        ]),
      }
    case 'CAMPAIGN_REMEDIATION_STATUS_REPORT':
      return {
        header: [
          ...itemHeader,
          'account',
          'revokedBy',
          'revoked',
          'comments',
          'proposedEndDate',
          'remediation',
          'detail',
        ],
        rows: items
          .filter((i) => i.decision === 'REVOKE')
          .map((i) => [
            ...itemColumns(i),
            text(i.nativeIdentity),
            i.decidedBy === null ? '' : person(i.decidedBy),
            i.decided ?? '',
            text(i.comments),
            i.proposedEndDate ?? '',
            // Revoked but not signed off yet: nothing has started.
            i.remediation ?? 'NOT_STARTED',
            text(i.remediationDetail),
          ]),
      }
  }
}

/** The sign-off report: every certification's progress and sign-off. */
function signOffTable(progress: CampaignProgress): Table {
  const text = (v: string | null | undefined): string => inertCell(v ?? '')
  return {
    header: [
      'campaign',
      'certification',
      'reviewer',
      'items',
      'decided',
      'approved',
      'revoked',
      'signedOff',
      'signed',
      'reassignedFrom',
      'escalated',
    ],
    rows: progress.reviewers.map((r) => [
      text(progress.campaign.name),
      r.certificationId,
      text(r.reviewerName),
      String(r.items),
      String(r.decided),
      String(r.approved),
      String(r.revoked),
      String(r.signed !== null),
      r.signed ?? '',
      text(r.reassignedFromName),
      r.escalated ?? '',
    ]),
  }
}

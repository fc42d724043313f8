import { findRole } from '../../domain/config/workspace-config.js'
import type { Campaign } from '../../domain/certifications/campaign.js'
import { inertCell, toCsv } from '../../domain/to-csv.js'
import type { CertificationItem } from '../../domain/certifications/certification-item.js'
import type { Identity } from '../../domain/model.js'
import { decisionCounts, listCertificationItems, remediationCounts } from '../../store/certification-items.js'
import { listCertifications } from '../../store/certifications.js'
import { loadIdentitiesById } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'

/** A campaign's report: progress by reviewer, every decision, and remediation. */
export interface CampaignReport {
  readonly campaign: Campaign
  readonly reviewers: readonly {
    readonly certificationId: string
    readonly reviewer: string
    readonly reviewerName: string
    readonly items: number
    readonly decided: number
    readonly approved: number
    readonly revoked: number
    readonly signed: string | null
    readonly reassignedFrom: string | null
    readonly escalated: string | null
  }[]
  readonly decisions: readonly {
    readonly itemId: string
    readonly identity: string
    readonly identityName: string
    readonly itemType: string
    readonly item: string
    readonly source: string | null
    readonly decision: string | null
    readonly decidedBy: string | null
    readonly decided: string | null
    readonly comments: string | null
    readonly proposedEndDate: string | null
    readonly remediation: string | null
    readonly remediationDetail: string | null
  }[]
  /** Items by remediation outcome (NOT_STARTED: not signed off yet). */
  readonly remediation: Readonly<Record<string, number>>
}

/** Builds a campaign's report from the store. CERT_ADMIN or ORG_ADMIN. */
export async function campaignReport(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<CampaignReport> {
  requireCampaignAdmin(actor, "reading a campaign's report")
  return (await loadCampaignReport(ctx, id)).report
}

/** A campaign's report with what it was made from: its items and the people they name. */
export interface LoadedCampaignReport {
  readonly report: CampaignReport
  /** The campaign's items, by identity. */
  readonly items: readonly CertificationItem[]
  /** The identities the report names (reviewers, identities reviewed, deciders), by id. */
  readonly identities: ReadonlyMap<string, Identity>
  /** A person's (or, in a role composition campaign, a role's) name; the id when it names no one. */
  readonly name: (id: string) => string
}

/** Reads a campaign's report and what it was made from; the caller checks who may read it. */
export async function loadCampaignReport(ctx: EngineContext, id: string): Promise<LoadedCampaignReport> {
  const campaign = await campaignById(ctx, id)
  const [certs, counts, remediation, items] = await Promise.all([
    listCertifications(ctx.db, { campaignIds: [id] }),
    decisionCounts(ctx.db, id),
    remediationCounts(ctx.db, { campaignId: id }),
    listCertificationItems(
      ctx.db,
      { campaignIds: [id] },
      { sort: [{ field: 'identity', descending: false }] },
    ),
  ])
  const people = new Set<string>([...certs.map((c) => c.reviewerId), ...items.map((i) => i.identityId)])
  for (const i of items) if (i.decidedBy !== null) people.add(i.decidedBy)
  const identities = new Map((await loadIdentitiesById(ctx.db, [...people])).map((p) => [p.id, p]))
  const names = new Map([...identities.values()].map((p) => [p.id, p.name]))
  // A role composition item's subject is a role: named by the role's name.
  if (campaign.type === 'ROLE_COMPOSITION') {
    for (const i of items) {
      const role = findRole(ctx.config, i.identityId)
      if (role && !names.has(i.identityId)) names.set(i.identityId, role.name)
    }
  }
  const name = (id: string | null): string | null => (id === null ? null : (names.get(id) ?? id))
  const report: CampaignReport = {
    campaign,
    reviewers: certs.map((c) => {
      const n = counts.get(c.id) ?? { total: 0, decided: 0, approved: 0, revoked: 0 }
      return {
        certificationId: c.id,
        reviewer: c.reviewerId,
        reviewerName: name(c.reviewerId) as string,
        items: n.total,
        decided: n.decided,
        approved: n.approved,
        revoked: n.revoked,
        signed: c.signed,
        reassignedFrom: c.originalReviewerId,
        escalated: c.escalated,
      }
    }),
    decisions: items.map((i) => ({
      itemId: i.id,
      identity: i.identityId,
      identityName: name(i.identityId) as string,
      itemType: i.itemType,
      item: i.itemName,
      source: i.sourceId,
      decision: i.decision,
      decidedBy: name(i.decidedBy),
      decided: i.decided,
      comments: i.comments,
      proposedEndDate: i.proposedEndDate,
      remediation: i.remediation,
      remediationDetail: i.remediationDetail,
    })),
    remediation,
  }
  return { report, items, identities, name: (id) => names.get(id) ?? id }
}

const DECISION_COLUMNS = [
  'itemId',
  'identity',
  'identityName',
  'itemType',
  'item',
  'source',
  'decision',
  'decidedBy',
  'decided',
  'comments',
  'proposedEndDate',
  'remediation',
  'remediationDetail',
] as const

const REVIEWER_COLUMNS = [
  'certificationId',
  'reviewer',
  'reviewerName',
  'items',
  'decided',
  'approved',
  'revoked',
  'signed',
  'reassignedFrom',
  'escalated',
] as const

/**
 * A part of the report as CSV: `decisions`, one row per item with its remediation, or `reviewers`, one row
 * per certification. Text people typed is made inert for spreadsheets.
 */
export function campaignReportCsv(
  report: CampaignReport,
  part: 'decisions' | 'reviewers' = 'decisions',
): string {
  if (part === 'reviewers') {
    return toCsv(
      REVIEWER_COLUMNS,
      report.reviewers.map((r) => REVIEWER_COLUMNS.map((c) => inertCell(String(r[c] ?? '')))),
    )
  }
  return toCsv(
    DECISION_COLUMNS,
    report.decisions.map((d) => DECISION_COLUMNS.map((c) => inertCell(d[c] ?? ''))),
  )
}

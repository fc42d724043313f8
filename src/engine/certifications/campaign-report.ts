import type { Campaign } from '../../domain/certifications/campaign.js'
import { csvLines, inertCell, toCsv } from '../../domain/to-csv.js'
import type { CertificationItem } from '../../domain/certifications/certification-item.js'
import type { Identity } from '../../domain/model.js'
import {
  decisionCounts,
  listCertificationItems,
  listReportedItems,
  remediationCounts,
} from '../../store/certification-items.js'
import { listCertifications } from '../../store/certifications.js'
import { loadIdentitiesById } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { campaignById } from './activate-campaign.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { subjectNamesOf } from './subject-names.js'

/** A campaign's progress: by reviewer, and its items by remediation outcome. */
export interface CampaignProgress {
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
    readonly reassignedFromName: string | null
    readonly escalated: string | null
  }[]
  /** Items by remediation outcome (NOT_STARTED: not signed off yet). */
  readonly remediation: Readonly<Record<string, number>>
}

/** A campaign's report: its progress, and every decision with its remediation. */
export interface CampaignReport extends CampaignProgress {
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
}

/** Builds a campaign's report from the store. CERT_ADMIN or ORG_ADMIN. */
export async function campaignReport(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<CampaignReport> {
  requireCampaignAdmin(actor, "reading a campaign's report")
  const progress = await loadCampaignProgress(ctx, id)
  const decisions: ReportDecision[] = []
  for await (const page of decisionPages(ctx, progress.campaign)) decisions.push(...page)
  return { ...progress, decisions }
}

/** One row of a report's decisions. */
export type ReportDecision = CampaignReport['decisions'][number]

/** Items a report reads at a time. */
const REPORT_PAGE = 5_000

/**
 * A campaign's decisions a page at a time, each item with its decision and remediation (not why it is
 * held: a report leaves out the wide columns), grouped by certification, an identity's items together.
 * The pages follow the items' key, certification by certification, so an item reassigned to another
 * certification while they are read may be listed at both or neither; a report made when reviewers are
 * done has every item once.
 */
export async function* decisionPages(
  ctx: EngineContext,
  campaign: Campaign,
  pageSize = REPORT_PAGE,
): AsyncGenerator<ReportDecision[]> {
  // A role composition item's subject is a role: named by the role's name.
  const names = new Map(subjectNamesOf(ctx, campaign) ?? [])
  const name = (id: string): string => names.get(id) ?? id
  const counts = await decisionCounts(ctx.db, campaign.id)
  for (const batch of certificationBatches(counts, pageSize)) {
    // Certifications that fill a page together are read at once; a larger one a page at a time.
    let after: string | null = null
    for (;;) {
      const items = await listReportedItems(ctx.db, batch, after, batch.length === 1 ? pageSize : null)
      const unnamed = new Set<string>()
      for (const i of items) {
        if (!names.has(i.identityId)) unnamed.add(i.identityId)
        if (i.decidedBy !== null && !names.has(i.decidedBy)) unnamed.add(i.decidedBy)
      }
      for (const p of await loadIdentitiesById(ctx.db, [...unnamed])) names.set(p.id, p.name)
      if (items.length > 0) {
        yield items.map((i) => ({
          itemId: i.id,
          identity: i.identityId,
          identityName: name(i.identityId),
          itemType: i.itemType,
          item: i.itemName,
          source: i.sourceId,
          decision: i.decision,
          decidedBy: i.decidedBy === null ? null : name(i.decidedBy),
          decided: i.decided,
          comments: i.comments,
          proposedEndDate: i.proposedEndDate,
          remediation: i.remediation,
          remediationDetail: i.remediationDetail,
        }))
      }
      const last = items.at(-1)
      if (batch.length > 1 || last === undefined || items.length < pageSize) break
      after = last.id
    }
  }
}

/** A campaign's certifications in id order, in runs whose items fill a page (one larger alone). */
function* certificationBatches(
  counts: ReadonlyMap<string, { readonly total: number }>,
  pageSize: number,
): Generator<string[]> {
  let batch: string[] = []
  let size = 0
  for (const id of [...counts.keys()].sort()) {
    const n = counts.get(id)?.total ?? 0
    if (batch.length > 0 && size + n > pageSize) {
      yield batch
      batch = []
      size = 0
    }
    batch.push(id)
    size += n
  }
  if (batch.length > 0) yield batch
}

/**
 * A campaign's progress from counts alone, without reading its items (a large campaign has a million):
 * what `provisio campaign status` shows. CERT_ADMIN or ORG_ADMIN.
 */
export async function campaignProgress(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<CampaignProgress> {
  requireCampaignAdmin(actor, "reading a campaign's progress")
  return loadCampaignProgress(ctx, id)
}

/** Reads a campaign's progress; the caller checks who may read it. */
export async function loadCampaignProgress(ctx: EngineContext, id: string): Promise<CampaignProgress> {
  const campaign = await campaignById(ctx, id)
  const [certs, counts, remediation] = await Promise.all([
    listCertifications(ctx.db, { campaignIds: [id] }),
    decisionCounts(ctx.db, id),
    remediationCounts(ctx.db, { campaignId: id }),
  ])
  const reviewers = await loadIdentitiesById(ctx.db, [
    ...new Set(certs.flatMap((c) => [c.reviewerId, ...(c.originalReviewerId ? [c.originalReviewerId] : [])])),
  ])
  const names = new Map(reviewers.map((p) => [p.id, p.name]))
  return {
    campaign,
    reviewers: certs.map((c) => {
      const n = counts.get(c.id) ?? { total: 0, decided: 0, approved: 0, revoked: 0 }
      return {
        certificationId: c.id,
        reviewer: c.reviewerId,
        reviewerName: names.get(c.reviewerId) ?? c.reviewerId,
        items: n.total,
        decided: n.decided,
        approved: n.approved,
        revoked: n.revoked,
        signed: c.signed,
        reassignedFrom: c.originalReviewerId,
        reassignedFromName:
          c.originalReviewerId === null ? null : (names.get(c.originalReviewerId) ?? c.originalReviewerId),
        escalated: c.escalated,
      }
    }),
    remediation,
  }
}

/** What the reference's item reports are made from: a campaign's progress, its items and the people they name. */
export interface LoadedCampaignReport {
  readonly progress: CampaignProgress
  /** The campaign's items, by identity. */
  readonly items: readonly CertificationItem[]
  /** The identities the report names (reviewers, identities reviewed, deciders), by id. */
  readonly identities: ReadonlyMap<string, Identity>
  /** A person's (or, in a role composition campaign, a role's) name; the id when it names no one. */
  readonly name: (id: string) => string
}

/** Reads a campaign's progress and whole items, and the people they name; the caller checks who may. */
export async function loadCampaignReport(ctx: EngineContext, id: string): Promise<LoadedCampaignReport> {
  const [progress, items] = await Promise.all([
    loadCampaignProgress(ctx, id),
    listCertificationItems(
      ctx.db,
      { campaignIds: [id] },
      { sort: [{ field: 'identity', descending: false }] },
    ),
  ])
  const people = new Set<string>([
    ...progress.reviewers.map((r) => r.reviewer),
    ...items.map((i) => i.identityId),
  ])
  for (const i of items) if (i.decidedBy !== null) people.add(i.decidedBy)
  const identities = new Map((await loadIdentitiesById(ctx.db, [...people])).map((p) => [p.id, p]))
  // A role composition item's subject is a role: named by the role's name.
  const names = new Map(subjectNamesOf(ctx, progress.campaign) ?? [])
  for (const p of identities.values()) names.set(p.id, p.name)
  return { progress, items, identities, name: (id) => names.get(id) ?? id }
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

/** The CSV of a report's reviewers: one row per certification. Text people typed is made inert for spreadsheets. */
export function reviewersCsv(progress: CampaignProgress): string {
  return toCsv(
    REVIEWER_COLUMNS,
    progress.reviewers.map((r) => REVIEWER_COLUMNS.map((c) => inertCell(String(r[c] ?? '')))),
  )
}

/**
 * The CSV of a report's decisions, one row per item with its remediation, in parts as the items are read
 * (a campaign of a million items is about 150 MB of it). Text people typed is made inert for spreadsheets.
 */
export async function* decisionsCsv(ctx: EngineContext, campaign: Campaign): AsyncGenerator<string> {
  yield csvLines([DECISION_COLUMNS])
  for await (const page of decisionPages(ctx, campaign)) {
    yield csvLines(page.map((d) => DECISION_COLUMNS.map((c) => inertCell(d[c] ?? ''))))
  }
}

import type { Campaign } from '../../domain/certifications/campaign.js'
import type { ItemReason } from '../../domain/certifications/certification-item.js'
import { PeerShares, type PeerKeys } from '../../domain/certifications/peer-shares.js'
import { reviewItems, type ReviewItem, type ReviewScope } from '../../domain/certifications/review-items.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { newId } from '../../domain/new-id.js'
import type { PlanReason } from '../../domain/plan/plan-item.js'
import { readFilters } from '../../domain/query/check-filters.js'
import { requestOriginsOf } from '../../store/assignments.js'
import { insertCertificationItems, type NewCertificationItem } from '../../store/certification-items.js'
import { holdCampaign } from '../../store/campaigns.js'
import { analyzeIfGrown, type Db } from '../../store/db.js'
import { insertCertifications } from '../../store/certifications.js'
import { findIdentity, identityIdsByKey, listIdentities } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { phaseTimer } from '../phase-timer.js'
import { generateRoleComposition } from './generate-role-composition.js'
import { desiredBatches } from '../desired-batches.js'
import { planningModelOf, planningSourceIds } from '../plan-identities.js'
import { IDENTITY_FILTER_FIELDS } from '../queries/list-identities.js'

/** What generation made: the reviewers' certifications and the items, and who could not be reviewed. */
export interface Generated {
  readonly certifications: number
  readonly items: number
  readonly identities: number
  /** Identities left out, with why (no manager, nobody but themselves to review them). */
  readonly skipped: readonly string[]
  readonly durationMs: number
  /** Milliseconds by phase: reading and planning, review items and peer counts, request origins and certifications, item rows, insert. */
  readonly phases?: Readonly<Record<string, number>>
}

/** Items built, then written, at a time (a certification's items are not split). */
const INSERT_CHUNK = 20_000

interface Person {
  readonly name: string
  readonly managerId: string | null
  readonly peers: PeerKeys
}

interface Subject {
  readonly identityId: string
  readonly reviewerId: string
  readonly items: readonly ReviewItem[]
}

/**
 * Generates a campaign's certifications and items from each identity's access as it stands: the desired
 * access of every identity (the planner's reasons say why each item is held; the whole population is the
 * peers each share is counted among), then one certification per reviewer and every item written in bulk.
 * Nobody reviews their own access: it goes to their reviewer's manager, else the campaign's owner.
 */
export async function generateCampaign(ctx: EngineContext, campaign: Campaign): Promise<Generated> {
  if (campaign.type === 'ROLE_COMPOSITION') return generateRoleComposition(ctx, campaign)
  const t0 = performance.now()
  const timer = phaseTimer()
  const { spec } = campaign
  const subjects = await subjectFilter(ctx, campaign)
  const scope = await reviewScope(ctx, campaign)
  const sourceOwners = campaign.type === 'SOURCE_OWNER' ? await sourceOwnerIds(ctx, campaign) : new Map()
  const fixedReviewer = await fixedReviewerOf(ctx, campaign)

  const people = new Map<string, Person>()
  const peers = new PeerShares()
  const chosen: Subject[] = []
  const skipped: string[] = []
  const model = await planningModelOf(ctx, ctx.config)
  for await (const batch of desiredBatches(ctx, model)) {
    timer.lap('read and plan')
    for (const { identity, desired, accounts } of batch) {
      const keys: PeerKeys = {
        department: identity.attributes['department'] ?? null,
        manager: identity.managerId,
        title: identity.attributes['title'] ?? null,
      }
      people.set(identity.id, { name: identity.name, managerId: identity.managerId, peers: keys })
      const items = reviewItems(desired, accounts, model, scope)
      // Everyone is a peer, also those with nothing to review: they are part of each share's whole.
      peers.add(
        keys,
        items.map((i) => i.key),
      )
      if (items.length === 0) continue
      if (subjects !== null && !subjects.has(identity.id)) continue
      if (campaign.type !== 'SOURCE_OWNER' && fixedReviewer === null && identity.managerId === null) {
        skipped.push(`${identity.name}: no manager`)
        continue
      }
      if (campaign.type === 'SOURCE_OWNER') {
        // One certification per source owner: the items split by the source they are on.
        const bySource = new Map<string, ReviewItem[]>()
        for (const i of items) {
          const owner = sourceOwners.get(i.sourceId ?? '') as string
          const list = bySource.get(owner)
          if (list) list.push(i)
          else bySource.set(owner, [i])
        }
        for (const [reviewerId, list] of bySource) {
          chosen.push({ identityId: identity.id, reviewerId, items: list })
        }
        continue
      }
      const reviewerId = fixedReviewer ?? (identity.managerId as string) // checked above
      chosen.push({ identityId: identity.id, reviewerId, items })
    }
    timer.lap('review items and peer counts')
  }
  if (subjects !== null) {
    for (const id of subjects) if (!people.has(id)) skipped.push(`${id}: no such identity`)
  }

  // Nobody reviews themselves: their manager does, else the campaign's owner (else they are left out).
  const reviewed: Subject[] = []
  for (const s of chosen) {
    const reviewerId = notSelf(s.identityId, s.reviewerId, people, campaign.ownerId)
    if (reviewerId === null) {
      skipped.push(`${people.get(s.identityId)?.name ?? s.identityId}: nobody but themselves to review them`)
      continue
    }
    reviewed.push({ ...s, reviewerId })
  }

  const origins = await requestOriginsOf(ctx.db, [
    ...new Set(reviewed.flatMap((s) => s.items.flatMap((i) => i.assignmentIds))),
  ])
  // Each reviewer's subjects together, in the order reviewers first appear.
  const byReviewer = new Map<string, Subject[]>()
  for (const s of reviewed) {
    const list = byReviewer.get(s.reviewerId)
    if (list) list.push(s)
    else byReviewer.set(s.reviewerId, [s])
  }
  const reviewers = [...byReviewer.keys()]
  const reasonsText = new WeakMap<readonly PlanReason[], string>()
  let items = 0
  await ctx.db.transaction(async (tx) => {
    await holdWhileGenerated(tx, campaign)
    const certIds = await insertCertifications(
      tx,
      campaign.id,
      reviewers.map((r) => ({ reviewerId: r, name: `${spec.name}: ${people.get(r)?.name ?? r}` })),
      ctx.now(),
    )
    timer.lap('request origins and certifications')
    // Items are written certification by certification, their (time-ordered) ids made in that order: the
    // table's key (certification_id, id) is appended to instead of written all over, and
    // a certification's items sit together, as its reviewer reads them. They are written a chunk at a
    // time: a million rows built before the first is written would sit in memory (and in the collector's
    // way) all at once.
    let rows: NewCertificationItem[] = []
    const flush = async (): Promise<void> => {
      timer.lap('item rows (reasons, peer shares)')
      await insertCertificationItems(tx, rows)
      items += rows.length
      rows = []
      timer.lap('insert')
    }
    for (const [n, reviewerId] of reviewers.entries()) {
      const certificationId = certIds[n] as string
      for (const s of byReviewer.get(reviewerId) as Subject[]) {
        const person = people.get(s.identityId) as Person
        for (const i of s.items) {
          let text = i.assignmentIds.length === 0 ? reasonsText.get(i.reasons) : undefined
          if (text === undefined) {
            text = JSON.stringify(i.assignmentIds.length === 0 ? i.reasons : withRequests(i.reasons, origins))
            if (i.assignmentIds.length === 0) reasonsText.set(i.reasons, text)
          }
          rows.push({
            id: newId(),
            campaignId: campaign.id,
            certificationId,
            identityId: s.identityId,
            itemType: i.itemType,
            itemId: i.itemId,
            itemName: i.itemName,
            sourceId: i.sourceId,
            attribute: i.attribute,
            value: i.value,
            nativeIdentity: i.nativeIdentity,
            reasonsJson: text,
            revocable: i.revocable,
            acknowledgeOnly: i.acknowledgeOnly,
            assignmentIds: i.assignmentIds,
            peers: peers.shares(person.peers, i.key),
          })
        }
      }
      if (rows.length >= INSERT_CHUNK) await flush()
    }
    if (rows.length > 0) await flush()
  })
  await analyzeIfGrown(ctx.db, 'certificationItems', items)
  timer.lap('statistics')
  return {
    certifications: reviewers.length,
    items,
    identities: new Set(reviewed.map((s) => s.identityId)).size,
    skipped,
    durationMs: performance.now() - t0,
    phases: timer.phases,
  }
}

/** The reasons of requested access, each assignment's with its request, requester and approvers. */
function withRequests(
  reasons: readonly PlanReason[],
  origins: Awaited<ReturnType<typeof requestOriginsOf>>,
): ItemReason[] {
  return reasons.map((r) => {
    const origin = r.kind === 'ASSIGNMENT' && r.id !== undefined ? origins.get(r.id) : undefined
    return origin
      ? { ...r, request: { id: origin.requestId, requester: origin.requester, approvers: origin.approvers } }
      : r
  })
}

/** The first of the reviewer, their manager, the campaign's owner and the owner's manager who is not the subject. */
function notSelf(
  subject: string,
  reviewer: string,
  people: ReadonlyMap<string, Person>,
  owner: string | null,
): string | null {
  const candidates = [
    reviewer,
    people.get(reviewer)?.managerId ?? null,
    owner,
    owner !== null ? (people.get(owner)?.managerId ?? null) : null,
  ]
  return candidates.find((c): c is string => c !== null && c !== subject) ?? null
}

/** The identities a SEARCH campaign reviews (its ids, or those its query matches); null: everyone. */
async function subjectFilter(ctx: EngineContext, campaign: Campaign): Promise<Set<string> | null> {
  const info = campaign.spec.searchCampaignInfo
  if (campaign.type !== 'SEARCH') return null
  if (!info || (info.identityIds === undefined && info.query === undefined)) {
    throw new InputError('a SEARCH campaign needs searchCampaignInfo with identityIds or a query')
  }
  // Ids or names, as sources and roles are named; one that names nobody would silently shrink the review.
  const keys = info.identityIds ?? []
  const found = await identityIdsByKey(ctx.db, keys)
  const unknown = keys.filter((k) => !found.has(k))
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 10).map((k) => `"${k}"`)
    throw new InputError(
      `searchCampaignInfo.identityIds: no identity ${shown.join(', ')}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}`,
    )
  }
  const ids = new Set(keys.map((k) => found.get(k) as string))
  if (info.query !== undefined) {
    let expression
    try {
      expression = readFilters(info.query, IDENTITY_FILTER_FIELDS)
    } catch (err) {
      throw new InputError(`searchCampaignInfo.query: ${err instanceof Error ? err.message : String(err)}`)
    }
    for (const i of await listIdentities(ctx.db, { expression })) ids.add(i.id)
  }
  return ids
}

/** What a campaign's type reviews: a SOURCE_OWNER campaign, its sources' accounts and access alone. */
async function reviewScope(ctx: EngineContext, campaign: Campaign): Promise<ReviewScope> {
  if (campaign.type !== 'SOURCE_OWNER') return {}
  const ids = campaign.spec.sourceOwnerCampaignInfo?.sourceIds ?? []
  const stored = await planningSourceIds(ctx, ctx.config)
  const byIdOrName = new Map<string, string>()
  for (const [name, id] of stored) {
    byIdOrName.set(name, id)
    byIdOrName.set(id, id)
  }
  const sourceIds = new Set<string>()
  for (const id of ids) {
    const found = byIdOrName.get(id)
    if (found === undefined) throw new InputError(`sourceOwnerCampaignInfo.sourceIds: no source "${id}"`)
    sourceIds.add(found)
  }
  return { sourceIds, accounts: true }
}

/** Each reviewed source's owner, as an identity id (a source without one cannot be reviewed). */
async function sourceOwnerIds(ctx: EngineContext, campaign: Campaign): Promise<Map<string, string>> {
  const { sourceIds } = await reviewScope(ctx, campaign)
  const stored = await planningSourceIds(ctx, ctx.config)
  const out = new Map<string, string>()
  const problems: string[] = []
  for (const { value: source } of ctx.config.sources) {
    const id = stored.get(source.name) as string
    if (!sourceIds?.has(id)) continue
    const ref = source.owner?.id ?? source.owner?.name
    const owner = ref !== undefined ? await findIdentityId(ctx, ref) : undefined
    if (owner === undefined) problems.push(`source "${source.name}" has no owner who is an identity`)
    else out.set(id, owner)
  }
  if (problems.length > 0) {
    throw new InputError(`a SOURCE_OWNER campaign needs an owner for each source: ${problems.join('; ')}`)
  }
  return out
}

/** The one reviewer a SEARCH campaign names (absent: each identity's manager). */
async function fixedReviewerOf(ctx: EngineContext, campaign: Campaign): Promise<string | null> {
  const ref = campaign.type === 'SEARCH' ? campaign.spec.searchCampaignInfo?.reviewer : undefined
  if (ref === undefined) return null
  const id = await findIdentityId(ctx, ref.id)
  if (id === undefined) throw new InputError(`searchCampaignInfo.reviewer: no identity "${ref.id}"`)
  return id
}

async function findIdentityId(ctx: EngineContext, idOrName: string): Promise<string | undefined> {
  return (await findIdentity(ctx.db, idOrName))?.id
}

/**
 * Holds the campaign, still PENDING, while its certifications and items are written: an administrator may
 * delete a campaign that is being generated (one left PENDING by a stopped process can only go so), and
 * what generation writes after that would belong to no campaign, never deleted.
 */
export async function holdWhileGenerated(tx: Db, campaign: Campaign): Promise<void> {
  if (!(await holdCampaign(tx, campaign.id, 'PENDING'))) throw deletedWhileGenerated(campaign)
}

export const deletedWhileGenerated = (campaign: Pick<Campaign, 'name'>): ConflictError =>
  new ConflictError(`campaign "${campaign.name}" was deleted while it was generated`)

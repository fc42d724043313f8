import { withEngine, type OpenEngine } from '../../app/open-engine.js'
import type { ItemDecision, ItemReason } from '../../domain/certifications/certification-item.js'
import { ForbiddenError, InputError } from '../../domain/errors.js'
import { capabilitiesOf } from '../../engine/auth/identity-capabilities.js'
import { describeReason } from '../../domain/plan/describe-reason.js'
import { campaignById } from '../../engine/certifications/activate-campaign.js'
import { isCampaignAdmin } from '../../engine/certifications/campaign-actor.js'
import { certificationFor } from '../../engine/certifications/certification-access.js'
import { decideItems, MAX_DECISIONS } from '../../engine/certifications/decide-items.js'
import {
  certificationItemsFor,
  listCampaignsFor,
  listCertificationsFor,
  type ReviewedItem,
} from '../../engine/certifications/list-certifications.js'
import {
  MAX_PREVIEW,
  previewRevocations,
  type RevocationPreview,
} from '../../engine/certifications/preview-revocations.js'
import { reassignCertificationTo } from '../../engine/certifications/reassign-certification.js'
import { signOffCertification } from '../../engine/certifications/sign-off.js'
import { planningSourceIds } from '../../engine/plan-identities.js'
import { findIdentity, findIdentityOrNone } from '../../engine/queries/get-identity.js'
import { formatTable, printJson } from '../print-table.js'
import { wholeNumberOption } from '../whole-number-option.js'
import { countsText, percent } from './campaign-commands.js'
import { actorOf, isoDate } from './request-commands.js'

/** Names of people by id, looked up once each; what is not an identity (an API client) stays as it is. */
function nameBook(e: OpenEngine): (id: string | null) => Promise<string> {
  const known = new Map<string, Promise<string>>()
  return (id) => {
    if (id === null) return Promise.resolve('')
    let name = known.get(id)
    if (name === undefined) {
      name = findIdentityOrNone(e, id).then((p) => p?.name ?? id)
      known.set(id, name)
    }
    return name
  }
}

/**
 * Who acts on one certification. The CLI is an administrator, and `--as` names the person recorded as
 * reading, deciding, signing off or reassigning: the certification's reviewer, or someone who administers
 * campaigns. Anyone else would be recorded as having decided what they may not (a mistyped `--as`, or one
 * reviewer's name on another's certification), so they are refused.
 */
async function actorOnCertification(
  e: OpenEngine,
  as: string | undefined,
  certificationId: string,
): Promise<Awaited<ReturnType<typeof actorOf>>> {
  const actor = await actorOf(e, as)
  if (as === undefined) return actor
  const { cert } = await certificationFor(e, actor, certificationId)
  const person = await findIdentity(e, as)
  if (cert.reviewerId === person.id) return actor
  if (isCampaignAdmin({ ...actor, capabilities: capabilitiesOf(e, person) })) return actor
  const reviewer = await findIdentityOrNone(e, cert.reviewerId)
  throw new ForbiddenError(
    `--as ${as}: certification ${cert.id} is reviewed by ${reviewer?.name ?? cert.reviewerId}, and ${person.name} ` +
      'does not administer campaigns (leave out --as to act as the administrator, recorded as the CLI)',
  )
}

/**
 * `provisio certifications [--campaign ID] [--reviewer NAME] [--as NAME]`: reviewers' certifications with
 * their progress. `--as` alone: that person's own.
 */
export async function certificationsCommand(
  workspace: string,
  o: { campaign?: string; reviewer?: string; open?: boolean; as?: string; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const actor = await actorOf(e, o.as)
    // A mistyped id would otherwise list nothing, as if the campaign had no certifications.
    if (o.campaign !== undefined) await campaignById(e, o.campaign)
    const reviewer = o.reviewer !== undefined ? await findIdentity(e, o.reviewer) : undefined
    const { certifications } = await listCertificationsFor(e, actor, {
      ...(o.campaign !== undefined ? { campaignIds: [o.campaign] } : {}),
      ...(reviewer ? { reviewerIds: [reviewer.id] } : {}),
      ...(o.open === true ? { signed: false } : {}),
      mine: o.as !== undefined && reviewer === undefined,
    })
    const campaignIds = [...new Set(certifications.map((c) => c.campaignId))]
    const campaigns = new Map(
      campaignIds.length === 0
        ? []
        : (await listCampaignsFor(e, actor, { ids: campaignIds })).campaigns.map((c) => [c.id, c]),
    )
    const name = nameBook(e)
    const rows = await Promise.all(
      certifications.map(async (c) => ({
        ...c,
        reviewerName: await name(c.reviewerId),
        campaignName: campaigns.get(c.campaignId)?.name ?? c.campaignId,
        campaignStatus: campaigns.get(c.campaignId)?.status ?? null,
      })),
    )
    if (o.json) return printJson(rows)
    process.stdout.write(
      formatTable(
        ['CERTIFICATION', 'CAMPAIGN', 'STATUS', 'REVIEWER', 'DECIDED', 'SIGNED OFF'],
        rows.map((c) => [
          c.id,
          c.campaignName,
          c.campaignStatus ?? '',
          c.reviewerName,
          `${c.itemsDecided}/${c.itemsTotal}`,
          c.signed ?? '',
        ]),
      ) + '\n',
    )
  })
}

export interface ReviewOptions {
  readonly approve?: readonly string[]
  readonly revoke?: readonly string[]
  readonly allApprove?: boolean
  readonly comment?: string
  readonly endDate?: string
  readonly preview?: boolean
  readonly limit?: string
  readonly offset?: string
  readonly as?: string
  readonly json?: boolean
}

/**
 * `provisio review CERT`: without decisions, a page of its items, each with why it is held, whether it can
 * be revoked and how common it is among the identity's peers; `--preview`, what revoking them would do;
 * `--approve`/`--revoke`/`--all-approve`, records decisions (in calls of at most 250, as the API takes them).
 */
export async function reviewCommand(
  workspace: string,
  certificationId: string,
  o: ReviewOptions,
): Promise<void> {
  const approve = o.approve ?? []
  const revoke = o.revoke ?? []
  const both = approve.filter((id) => revoke.includes(id))
  if (both.length > 0) throw new InputError(`item ${both.join(', ')}: named with both --approve and --revoke`)
  if (o.endDate !== undefined && revoke.length === 0) {
    throw new InputError('--end-date: a proposed end date goes with --revoke')
  }
  const deciding = approve.length > 0 || revoke.length > 0 || o.allApprove === true
  const limit = o.limit !== undefined ? wholeNumberOption('--limit', o.limit, 1) : MAX_PREVIEW
  const offset = o.offset !== undefined ? wholeNumberOption('--offset', o.offset) : 0
  await withEngine(workspace, async (e) => {
    const actor = await actorOnCertification(e, o.as, certificationId)
    if (o.preview === true) {
      const named = [...revoke, ...approve]
      const ids =
        named.length > 0
          ? named
          : (await certificationItemsFor(e, actor, certificationId, {}, pageOf(limit, offset))).items.map(
              (i) => i.id,
            )
      const previews: RevocationPreview[] = []
      for (let n = 0; n < ids.length; n += MAX_PREVIEW) {
        previews.push(...(await previewRevocations(e, actor, certificationId, ids.slice(n, n + MAX_PREVIEW))))
      }
      if (o.json) return printJson(previews)
      for (const p of previews) {
        process.stdout.write(`${p.itemId}  ${p.itemName}: ${p.outcome}: ${p.message}\n`)
      }
      return
    }
    if (!deciding) return listItems(e, actor, certificationId, limit, offset, o.json === true)

    const comments = o.comment !== undefined ? { comments: o.comment } : {}
    const endDate = o.endDate !== undefined ? { proposedEndDate: isoDate(o.endDate, 'end-date') } : {}
    const decisions: ItemDecision[] = [
      ...revoke.map((id) => ({ id, decision: 'REVOKE' as const, ...comments, ...endDate })),
      ...approve.map((id) => ({ id, decision: 'APPROVE' as const, ...comments })),
    ]
    if (o.allApprove === true) {
      const named = new Set([...approve, ...revoke])
      const undecided = await certificationItemsFor(e, actor, certificationId, { decided: false })
      for (const i of undecided.items) {
        if (!named.has(i.id)) decisions.push({ id: i.id, decision: 'APPROVE', ...comments })
      }
    }
    let recorded = 0
    for (let n = 0; n < decisions.length; n += MAX_DECISIONS) {
      const chunk = decisions.slice(n, n + MAX_DECISIONS)
      try {
        await decideItems(e, actor, certificationId, chunk)
      } catch (err) {
        // Each call is all or none, but calls before this one stay recorded (and can still be changed).
        if (recorded > 0) process.stderr.write(`${recorded} of ${decisions.length} decisions were recorded\n`)
        throw err
      }
      recorded += chunk.length
    }
    const after = await certificationItemsFor(e, actor, certificationId, { ids: decisions.map((d) => d.id) })
    const cert = after.certification
    if (o.json) return printJson({ certification: cert, items: after.items })
    const revoked = decisions.filter((d) => d.decision === 'REVOKE').length
    process.stdout.write(
      `certification ${cert.id}: ${decisions.length - revoked} approved, ${revoked} revoked; ` +
        `${cert.itemsDecided} of ${cert.itemsTotal} items decided\n`,
    )
    if (cert.itemsDecided === cert.itemsTotal) {
      process.stdout.write(`every item is decided: provisio sign-off ${cert.id}\n`)
    }
  })
}

function pageOf(limit: number, offset: number) {
  return {
    limit,
    offset,
    sort: [
      { field: 'identity' as const, descending: false },
      { field: 'type' as const, descending: false },
      { field: 'name' as const, descending: false },
    ],
  }
}

async function listItems(
  e: OpenEngine,
  actor: Awaited<ReturnType<typeof actorOf>>,
  certificationId: string,
  limit: number,
  offset: number,
  json: boolean,
): Promise<void> {
  const page = await certificationItemsFor(e, actor, certificationId, {}, pageOf(limit, offset))
  if (json) {
    return printJson({
      certification: page.certification,
      campaign: page.campaign,
      total: page.total,
      items: page.items,
    })
  }
  const { certification: cert, campaign } = page
  const name = nameBook(e)
  const sources = new Map([...(await planningSourceIds(e, e.config))].map(([n, id]) => [id, n]))
  process.stdout.write(
    `certification ${cert.id} "${cert.name}", reviewer ${await name(cert.reviewerId)}; campaign "${campaign.name}" ${campaign.status}` +
      `${campaign.deadline ? `, due ${campaign.deadline}` : ''}\n` +
      `${cert.itemsDecided} of ${cert.itemsTotal} items decided${cert.signed ? `, signed off ${cert.signed}` : ''}\n\n`,
  )
  for (const i of page.items) process.stdout.write(await itemText(i, sources, name))
  const last = offset + page.items.length
  process.stdout.write(
    page.total === 0
      ? 'no items\n'
      : `items ${Math.min(offset + 1, last)}–${last} of ${page.total}${last < page.total ? ` (--offset ${last} for more)` : ''}\n`,
  )
}

/** One item as a reviewer reads it: what, for whom, why held, revocable or why not, peers, decision. */
async function itemText(
  i: ReviewedItem,
  sources: ReadonlyMap<string, string>,
  name: (id: string | null) => Promise<string>,
): Promise<string> {
  const source = i.sourceId !== null ? (sources.get(i.sourceId) ?? i.sourceId) : null
  const where =
    i.itemType === 'ENTITLEMENT' && i.attribute !== null
      ? ` (${i.attribute} on ${source ?? ''}${i.nativeIdentity !== null ? `, account ${i.nativeIdentity}` : ''})`
      : i.itemType === 'ACCOUNT'
        ? ` (${source ?? ''})`
        : source !== null
          ? ` (${source})`
          : ''
  const lines = [`${i.id}  ${i.identityName}  ${i.itemType} "${i.itemName}"${where}`]
  const reasons = await Promise.all(i.reasons.map((r) => reasonText(r, name)))
  lines.push(
    reasons.length > 0
      ? `  held by: ${reasons.join('; ')}`
      : i.itemType === 'ACCOUNT'
        ? `  held by: nothing grants access on ${source ?? 'its source'} to it (an unmanaged account)`
        : `  held by: nothing grants it (unmanaged access${i.nativeIdentity !== null ? ` on account ${i.nativeIdentity}` : ''})`,
  )
  lines.push(i.revocable ? '  revocable: yes' : `  revocable: no, ${i.acknowledgeOnly ?? 'acknowledge only'}`)
  const peers = Object.entries(i.peers).map(([group, share]) => `${group} ${percent(share)}`)
  if (peers.length > 0) lines.push(`  peers holding it: ${peers.join(', ')}`)
  lines.push(
    i.decision === null
      ? '  decision: none yet'
      : `  decision: ${i.decision} by ${await name(i.decidedBy)} on ${i.decided ?? ''}` +
          `${i.proposedEndDate !== null ? `, ending ${i.proposedEndDate}` : ''}${i.comments ? `: "${i.comments}"` : ''}` +
          `${i.remediation !== null ? `; remediation ${i.remediation}${i.remediationDetail ? ` (${i.remediationDetail})` : ''}` : ''}`,
  )
  return lines.join('\n') + '\n\n'
}

/** A reason in words, an access request's with who requested and who approved it. */
async function reasonText(r: ItemReason, name: (id: string | null) => Promise<string>): Promise<string> {
  const text = describeReason(r)
  if (r.request === undefined) return text
  const approvers = await Promise.all(r.request.approvers.map(name))
  return (
    `${text}, access request ${r.request.id}` +
    `${r.request.requester !== null ? ` by ${await name(r.request.requester)}` : ''}` +
    `${approvers.length > 0 ? `, approved by ${approvers.join(', ')}` : ''}`
  )
}

/** `provisio sign-off CERT`: the decisions become final and revocations are carried out. */
export async function signOffCommand(
  workspace: string,
  certificationId: string,
  o: { as?: string; wait?: boolean; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const { cert, remediation, queued } = await signOffCertification(
      e,
      await actorOnCertification(e, o.as, certificationId),
      certificationId,
      {
        wait: o.wait !== false,
      },
    )
    const campaign = await campaignById(e, cert.campaignId)
    if (o.json) return printJson({ certification: cert, remediation, queued, campaign })
    process.stdout.write(
      `signed off certification ${cert.id}; remediation: ${queued ? 'queued' : countsText(remediation)}\n` +
        `campaign ${campaign.id} "${campaign.name}": ${campaign.status}\n`,
    )
  })
}

/** `provisio reassign CERT --to NAME --reason TEXT [--item ID…] [--identity NAME…]`: another reviewer. */
export async function reassignCommand(
  workspace: string,
  certificationId: string,
  o: {
    to: string
    reason: string
    item?: readonly string[]
    identity?: readonly string[]
    as?: string
    json?: boolean
  },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const identityIds =
      o.identity !== undefined
        ? await Promise.all(o.identity.map(async (n) => (await findIdentity(e, n)).id))
        : undefined
    const actor = await actorOnCertification(e, o.as, certificationId)
    const moved = await reassignCertificationTo(e, actor, certificationId, {
      to: o.to,
      reason: o.reason,
      ...(o.item !== undefined ? { itemIds: o.item } : {}),
      ...(identityIds !== undefined ? { identityIds } : {}),
    })
    if (o.json) return printJson(moved)
    const to = await findIdentity(e, moved.to.reviewerId)
    process.stdout.write(
      moved.from.id === moved.to.id
        ? `certification ${moved.to.id} (${moved.items} items) is now reviewed by ${to.name}\n`
        : `${moved.items} items of certification ${moved.from.id} moved to ${to.name}'s certification ${moved.to.id}\n`,
    )
  })
}

import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { withEngine, type OpenEngine } from '../../app/open-engine.js'
import {
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignStatus,
  type Decision,
} from '../../domain/certifications/campaign.js'
import { InputError } from '../../domain/errors.js'
import { activateCampaign } from '../../engine/certifications/activate-campaign.js'
import {
  campaignProgress,
  campaignReport,
  decisionsCsv,
  reviewersCsv,
  type CampaignProgress,
  type CampaignReport,
} from '../../engine/certifications/campaign-report.js'
import { completeCampaign } from '../../engine/certifications/complete-campaign.js'
import { createCampaign, parseCampaignSpec } from '../../engine/certifications/create-campaign.js'
import { listCampaignsFor } from '../../engine/certifications/list-certifications.js'
import { findIdentity } from '../../engine/queries/get-identity.js'
import { formatTable, printJson } from '../print-table.js'
import { actorOf, isoDate } from './request-commands.js'
import { readDataFile } from './workspace-commands.js'

export interface CampaignCreateOptions {
  readonly name?: string
  readonly description?: string
  readonly type?: string
  readonly deadline?: string
  readonly source?: readonly string[]
  readonly query?: string
  readonly identity?: readonly string[]
  readonly reviewer?: string
  readonly role?: readonly string[]
  readonly remediator?: string
  readonly owner?: string
  readonly autoComplete?: string
  readonly as?: string
  readonly json?: boolean
}

/**
 * `provisio campaign create [FILE] [--name … --type …]`: a campaign from a file (the API's body, YAML or
 * JSON) or from options, options over the file's fields; generated at once, STAGED until activated.
 */
export async function campaignCreateCommand(
  workspace: string,
  file: string | undefined,
  o: CampaignCreateOptions,
): Promise<void> {
  const raw = file !== undefined ? await readDataFile(file) : {}
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(`${file ?? 'campaign'}: not a campaign (an object with name, type, …)`)
  }
  if (file === undefined && (o.name === undefined || o.type === undefined)) {
    throw new InputError('--name and --type: name the campaign and its type, or give a campaign file')
  }
  await withEngine(workspace, async (e) => {
    const input = await withOptions(e, raw as Record<string, unknown>, o)
    // Checked here too, so that a misspelled field is reported with the file it is in.
    const where = file === undefined ? 'campaign' : `${file}: campaign`
    parseCampaignSpec(
      input,
      optionsGiven(o) && file !== undefined ? `${file} (with the options): campaign` : where,
    )
    const { campaign, generated } = await createCampaign(e, await actorOf(e, o.as), input)
    if (o.json) printJson({ campaign, generated })
    else {
      process.stdout.write(
        `campaign ${campaign.id} "${campaign.name}" ${campaign.type}: ${campaign.status}\n`,
      )
      if (generated !== null) {
        process.stdout.write(
          `  ${generated.certifications} certifications, ${generated.items} items for ${generated.identities} identities\n`,
        )
        if (generated.skipped.length > 0) {
          process.stdout.write(`  ${generated.skipped.length} identities not reviewed:\n`)
          for (const s of generated.skipped) process.stdout.write(`    ${s}\n`)
        }
        process.stdout.write(
          `  reviewers are told once it is activated: provisio campaign activate ${campaign.id}\n`,
        )
      }
    }
    if (campaign.status === 'ERROR') {
      // Kept, with the reason, so that it can be read and deleted; the command still failed.
      throw new Error(`campaign ${campaign.id} could not be generated: ${campaign.error ?? 'unknown reason'}`)
    }
  })
}

function optionsGiven(o: CampaignCreateOptions): boolean {
  return [
    o.name,
    o.description,
    o.type,
    o.deadline,
    o.source,
    o.query,
    o.identity,
    o.reviewer,
    o.role,
    o.remediator,
    o.owner,
    o.autoComplete,
  ].some((v) => v !== undefined)
}

/** The file's fields with the options over them; people named by the options become identity ids. */
async function withOptions(
  e: OpenEngine,
  raw: Record<string, unknown>,
  o: CampaignCreateOptions,
): Promise<Record<string, unknown>> {
  const idOf = async (name: string): Promise<string> => (await findIdentity(e, name)).id
  const out: Record<string, unknown> = { ...raw }
  if (o.name !== undefined) out['name'] = o.name
  if (o.description !== undefined) out['description'] = o.description
  if (o.type !== undefined) out['type'] = o.type.toUpperCase()
  if (o.deadline !== undefined) out['deadline'] = isoDate(o.deadline, 'deadline')
  if (o.autoComplete !== undefined) out['autoCompleteAction'] = o.autoComplete.toUpperCase()
  if (o.owner !== undefined) out['ownerRef'] = { type: 'IDENTITY', id: await idOf(o.owner) }
  // Sources are named as the engine takes them: by name or id.
  if (o.source !== undefined) out['sourceOwnerCampaignInfo'] = { sourceIds: [...o.source] }
  // A role composition campaign takes the query and the reviewer in its own info, with its roles.
  const composition = String(out['type']) === 'ROLE_COMPOSITION'
  if (composition && o.identity !== undefined) {
    throw new InputError(
      '--identity names the identities of a SEARCH campaign, not of a ROLE_COMPOSITION one',
    )
  }
  if (!composition && (o.role !== undefined || o.remediator !== undefined)) {
    throw new InputError(
      '--role and --remediator are for a ROLE_COMPOSITION campaign (--type ROLE_COMPOSITION)',
    )
  }
  if (composition) {
    if (
      o.query === undefined &&
      o.reviewer === undefined &&
      o.role === undefined &&
      o.remediator === undefined
    ) {
      return out
    }
    const info = {
      ...(isObject(raw['roleCompositionCampaignInfo']) ? raw['roleCompositionCampaignInfo'] : {}),
    }
    if (o.query !== undefined) info['query'] = o.query
    if (o.role !== undefined) info['roleIds'] = [...o.role]
    if (o.reviewer !== undefined) info['reviewer'] = { type: 'IDENTITY', id: await idOf(o.reviewer) }
    if (o.remediator !== undefined) {
      info['remediatorRef'] = { type: 'IDENTITY', id: await idOf(o.remediator) }
    }
    out['roleCompositionCampaignInfo'] = info
    return out
  }
  if (o.query !== undefined || o.identity !== undefined || o.reviewer !== undefined) {
    // Said in the options' words: the engine would name searchCampaignInfo, which the command line never wrote.
    if (String(out['type']) !== 'SEARCH') {
      throw new InputError(
        `--identity, --query and --reviewer choose whom a SEARCH campaign reviews, and this one is ${String(out['type'])} (--type SEARCH)`,
      )
    }
    const info = { ...(isObject(raw['searchCampaignInfo']) ? raw['searchCampaignInfo'] : {}) }
    if (o.query !== undefined) info['query'] = o.query
    if (o.identity !== undefined) info['identityIds'] = await Promise.all(o.identity.map(idOf))
    if (o.reviewer !== undefined) info['reviewer'] = { type: 'IDENTITY', id: await idOf(o.reviewer) }
    out['searchCampaignInfo'] = info
  }
  return out
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** `provisio campaign activate ID`: reviewers may decide from now on, and are told. */
export async function campaignActivateCommand(
  workspace: string,
  id: string,
  o: { as?: string; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const campaign = await activateCampaign(e, await actorOf(e, o.as), id)
    if (o.json) return printJson(campaign)
    process.stdout.write(
      `campaign ${campaign.id} "${campaign.name}": ${campaign.status}${campaign.deadline ? `, due ${campaign.deadline}` : ''}\n`,
    )
  })
}

/** `provisio campaign status [ID]`: every campaign, or one with its progress by reviewer and remediation. */
export async function campaignStatusCommand(
  workspace: string,
  id: string | undefined,
  o: { status?: string; as?: string; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const actor = await actorOf(e, o.as)
    if (id === undefined) {
      const statuses = o.status !== undefined ? [statusOption(o.status)] : undefined
      const { campaigns } = await listCampaignsFor(e, actor, statuses ? { statuses } : {}, {
        sort: [{ field: 'created', descending: true }],
      })
      if (o.json) return printJson(campaigns)
      process.stdout.write(
        formatTable(
          ['CAMPAIGN', 'NAME', 'TYPE', 'STATUS', 'DEADLINE', 'ITEMS'],
          campaigns.map((c) => [c.id, c.name, c.type, c.status, c.deadline ?? '', String(c.itemsTotal)]),
        ) + '\n',
      )
      return
    }
    const progress = await campaignProgress(e, actor, id)
    if (o.json) return printJson(progress)
    process.stdout.write(statusText(progress, e.now()))
  })
}

function statusOption(text: string): CampaignStatus {
  const status = text.toUpperCase()
  if (!(CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
    throw new InputError(`--status: "${text}" is not one of ${CAMPAIGN_STATUSES.join(', ')}`)
  }
  return status as CampaignStatus
}

function statusText(report: CampaignProgress, now: Date): string {
  const c = report.campaign
  const items = report.reviewers.reduce((n, r) => n + r.items, 0)
  const decided = report.reviewers.reduce((n, r) => n + r.decided, 0)
  const signed = report.reviewers.filter((r) => r.signed !== null).length
  const lines = [
    `campaign ${c.id} "${c.name}" ${c.type}: ${c.status}`,
    `deadline: ${deadlineText(c, now)}`,
    `progress: ${decided} of ${items} items decided (${percent(items === 0 ? 1 : decided / items)}), ` +
      `${signed} of ${report.reviewers.length} certifications signed off`,
  ]
  if (c.autoCompletedWith !== null) {
    lines.push(`completed past due: undecided items got ${c.autoCompletedWith}`)
  }
  if (c.error !== null) lines.push(`error: ${c.error}`)
  lines.push(`remediation: ${countsText(report.remediation)}`, '')
  lines.push(reviewerTable(report))
  return lines.join('\n') + '\n'
}

function deadlineText(c: Campaign, now: Date): string {
  if (c.deadline === null) return 'none'
  const open = c.status === 'ACTIVE' || c.status === 'STAGED'
  return `${c.deadline}${open && Date.parse(c.deadline) <= now.getTime() ? ' (past due)' : ''}`
}

function reviewerTable(report: CampaignProgress): string {
  return formatTable(
    ['CERTIFICATION', 'REVIEWER', 'DECIDED', 'APPROVED', 'REVOKED', 'SIGNED OFF', 'REASSIGNED FROM'],
    report.reviewers.map((r) => [
      r.certificationId,
      r.reviewerName,
      `${r.decided}/${r.items}`,
      String(r.approved),
      String(r.revoked),
      r.signed ?? '',
      r.reassignedFrom ?? '',
    ]),
  )
}

/** Counts by outcome, as `DONE 2, PENDING 1`; `none` when there are none. */
export function countsText(counts: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(counts).flatMap(([k, n]) => (n ? [`${k} ${n}`] : []))
  return parts.length > 0 ? parts.join(', ') : 'none'
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** `provisio campaign complete ID [--decision APPROVE|REVOKE]`: completes a signed-off or past-due campaign. */
export async function campaignCompleteCommand(
  workspace: string,
  id: string,
  o: { decision?: string; as?: string; json?: boolean },
): Promise<void> {
  await withEngine(workspace, async (e) => {
    const decision = o.decision !== undefined ? decisionOption(o.decision) : undefined
    const done = await completeCampaign(e, await actorOf(e, o.as), id, decision)
    if (o.json) return printJson(done)
    const c = done.campaign
    process.stdout.write(
      `campaign ${c.id} "${c.name}": ${c.status}; ${done.decided} items decided ${decision ?? 'APPROVE'} by the completion, ` +
        `${done.signed} certifications signed off; remediation: ${countsText(done.remediation)}\n`,
    )
  })
}

export function decisionOption(text: string, option = '--decision'): Decision {
  const d = text.toUpperCase()
  if (d !== 'APPROVE' && d !== 'REVOKE') throw new InputError(`${option}: "${text}" is not APPROVE or REVOKE`)
  return d
}

/** `provisio campaign report ID [--csv decisions|reviewers] [--out FILE]`: the campaign's report. */
export async function campaignReportCommand(
  workspace: string,
  id: string,
  o: { csv?: string | boolean; out?: string; as?: string; json?: boolean },
): Promise<void> {
  // `--csv` alone means the decisions, one row per item.
  const part = o.csv === undefined || o.csv === false ? null : o.csv === true ? 'decisions' : o.csv
  if (part !== null && part !== 'decisions' && part !== 'reviewers') {
    throw new InputError(`--csv: "${part}" is not decisions or reviewers`)
  }
  if (part !== null && o.json) throw new InputError('--csv and --json: choose one')
  await withEngine(workspace, async (e) => {
    const actor = await actorOf(e, o.as)
    if (part !== null) {
      // A CSV is written as its items are read: a campaign of a million items is never in memory whole.
      const progress = await campaignProgress(e, actor, id)
      await writeOut(
        o.out,
        part === 'reviewers' ? [reviewersCsv(progress)] : decisionsCsv(e, progress.campaign),
      )
      if (o.out !== undefined) {
        const rows =
          part === 'reviewers'
            ? progress.reviewers.length
            : progress.reviewers.reduce((n, r) => n + r.items, 0)
        process.stdout.write(`report of campaign ${id} written to ${o.out} (${rows} ${part})\n`)
      }
      return
    }
    const report = await campaignReport(e, actor, id)
    await writeOut(o.out, [o.json ? JSON.stringify(report, null, 2) + '\n' : reportText(report, e.now())])
    if (o.out !== undefined) {
      process.stdout.write(
        `report of campaign ${report.campaign.id} written to ${o.out} (${report.decisions.length} decisions)\n`,
      )
    }
  })
}

/** Why a file cannot be written, in the user's words, for the errors a mistyped path gives. */
const UNWRITABLE: Readonly<Record<string, string>> = {
  EISDIR: 'it is a folder (name a file in it)',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of it is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
}

/** Writes the file `--out` names: one that cannot be written is a mistake of the command line, said so. */
/** Writes text given in parts to a file, or to standard output without `--out`, as the parts come. */
async function writeOut(
  path: string | undefined,
  parts: Iterable<string> | AsyncIterable<string>,
): Promise<void> {
  if (path === undefined) {
    for await (const part of parts) {
      if (!process.stdout.write(part)) await once(process.stdout, 'drain')
    }
    return
  }
  try {
    await pipeline(Readable.from(parts), createWriteStream(path))
  } catch (err) {
    // The file's errors are the user's to mend; reading the report's items may fail otherwise.
    const { code, syscall } = err as NodeJS.ErrnoException
    if (syscall === undefined) throw err
    throw new InputError(`--out: cannot write ${path}: ${UNWRITABLE[code ?? ''] ?? (err as Error).message}`)
  }
}

function reportText(report: CampaignReport, now: Date): string {
  const decisions = formatTable(
    ['IDENTITY', 'TYPE', 'ITEM', 'DECISION', 'BY', 'DECIDED', 'COMMENT', 'REMEDIATION'],
    report.decisions.map((d) => [
      d.identityName,
      d.itemType,
      d.item,
      d.decision ?? '',
      d.decidedBy ?? '',
      d.decided ?? '',
      d.comments ?? '',
      d.remediation === null
        ? ''
        : `${d.remediation}${d.remediationDetail !== null ? `: ${d.remediationDetail}` : ''}`,
    ]),
  )
  return `${statusText(report, now)}\n${decisions}\n`
}

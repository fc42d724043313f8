import { isRecordFileReader, type RowError } from '../connectors/connector.js'
import { diffAccounts } from '../domain/aggregation/diff-accounts.js'
import {
  printable,
  unstorableAttribute,
  unstorableText,
  wellFormed,
} from '../domain/aggregation/unstorable-text.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { accountEntitlements, type HeldEntitlement } from '../domain/config/account-entitlements.js'
import { entitlementAttributesOf, findSource } from '../domain/config/workspace-config.js'
import { InputError, NotFoundError, ProvisioError, SystemError } from '../domain/errors.js'
import { emptyCounts, type RunCounts, type SourceAccount } from '../domain/model.js'
import { newId } from '../domain/new-id.js'
import {
  countUncorrelated,
  deleteAccounts,
  insertAccounts,
  loadAccountRefs,
  updateAccounts,
} from '../store/account-aggregation.js'
import { analyze } from '../store/db.js'
import { addEntitlements } from '../store/entitlements.js'
import { enqueueIdentities } from '../store/queues.js'
import { recordRun } from '../store/runs.js'
import { ensureSource, markAggregated } from '../store/sources.js'
import { toSourceAccount } from './connector-accounts.js'
import { correlateUncorrelated, correlatorFor, withdrawOvertaken } from './correlate-accounts.js'
import { verifyCommitted } from './manual-tasks.js'
import type { EngineContext } from './engine-context.js'
import { phaseTimer } from './phase-timer.js'
import { sourceConnector } from './source-connector.js'

export interface AggregateResult {
  readonly source: string
  readonly file: string
  readonly accounts: RunCounts
  readonly rowErrors: readonly RowError[]
  readonly entitlementsDiscovered: number
  readonly correlated: number
  readonly uncorrelated: number
  /**
   * Pending Create requests (and manual create tasks) withdrawn because the identity's account is now
   * on the source: carrying them out would have made a duplicate.
   */
  readonly withdrawn: number
  /** Manually done requests the aggregated accounts confirm (FINISHED) or contradict (UNVERIFIABLE). */
  readonly verified: { readonly finished: number; readonly unverifiable: number }
  /** Reading, storing and correlating the accounts. */
  readonly aggregatedMs: number
  readonly durationMs: number
  /** Milliseconds per phase (read, diff, correlate, write, …). */
  readonly phases: Readonly<Record<string, number>>
}

/**
 * Aggregates a source: reads its accounts, stores what changed, discovers entitlements, correlates
 * accounts to identities, and queues the identities whose inputs changed. It ends with its own
 * transaction: processing those identities is the caller's next step (aggregateThenProcess). Nothing is
 * written when the delete threshold would be exceeded.
 */
export async function aggregateSource(
  ctx: EngineContext,
  sourceName: string,
  options: { file?: string } = {},
): Promise<AggregateResult> {
  const started = ctx.now()
  const t0 = performance.now()
  const source = findSource(ctx.config, sourceName)
  if (!source) throw new NotFoundError(`no source named "${sourceName}"`)
  const timer = phaseTimer()
  const read = await readAccounts(ctx, source, options.file)
  ctx.progress?.('read', read.accounts.length, read.accounts.length)
  timer.lap('read')

  const { db } = ctx
  const sourceId = await ensureSource(db, source.name, source.id)
  const stored = await loadAccountRefs(db, sourceId)
  // An account whose row could not be read is kept as it is: a typo must not delete it.
  for (const e of read.errors) {
    if (e.nativeIdentity !== undefined) stored.delete(e.nativeIdentity)
    for (const id of e.otherIds ?? []) stored.delete(id)
  }
  const diff = diffAccounts(read.accounts, stored, source.deleteThreshold, source.name)
  timer.lap('diff')

  const correlator = diff.created.length > 0 ? await correlatorFor(db, source) : null
  const now = ctx.now()
  let correlated = 0
  const taken = new Set<string>()
  timer.lap('correlate')
  const entitlementValues = [...collectEntitlements(source, read.accounts), ...read.entitlements]
  timer.lap('entitlements')
  const stats = await db.transaction(async (tx) => {
    const rows = diff.created.map(({ account: a, hash, attributesJson }) => {
      let identityId = correlator?.correlate(a.attributes) ?? null
      if (identityId !== null && source.authoritative && taken.has(identityId)) identityId = null
      if (identityId !== null) {
        correlated++
        taken.add(identityId)
      }
      // Each new authoritative account is an identity: its id is given now, and identity processing creates it.
      if (identityId === null && source.authoritative) identityId = newId()
      return {
        id: newId(),
        sourceId,
        nativeIdentity: a.nativeIdentity,
        displayName: a.displayName,
        identityId,
        authoritative: source.authoritative,
        attributesJson,
        hash,
        disabled: a.disabled ?? false,
        locked: a.locked ?? false,
      }
    })
    timer.lap('correlate')
    await insertAccounts(tx, rows)
    timer.lap('write')
    ctx.progress?.('write', rows.length, diff.created.length + diff.updated.length)
    await updateAccounts(
      tx,
      diff.updated.map((u) => ({
        id: u.id,
        displayName: u.account.displayName,
        attributesJson: u.attributesJson,
        hash: u.hash,
        disabled: u.account.disabled ?? false,
        locked: u.account.locked ?? false,
      })),
      now,
    )
    await deleteAccounts(
      tx,
      diff.deleted.map((d) => d.id),
    )
    // The owners of what changed are what an incremental refresh looks at.
    await enqueueIdentities(tx, [
      ...rows.map((r) => r.identityId),
      ...diff.updated.map((u) => u.identityId),
      ...diff.deleted.map((d) => d.identityId),
    ])
    timer.lap('write')
    const discovered = await addEntitlements(tx, sourceId, entitlementValues)
    timer.lap('entitlements')
    // Accounts that were already stored but matched nobody may match identities created since.
    if (!source.authoritative) correlated += await correlateUncorrelated(tx, source, sourceId, undefined, now)
    timer.lap('correlate')
    // Creates still waiting for identities that now have an account here (correlated now or before).
    const withdrawn = await withdrawOvertaken(tx, sourceId, now)
    timer.lap('withdraw')
    await markAggregated(tx, sourceId, now)
    timer.lap('write')
    return { discovered, withdrawn }
  })
  if (diff.created.length + diff.deleted.length + diff.updated.length > 1000) await analyze(db, 'accounts')
  timer.lap('commit')
  const uncorrelated = source.authoritative ? 0 : await countUncorrelated(db, sourceId)
  timer.lap('count')
  const verified = await verifyCommitted(ctx, sourceId)
  timer.lap('verify')
  const aggregatedMs = performance.now() - t0
  const accounts: RunCounts = {
    ...emptyCounts(),
    created: diff.created.length,
    updated: diff.updated.length,
    unchanged: diff.unchanged,
    deleted: diff.deleted.length,
    errors: read.errors.length,
  }
  const result: AggregateResult = {
    source: source.name,
    file: read.file,
    accounts,
    rowErrors: read.errors,
    entitlementsDiscovered: stats.discovered,
    correlated,
    uncorrelated,
    withdrawn: stats.withdrawn,
    verified,
    aggregatedMs,
    durationMs: performance.now() - t0,
    phases: timer.phases,
  }
  await recordRun(db, {
    kind: 'aggregate',
    sourceId,
    started,
    finished: ctx.now(),
    status: read.errors.length > 0 ? 'WARNING' : 'SUCCESS',
    stats: {
      accounts,
      entitlementsDiscovered: stats.discovered,
      correlated,
      uncorrelated,
      withdrawn: stats.withdrawn,
    },
    // The record is jsonb, which refuses what the refused rows were refused for.
    errors: read.errors.map(storableRowError),
  })
  return result
}

async function readAccounts(
  ctx: EngineContext,
  source: SourceConfig,
  file: string | undefined,
): Promise<{
  file: string
  accounts: SourceAccount[]
  errors: RowError[]
  entitlements: ListedEntitlement[]
}> {
  const connector = sourceConnector(ctx, source)
  try {
    // A file is read whole, with the rows it could not read; another file may be given instead.
    if (isRecordFileReader(connector)) return { ...(await connector.readRecordFile(file)), entitlements: [] }
    if (file !== undefined) {
      throw new InputError(`source "${source.name}" is read by its connector, not from a file`)
    }
    const accounts: SourceAccount[] = []
    const errors: RowError[] = []
    let position = 0
    for await (const a of connector.listAccounts()) {
      position++
      const account = toSourceAccount(source, a)
      // A value the store cannot hold is this account's error: the account is kept as it was.
      const problem = unstorableAccount(account)
      if (problem === undefined) accounts.push(account)
      else errors.push(accountError(position, account.nativeIdentity, problem))
    }
    // Groups nobody holds yet exist too, and the system knows their names.
    const entitlements: ListedEntitlement[] = []
    position = 0
    for await (const e of connector.listEntitlements()) {
      // An empty value is no entitlement (as in an account's attributes, see schemaAttributes).
      if (e.value.trim() === '') continue
      position++
      const problem = [e.attribute, e.value, e.displayName ?? '']
        .map((t) => unstorableText(t))
        .find((p) => p !== undefined)
      if (problem !== undefined) {
        errors.push({
          line: position,
          message: `entitlement ${JSON.stringify(e.value)} of "${printable(e.attribute)}" ${problem}, which the store cannot hold`,
        })
        continue
      }
      entitlements.push({
        attribute: e.attribute,
        value: e.value,
        ...(e.displayName !== undefined ? { displayName: e.displayName } : {}),
      })
    }
    return { file: `${source.connector}:${source.name}`, accounts, errors, entitlements }
  } catch (err) {
    // Whatever the system threw is its failure, not a bug of Provisio (exit code 7, docs/operations.md).
    throw err instanceof ProvisioError ? err : new SystemError(source.name, err)
  } finally {
    await connector.close()
  }
}

/** The attribute, id or name of a connector's account that the store cannot hold, with why. */
function unstorableAccount(account: SourceAccount): string | undefined {
  const id = unstorableText(account.nativeIdentity)
  if (id !== undefined) return `its id ${id}`
  const name = account.displayName === null ? undefined : unstorableText(account.displayName)
  if (name !== undefined) return `its display name ${name}`
  const bad = unstorableAttribute(account.attributes)
  return bad === undefined ? undefined : `attribute "${printable(bad.attribute)}" ${bad.problem}`
}

function accountError(position: number, nativeIdentity: string, problem: string): RowError {
  // A lone surrogate in the id reaches the store as U+FFFD (the driver encodes UTF-8): that is the id kept.
  // A NUL cannot be in any stored id, so there is nothing to keep.
  const kept = nativeIdentity.includes('\u0000') ? undefined : wellFormed(nativeIdentity)
  return {
    line: position,
    message: `account ${JSON.stringify(nativeIdentity)}: ${problem}, which the store cannot hold`,
    ...(kept !== undefined ? { nativeIdentity: kept } : {}),
  }
}

/** A row error as the run's record (jsonb) can hold it. */
function storableRowError(e: RowError): RowError {
  const text = (t: string) => (unstorableText(t) === undefined ? t : printable(t))
  return {
    ...e,
    message: text(e.message),
    ...(e.nativeIdentity !== undefined ? { nativeIdentity: text(e.nativeIdentity) } : {}),
    ...(e.otherIds !== undefined ? { otherIds: e.otherIds.map(text) } : {}),
  }
}

/** An entitlement a connector lists, with the name the system gives it. */
interface ListedEntitlement {
  readonly attribute: string
  readonly value: string
  readonly displayName?: string
}

/** Every distinct value of the schema's entitlement attributes, across the accounts read. */
function collectEntitlements(
  source: SourceConfig,
  accounts: readonly SourceAccount[],
): { attribute: string; value: string }[] {
  const attributes = entitlementAttributesOf(source)
  const seen = new Map<string, HeldEntitlement>()
  for (const a of accounts) {
    for (const e of accountEntitlements(attributes, a.attributes)) {
      seen.set(`${e.attribute}\u0000${e.value}`, e)
    }
  }
  return [...seen.values()]
}

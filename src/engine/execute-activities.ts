import { setTimeout as sleep } from 'node:timers/promises'
import {
  type AttributeChange,
  type Attributes,
  type Connector,
  type ConnectorAccount,
} from '../connectors/connector.js'
import { Correlator } from '../domain/aggregation/correlator.js'
import { hashAccount } from '../domain/aggregation/diff-accounts.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { isEmptyTransform } from '../domain/config/provisioning-policy-schema.js'
import { coerceError, ConnectorError } from '../domain/errors.js'
import {
  afterFailure,
  unappliedItems,
  type ActivityError,
  type ActivityItem,
} from '../domain/execution/account-activity.js'
import { classifyError } from '../domain/execution/classify-error.js'
import { resolveRetryPolicy } from '../domain/execution/retry-policy.js'
import { compileTransform } from '../domain/transforms/compile-transform.js'
import type { TransformDefinition } from '../domain/transforms/transform-types.js'
import {
  removeAccounts,
  saveProvisionedAccounts,
  type ProvisionedAccount,
} from '../store/account-provisioning.js'
import {
  claimDue,
  recordOutcomes,
  renewLeases,
  sourcesWithDueActivities,
  type ActivityOutcome,
  type ClaimedActivity,
} from '../store/activity-claims.js'
import { loadIdentityAttributesById } from '../store/identities.js'
import { enqueueIdentities } from '../store/queues.js'
import { listSourceRows } from '../store/sources.js'
import { vacuumIfChurned } from '../store/db.js'
import { insertWorkItems } from '../store/work-items.js'
import { storableAccount, storedAttributes, toSourceAccount } from './connector-accounts.js'
import type { EngineContext } from './engine-context.js'
import { taskSecretsSealer } from './manual-tasks.js'
import { isManualSource, sourceConnector } from './source-connector.js'

export interface ExecuteOptions {
  /** Only these sources (by name); default: every source with activities due. */
  readonly sources?: readonly string[]
  /** How long a claim is held before another worker may take the activity over (default 60 s). */
  readonly leaseSeconds?: number
}

export interface ExecuteResult {
  /** Attempts made (a retried activity counts each attempt). */
  readonly attempts: number
  readonly finished: number
  readonly failed: number
  readonly retrying: number
  /** Activities handed to a person as manual work items. */
  readonly manual: number
  /** Sources that could not be worked on (their connector could not be built), with why. */
  readonly sourceErrors: readonly { readonly source: string; readonly message: string }[]
}

/**
 * The executor: works through every due account activity until none is left, source by source (in
 * parallel), each source at most `concurrency` at a time across every worker. Direct sources call their
 * connector; flat-file sources get a manual work item for their owner. Every attempt's outcome is data:
 * FINISHED, RETRY at the time the process type's retry policy says, or FAILED with the system's message.
 */
export async function executeDue(ctx: EngineContext, options: ExecuteOptions = {}): Promise<ExecuteResult> {
  const rows = await listSourceRows(ctx.db)
  const configured = new Map(ctx.config.sources.map(({ value: s }) => [s.name, s]))
  const due = new Set(await sourcesWithDueActivities(ctx.db, ctx.now()))
  const totals = { attempts: 0, finished: 0, failed: 0, retrying: 0, manual: 0 }
  const sourceErrors: { source: string; message: string }[] = []
  // After a large run, the executors' index is cleaned and the planner's statistics brought up to date.
  const maintain = async (): Promise<void> =>
    vacuumIfChurned(ctx.db, 'activities', totals.attempts + totals.manual)
  await Promise.all(
    rows
      .filter((r) => due.has(r.id) && (options.sources === undefined || options.sources.includes(r.name)))
      .map(async (row) => {
        const source = configured.get(row.name)
        if (!source) return
        try {
          const counts = await executeSource(ctx, source, row.id, options)
          for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += counts[k]
        } catch (err) {
          sourceErrors.push({ source: row.name, message: coerceError(err).message })
        }
      }),
  )
  await maintain()
  return { ...totals, sourceErrors }
}

/** How long a worker waits when other workers hold all of a source's slots. */
const SATURATED_WAIT_MS = 20
const SATURATED_WAITS = 100

type Counts = { attempts: number; finished: number; failed: number; retrying: number; manual: number }

async function executeSource(
  ctx: EngineContext,
  source: SourceConfig,
  sourceId: string,
  options: ExecuteOptions,
): Promise<Counts> {
  const counts: Counts = { attempts: 0, finished: 0, failed: 0, retrying: 0, manual: 0 }
  const leaseMs = (options.leaseSeconds ?? 60) * 1000
  if (isManualSource(ctx, source)) {
    counts.manual = await createManualTasks(ctx, source, sourceId, leaseMs)
    return counts
  }
  const connector = sourceConnector(ctx, source)
  const run = new SourceRun(ctx, source, sourceId, connector)
  try {
    // Waves: claim what the concurrency limit allows, run them together, record them together.
    let waits = 0
    for (;;) {
      const now = ctx.now()
      const { claimed, saturated } = await claimDue(ctx.db, {
        sourceId,
        concurrency: source.concurrency,
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
      })
      if (claimed.length === 0) {
        // Other workers hold every slot of this source: wait a while for one to free up rather than
        // leave (the next job comes back anyway, so a worker whose peers are all stuck gives up).
        if (saturated && ++waits <= SATURATED_WAITS) {
          await sleep(SATURATED_WAIT_MS)
          continue
        }
        break
      }
      waits = 0
      const renew = setInterval(() => {
        const until = new Date(ctx.now().getTime() + leaseMs)
        renewLeases(
          ctx.db,
          claimed.map((a) => a.id),
          until,
        ).catch(() => undefined)
      }, leaseMs / 3)
      let results: AttemptResult[]
      try {
        results = await Promise.all(claimed.map((a) => run.attempt(a)))
      } finally {
        clearInterval(renew)
      }
      await record(ctx, results)
      counts.attempts += results.length
      for (const r of results) {
        if (r.outcome.status === 'FINISHED') counts.finished++
        else if (r.outcome.status === 'FAILED') counts.failed++
        else if (r.outcome.status === 'RETRY') counts.retrying++
      }
    }
  } finally {
    await connector.close()
  }
  return counts
}

interface AttemptResult {
  readonly outcome: ActivityOutcome
  readonly saved?: ProvisionedAccount
  readonly removed?: { readonly sourceId: string; readonly nativeIdentity: string }
  /** The identity is planned again (its account turned out missing). */
  readonly replan?: string
}

/** One wave's outcomes, the accounts they changed, and who must be planned again: together or not at all. */
async function record(ctx: EngineContext, results: readonly AttemptResult[]): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await recordOutcomes(
      tx,
      results.map((r) => r.outcome),
      ctx.now(),
    )
    await saveProvisionedAccounts(
      tx,
      results.flatMap((r) => (r.saved ? [r.saved] : [])),
    )
    await removeAccounts(
      tx,
      results.flatMap((r) => (r.removed ? [r.removed] : [])),
    )
    await enqueueIdentities(
      tx,
      results.flatMap((r) => (r.replan ? [r.replan] : [])),
      ['plan'],
    )
  })
}

/** Executing one source's activities against its connector. */
class SourceRun {
  private readonly retryable: readonly string[]
  private readonly identities = new Map<string, Readonly<Record<string, unknown>>>()

  constructor(
    private readonly ctx: EngineContext,
    private readonly source: SourceConfig,
    private readonly sourceId: string,
    private readonly connector: Connector,
  ) {
    const patterns = source.connectorAttributes['retryableErrors']
    this.retryable = Array.isArray(patterns) ? patterns.filter((p): p is string => typeof p === 'string') : []
  }

  async attempt(a: ClaimedActivity): Promise<AttemptResult> {
    try {
      return await this.execute(a)
    } catch (err) {
      return this.failed(a, err)
    }
  }

  private async execute(a: ClaimedActivity): Promise<AttemptResult> {
    const c = this.connector
    const id = a.nativeIdentity
    // In doubt: an earlier worker died while executing it, so it may have reached the system. Read back
    // first, and apply only what the account does not show yet: nothing is done twice.
    const current = a.inDoubt && id !== null ? await this.readIfExists(id) : undefined
    switch (a.operation) {
      case 'Create': {
        if (current) {
          return this.done(a, current)
        }
        const attributes = await this.createAttributes(a)
        return this.done(a, await c.createAccount(id, attributes))
      }
      case 'Modify': {
        const target = required(id)
        const items = current ? unappliedItems(current, a.items) : a.items
        if (current && items.length === 0) {
          return this.done(a, { ...current, nativeIdentity: target })
        }
        const changes: AttributeChange[] = items.map((i) => ({
          op: i.operation,
          attribute: i.attribute,
          value: i.value,
        }))
        const updated = await c.updateAccount(target, changes)
        return this.done(a, { ...updated, nativeIdentity: target })
      }
      case 'Enable':
      case 'Disable': {
        const target = required(id)
        const wantDisabled = a.operation === 'Disable'
        if (current && (current.disabled ?? false) === wantDisabled) {
          return this.done(a, { ...current, nativeIdentity: target, disabled: wantDisabled })
        }
        const after = wantDisabled ? await c.disableAccount(target) : await c.enableAccount(target)
        return this.done(a, { ...after, nativeIdentity: target, disabled: after.disabled ?? wantDisabled })
      }
      case 'Delete': {
        const target = required(id)
        if (a.inDoubt && current === undefined) return this.gone(a, target, 'FINISHED')
        await c.deleteAccount(target)
        return this.gone(a, target, 'FINISHED')
      }
    }
  }

  private async readIfExists(nativeIdentity: string) {
    try {
      return await this.connector.readAccount(nativeIdentity)
    } catch (err) {
      if (classifyError(err, this.retryable).kind === 'NOT_FOUND') return undefined
      throw err
    }
  }

  /** The Create items as attributes; secret fields are generated now and never stored. */
  private async createAttributes(a: ClaimedActivity): Promise<Attributes> {
    const attributes: Attributes = {}
    const secrets = a.items.filter((i) => i.secret)
    const generated = secrets.length > 0 ? await this.secretValues(a, secrets) : new Map<string, string>()
    for (const item of a.items) {
      const value = item.secret ? (generated.get(item.attribute) ?? null) : item.value
      if (item.operation === 'Add') {
        const held = attributes[item.attribute]
        const list = Array.isArray(held) ? held : held === undefined || held === null ? [] : [held]
        attributes[item.attribute] = [...list, ...(Array.isArray(value) ? value : [value])]
      } else attributes[item.attribute] = value
    }
    return attributes
  }

  private async secretValues(
    a: ClaimedActivity,
    items: readonly ActivityItem[],
  ): Promise<Map<string, string>> {
    const identity = await this.identity(a.identityId)
    return generateSecrets(this.ctx, this.source, identity, items)
  }

  private async identity(id: string): Promise<Readonly<Record<string, unknown>>> {
    let attributes = this.identities.get(id)
    if (!attributes) {
      attributes = (await loadIdentityAttributesById(this.ctx.db, [id])).get(id) ?? {}
      this.identities.set(id, attributes)
    }
    return attributes
  }

  /**
   * A request that reached the system. The account the system handed back is stored as aggregation
   * would read it (same attributes, order, values and display name, same hash), so the next aggregation
   * finds it unchanged rather than "updated".
   */
  private done(a: ClaimedActivity, account: ConnectorAccount): AttemptResult {
    const now = this.ctx.now()
    const read = storableAccount(toSourceAccount(this.source, account))
    const { hash, attributesJson } = hashAccount(read)
    return {
      outcome: { id: a.id, status: 'FINISHED', completed: now },
      saved: {
        sourceId: this.sourceId,
        nativeIdentity: read.nativeIdentity,
        identityId: a.identityId,
        displayName: read.displayName,
        attributesJson,
        hash,
        disabled: read.disabled ?? false,
        locked: read.locked ?? false,
      },
    }
  }

  private gone(
    a: ClaimedActivity,
    nativeIdentity: string,
    status: 'FINISHED' | 'FAILED',
    error?: ActivityError,
  ): AttemptResult {
    const now = this.ctx.now()
    return {
      outcome: { id: a.id, status, completed: now, ...(error ? { error } : {}) },
      removed: { sourceId: this.sourceId, nativeIdentity },
      ...(status === 'FAILED' ? { replan: a.identityId } : {}),
    }
  }

  private async failed(a: ClaimedActivity, err: unknown): Promise<AttemptResult> {
    const now = this.ctx.now()
    const c = classifyError(err, this.retryable)
    const error: ActivityError = {
      at: now.toISOString(),
      attempt: a.attempts,
      kind: c.kind,
      message: c.message,
      ...(c.code !== undefined ? { code: c.code } : {}),
    }
    const id = a.nativeIdentity
    if (c.kind === 'NOT_FOUND' && id !== null) {
      // Deleting what is not there is done; changing it cannot be: the account is gone, the planner decides.
      if (a.operation === 'Delete') return this.gone(a, id, 'FINISHED')
      if (a.operation !== 'Create') {
        return this.gone(a, id, 'FAILED', {
          ...error,
          message: `${c.message} (the account is gone; the next plan decides)`,
        })
      }
    }
    if (c.kind === 'ALREADY_EXISTS' && a.operation === 'Create' && id !== null) {
      const linked = await this.correlateExisting(a, id).catch(() => undefined)
      if (linked) {
        const result = this.done(a, { ...linked, nativeIdentity: id })
        return {
          ...result,
          outcome: {
            ...result.outcome,
            error: { ...error, message: `${c.message}; it is this identity's (correlated)` },
          },
        }
      }
      return {
        outcome: {
          id: a.id,
          status: 'FAILED',
          completed: now,
          error: {
            ...error,
            message: `${c.message}; it does not belong to this identity by the correlation rules`,
          },
        },
      }
    }
    const policy = resolveRetryPolicy(a.type, {
      ...(this.ctx.config.settings.retryPolicies ? { global: this.ctx.config.settings.retryPolicies } : {}),
      ...(this.source.retryPolicies ? { source: this.source.retryPolicies } : {}),
    })
    const next = afterFailure(c.kind, policy, a.attempts, now)
    return next.status === 'RETRY'
      ? { outcome: { id: a.id, status: 'RETRY', nextAttemptAt: next.nextAttemptAt, error } }
      : { outcome: { id: a.id, status: 'FAILED', completed: now, error } }
  }

  /** An existing account is taken over only when the source's correlation rules say it is this identity's. */
  private async correlateExisting(a: ClaimedActivity, nativeIdentity: string) {
    const rules = this.source.accountCorrelationConfig?.attributeAssignments ?? []
    if (rules.length === 0) return undefined
    const existing = await this.connector.readAccount(nativeIdentity)
    const identity = await this.identity(a.identityId)
    const correlator = new Correlator(rules, [{ id: a.identityId, attributes: identity }])
    return correlator.correlate(storedAttributes(existing.attributes)) === a.identityId ? existing : undefined
  }
}

function required(nativeIdentity: string | null): string {
  if (nativeIdentity === null) throw new ConnectorError('TERMINAL', 'the request names no account')
  return nativeIdentity
}

/** Values for a Create request's secret fields, from the source's CREATE policy (e.g. Create Password). */
export async function generateSecrets(
  ctx: EngineContext,
  source: SourceConfig,
  identity: Readonly<Record<string, unknown>>,
  items: readonly ActivityItem[],
): Promise<Map<string, string>> {
  const named = new Map<string, TransformDefinition>()
  for (const t of ctx.config.transforms) named.set(t.value.name ?? t.value.id ?? '', t.value)
  const fields = source.provisioningPolicies.find((p) => p.usageType === 'CREATE')?.fields ?? []
  const out = new Map<string, string>()
  for (const item of items) {
    const field = fields.find((f) => f.name === item.attribute)
    if (!field || isEmptyTransform(field.transform)) {
      throw new ConnectorError('TERMINAL', `no transform generates the secret field "${item.attribute}"`)
    }
    const transform = compileTransform(field.transform as TransformDefinition, {
      resolve: (id) => named.get(id),
      fieldAttributes: field.attributes ?? {},
    })
    const value = transform.evaluate({ identity, now: ctx.now })
    if (value === null) {
      throw new ConnectorError('TERMINAL', `the secret field "${item.attribute}" has no value`)
    }
    out.set(item.attribute, value)
  }
  return out
}

/** A flat-file source's due activities become work items for its owner, and wait for them. */
async function createManualTasks(
  ctx: EngineContext,
  source: SourceConfig,
  sourceId: string,
  leaseMs: number,
): Promise<number> {
  let created = 0
  const seal = taskSecretsSealer(ctx)
  for (;;) {
    const now = ctx.now()
    const { claimed } = await claimDue(ctx.db, {
      sourceId,
      concurrency: 1000,
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
    })
    if (claimed.length === 0) return created
    const identities = await loadIdentityAttributesById(
      ctx.db,
      claimed.filter((a) => a.items.some((i) => i.secret)).map((a) => a.identityId),
    )
    const tasks: Parameters<typeof insertWorkItems>[1][number][] = []
    for (const a of claimed) {
      const secretItems = a.items.filter((i) => i.secret)
      // Kept for the owner until the task closes, encrypted with a key outside the database.
      const secrets =
        secretItems.length > 0
          ? seal(
              a.id,
              Object.fromEntries(
                await generateSecrets(ctx, source, identities.get(a.identityId) ?? {}, secretItems),
              ),
            )
          : null
      tasks.push({
        owner: source.owner?.name ?? source.owner?.id ?? null,
        sourceId,
        activityId: a.id,
        description: describeTask(a, source.name),
        remediationItems: a.items.map((i) => (i.secret ? { ...i, value: null } : i)),
        secrets,
      })
    }
    await ctx.db.transaction(async (tx) => {
      await insertWorkItems(tx, tasks)
      // Waiting for a person: not due again until the task is completed or rejected.
      await recordOutcomes(
        tx,
        claimed.map((a) => ({ id: a.id, status: 'PENDING', nextAttemptAt: 'never' })),
        now,
      )
    })
    created += claimed.length
  }
}

/** "Create account on source 'Badge System'", "Modify account 'B1002' on source 'Badge System'". */
export function describeTask(
  a: { operation: string; nativeIdentity: string | null },
  sourceName: string,
): string {
  const account =
    a.operation === 'Create' || a.nativeIdentity === null ? 'account' : `account '${a.nativeIdentity}'`
  return `${a.operation} ${account} on source '${sourceName}'`
}

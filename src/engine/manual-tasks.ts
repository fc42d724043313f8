import { ConflictError, InputError, NotFoundError } from '../domain/errors.js'
import type { Identity } from '../domain/model.js'
import { differences } from '../domain/execution/account-activity.js'
import {
  isSealed,
  openSecrets,
  sealSecrets,
  type KeyRing,
  type SealedSecrets,
} from '../domain/secrets/sealed-secrets.js'
import { loadAccountsToVerify } from '../store/account-provisioning.js'
import { listActivities } from '../store/activities.js'
import { recordOutcomes } from '../store/activity-claims.js'
import { signingKeySealers } from '../store/auth-signing-keys.js'
import { findIdentity } from '../store/identities.js'
import {
  closeWorkItem,
  forwardWorkItem,
  listWorkItems,
  listWorkItemSecrets,
  replaceWorkItemSecrets,
  workItemActivityIds,
  type StoredSecrets,
  type WorkItem,
} from '../store/work-items.js'
import type { EngineContext } from './engine-context.js'
import {
  addKeyToFile,
  keyPlaces,
  keyRingForSealing,
  pruneKeyFile,
  readKeyRing,
  SECRETS_KEY_ENV,
} from './secrets/secrets-key-ring.js'

type Env = Readonly<Record<string, string | undefined>>

/**
 * Seals new tasks' secrets (a generated password) for the database: encrypted with the workspace's key,
 * each bound to its task's request. The keys are read at the first seal (and the key file made then, if
 * there is no key yet), once for all the tasks sealed with the function returned.
 */
export function taskSecretsSealer(
  ctx: EngineContext,
  env: Env = process.env,
): (activityId: string, secrets: Readonly<Record<string, string>>) => SealedSecrets {
  let ring: KeyRing | undefined
  return (activityId, secrets) => {
    ring ??= keyRingForSealing(ctx.config.dir, env)
    return sealSecrets(ring, secrets, activityId)
  }
}

/** A task's secret values, for its owner (`tasks show`); null once the task is closed. */
export function revealTaskSecrets(
  ctx: EngineContext,
  task: Pick<WorkItem, 'activityId' | 'secrets'>,
  env: Env = process.env,
): Record<string, string> | null {
  // Only a task of one request (a Create) has secrets, sealed to that request.
  if (task.activityId === null) return null
  return openStored(() => readKeyRing(ctx.config.dir, env), task.secrets, task.activityId, ctx.config.dir)
}

/** The keys are read only when there is something sealed to open. */
function openStored(
  ring: () => KeyRing | undefined,
  stored: StoredSecrets | null,
  activityId: string,
  workspaceDir: string,
): Record<string, string> | null {
  if (stored === null) return null
  if (!isSealed(stored)) return { ...stored }
  return openSecrets(ring(), stored, activityId, keyPlaces(workspaceDir))
}

/** What a rotation did: tasks sealed again with `keyId`, and keys dropped from the key file. */
export interface RotationResult {
  readonly keyId: string
  readonly resealed: number
  readonly keysRemoved: number
  /** The new key was made in the key file (false: the environment's first key seals). */
  readonly newKey: boolean
}

/**
 * Key rotation. With the key file: a new key is added first, every pending task's secrets are sealed
 * again with it, and the keys nothing is sealed with any more are removed. With PROVISIO_SECRETS_KEY: its
 * first key is the new one (the old ones after it, until this has run); everything is sealed again with
 * it. Secrets stored before they were encrypted are sealed too.
 */
export async function rotateTaskSecrets(ctx: EngineContext, env: Env = process.env): Promise<RotationResult> {
  const dir = ctx.config.dir
  const fromEnv = (env[SECRETS_KEY_ENV] ?? '').trim() !== ''
  // Everything must open with the keys there are now, before anything changes.
  const before = readKeyRing(dir, env)
  const pending = await listWorkItemSecrets(ctx.db)
  const opened = pending.map((t) => ({
    ...t,
    values: openStored(() => before, t.secrets, t.activityId, dir),
  }))
  if (!fromEnv) addKeyToFile(dir)
  const ring = keyRingForSealing(dir, env)
  let resealed = 0
  for (const t of opened) {
    if (t.values === null) continue
    if (await replaceWorkItemSecrets(ctx.db, t.id, sealSecrets(ring, t.values, t.activityId))) resealed++
  }
  // A key still in use (a task sealed meanwhile by another process) stays.
  const inUse = new Set(
    (await listWorkItemSecrets(ctx.db)).flatMap((t) => (isSealed(t.secrets) ? [t.secrets.kid] : [])),
  )
  inUse.add(ring.current.id)
  // The signing keys of API tokens are sealed with these keys too (engine/auth/signing-keys.ts).
  for (const kid of await signingKeySealers(ctx.db)) inUse.add(kid)
  const keysRemoved = pruneKeyFile(dir, inUse)
  return { keyId: ring.current.id, resealed, keysRemoved, newKey: !fromEnv }
}

async function pendingTask(ctx: EngineContext, id: string): Promise<WorkItem> {
  const [task] = await listWorkItems(ctx.db, { id, state: 'all' })
  if (!task) throw new NotFoundError(`no work item with id "${id}"`)
  if (task.state !== 'Pending') {
    throw new ConflictError(`work item ${id} is already ${task.state.toLowerCase()}`)
  }
  return task
}

/**
 * The owner did what the task asked: its requests (every one it covers) are COMMITED, and the next
 * aggregation of the source confirms each (FINISHED) or reports what differs (UNVERIFIABLE).
 */
export async function completeTask(ctx: EngineContext, id: string, comment?: string): Promise<WorkItem> {
  const task = await pendingTask(ctx, id)
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    if (!(await closeWorkItem(tx, id, 'Finished', comment ?? null, now))) {
      throw new ConflictError(`work item ${id} was closed meanwhile`)
    }
    // Read once the task is locked: requests added to it meanwhile are closed with it.
    const ids = await workItemActivityIds(tx, id)
    await recordOutcomes(
      tx,
      ids.map((a) => ({ id: a, status: 'COMMITED', nextAttemptAt: 'never' })),
      now,
    )
  })
  return task
}

/** The owner will not do it: its requests FAILED, with the owner's comment as the reason. */
export async function rejectTask(ctx: EngineContext, id: string, comment: string): Promise<WorkItem> {
  const task = await pendingTask(ctx, id)
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    if (!(await closeWorkItem(tx, id, 'Rejected', comment, now))) {
      throw new ConflictError(`work item ${id} was closed meanwhile`)
    }
    const error = { at: now.toISOString(), attempt: 1, kind: 'REJECTED' as const, message: comment }
    const ids = await workItemActivityIds(tx, id)
    await recordOutcomes(
      tx,
      ids.map((a) => ({ id: a, status: 'FAILED', completed: now, error })),
      now,
    )
  })
  return task
}

/**
 * The owner hands the task to someone else (an identity, by id or name), with a comment; the task keeps
 * its request and secrets. InputError naming `targetOwnerId` for an unknown identity.
 */
export async function forwardTask(
  ctx: EngineContext,
  id: string,
  target: string,
  comment: string,
): Promise<{ readonly task: WorkItem; readonly owner: Identity }> {
  const task = await pendingTask(ctx, id)
  const owner = await findIdentity(ctx.db, target)
  if (!owner) throw new InputError(`targetOwnerId: no identity with id "${target}"`)
  // Stored by name, as the configuration's owners are (`tasks --owner NAME` finds it).
  if (!(await forwardWorkItem(ctx.db, id, owner.name, comment))) {
    throw new ConflictError(`work item ${id} was closed meanwhile`)
  }
  return { task, owner }
}

/** Whether an identity owns a task: a task's owner is an identity's name or id. */
export function ownsTask(task: Pick<WorkItem, 'owner'>, identity: Pick<Identity, 'id' | 'name'>): boolean {
  return task.owner !== null && (task.owner === identity.id || task.owner === identity.name)
}

/**
 * After a source was aggregated: each committed (manually done) request is compared with what the
 * source now reports. A created account is found by its planned id, or by correlation to the identity.
 */
export async function verifyCommitted(
  ctx: EngineContext,
  sourceId: string,
): Promise<{ finished: number; unverifiable: number }> {
  const committed = await listActivities(ctx.db, { sourceId, status: 'COMMITED' })
  if (committed.length === 0) return { finished: 0, unverifiable: 0 }
  const accounts = await loadAccountsToVerify(
    ctx.db,
    sourceId,
    committed.flatMap((a) => (a.nativeIdentity ? [a.nativeIdentity] : [])),
    committed.filter((a) => a.operation === 'Create').map((a) => a.identityId),
  )
  const byNative = new Map(accounts.map((a) => [a.nativeIdentity, a]))
  const now = ctx.now()
  const outcomes = committed.map((a) => {
    const account =
      (a.nativeIdentity ? byNative.get(a.nativeIdentity) : undefined) ??
      (a.operation === 'Create' ? accounts.find((x) => x.identityId === a.identityId) : undefined)
    const diff = differences(a.operation, account, a.items)
    return diff.length === 0
      ? { id: a.id, status: 'FINISHED' as const, completed: now }
      : {
          id: a.id,
          status: 'UNVERIFIABLE' as const,
          completed: now,
          error: {
            at: now.toISOString(),
            attempt: a.attempts,
            kind: 'UNVERIFIED' as const,
            message: `the source does not show it: ${diff.join('; ')}`,
          },
        }
  })
  await recordOutcomes(ctx.db, outcomes, now)
  const finished = outcomes.filter((o) => o.status === 'FINISHED').length
  return { finished, unverifiable: outcomes.length - finished }
}

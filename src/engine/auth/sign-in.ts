import { normalizePassword } from '../../domain/auth/password-rules.js'
import { checkSecret, decoyHash, PASSWORD_PARAMS } from '../../domain/auth/secret-hash.js'
import { SignInLockedError } from '../../domain/auth/sign-in-locked-error.js'
import { AuthenticationError } from '../../domain/errors.js'
import { findIdentity } from '../../store/identities.js'
import {
  countAccountFailures,
  countAddressFailures,
  deleteAttemptsBefore,
  insertAttempt,
  setAttemptOutcome,
  type FailureCount,
} from '../../store/sign-in-attempts.js'
import { findSignInIdentity } from '../../store/sign-in-passwords.js'
import type { EngineContext } from '../engine-context.js'
import { openSession, type NewSession } from './sessions.js'

/** One answer for an unknown user name, an identity without a password and a wrong password. */
export const BAD_SIGN_IN_MESSAGE = 'invalid user name or password'

const DECOY = decoyHash(PASSWORD_PARAMS)

/** Attempts are kept a day at least: long enough for any window and for an operator to look. */
const KEEP_ATTEMPTS_MS = 24 * 3600_000

/**
 * Signs a person in with their identity's name and password and opens a session. Failed sign-ins are
 * limited per user name and per address (signIn.lockout): past the limit, SignInLockedError without
 * checking the password. The user name is limited whether or not an identity has it, an unknown name
 * is checked against a decoy hash, and every failure has the same message: neither the answer nor its
 * time tells which names exist.
 */
export async function signInWithPassword(
  ctx: EngineContext,
  attempt: { username: string; password: string; sourceAddress: string },
): Promise<NewSession> {
  const username = attempt.username.slice(0, 256)
  const now = ctx.now()
  const { maxFailuresPerAccount, maxFailuresPerAddress, windowMinutes } = ctx.config.settings.signIn.lockout
  const windowMs = windowMinutes * 60_000
  const since = new Date(now.getTime() - windowMs)
  // Recorded before counting, as pending: guesses sent in parallel all count, and cannot pass the limit.
  const id = await insertAttempt(ctx.db, { username, sourceAddress: attempt.sourceAddress }, now)
  const locked = async (failures: FailureCount, max: number, what: string): Promise<void> => {
    if (failures.count <= max) return
    await setAttemptOutcome(ctx.db, id, 'LOCKED')
    const oldest = failures.oldest === null ? now.getTime() : Date.parse(failures.oldest)
    const retryAfter = Math.max(1, Math.ceil((oldest + windowMs - now.getTime()) / 1000))
    throw new SignInLockedError(
      `too many failed sign-ins ${what} (at most ${max} in ${windowMinutes} min): try again in ${retryAfter} s`,
      retryAfter,
    )
  }
  await locked(
    await countAccountFailures(ctx.db, username, since),
    maxFailuresPerAccount,
    'for this user name',
  )
  await locked(
    await countAddressFailures(ctx.db, attempt.sourceAddress, since),
    maxFailuresPerAddress,
    'from your address',
  )

  const found = await findSignInIdentity(ctx.db, username)
  const matches = await checkSecret(normalizePassword(attempt.password), found?.passwordHash ?? DECOY)
  const identity =
    found && found.passwordHash !== null && matches ? await findIdentity(ctx.db, found.id) : undefined
  if (!identity) {
    await setAttemptOutcome(ctx.db, id, 'FAILED')
    throw new AuthenticationError(BAD_SIGN_IN_MESSAGE)
  }
  await setAttemptOutcome(ctx.db, id, 'SUCCEEDED')
  await deleteAttemptsBefore(ctx.db, new Date(now.getTime() - Math.max(windowMs, KEEP_ATTEMPTS_MS)))
  return openSession(ctx, identity, 'PASSWORD', attempt.sourceAddress)
}

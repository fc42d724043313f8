import { InputError } from '../errors.js'

/** The longest password taken: long enough for any passphrase, short enough to bound the work of a check. */
export const MAX_PASSWORD_LENGTH = 256

/**
 * A password as it is hashed and checked: Unicode NFKC, so that the same characters typed on another
 * keyboard or system (composed or decomposed accents, full-width digits) give the same password, as
 * NIST SP 800-63B asks.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC')
}

/**
 * A new password's rules (NIST SP 800-63B: a minimum length and a few refusals, no composition rules):
 * at least `minLength` characters, at most 256, not only spaces, not the person's own name.
 * InputError naming the rule that is not met; the password itself is never in the message.
 */
export function checkNewPassword(
  password: string,
  rules: { readonly minLength: number; readonly names: readonly string[] },
): string {
  const normalized = normalizePassword(password)
  const length = [...normalized].length
  if (length < rules.minLength) {
    throw new InputError(`password: must have at least ${rules.minLength} characters (it has ${length})`)
  }
  if (length > MAX_PASSWORD_LENGTH) {
    throw new InputError(`password: must have at most ${MAX_PASSWORD_LENGTH} characters`)
  }
  if (normalized.trim() === '') throw new InputError('password: must not be only spaces')
  const lower = normalized.toLowerCase()
  if (rules.names.some((n) => n !== '' && lower === n.toLowerCase())) {
    throw new InputError('password: must not be your user name')
  }
  if (new Set(normalized).size === 1) throw new InputError('password: must not repeat one character')
  return normalized
}

import { randomIndex, randomString, randomUuid, shuffle } from './random-source.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import type { TransformContext } from './transform-types.js'

export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
export const LOWER = 'abcdefghijklmnopqrstuvwxyz'
export const DIGITS = '0123456789'
/** The special characters the reference's `generateRandomString` documents. */
export const SPECIAL = '!@#$%&*()+<>?'

/** Identity attributes hold at most 450 characters; the random transforms refuse longer values. */
export const MAX_RANDOM_LENGTH = 450

/** A `length` attribute: a positive integer up to 450 (checked when the transform is compiled). */
export function randomLength(node: TransformNode, fallback?: number): number {
  const length = node.integer('length', fallback)
  if (length < 1 || length > MAX_RANDOM_LENGTH) {
    throw node.error(
      `${node.attributePath('length')} must be between 1 and ${MAX_RANDOM_LENGTH}, got ${length}`,
    )
  }
  return length
}

/** `randomAlphaNumeric`: `length` (default 32) letters of both cases and digits. */
export function compileRandomAlphaNumeric(node: TransformNode): Evaluator {
  const length = randomLength(node, 32)
  return (ctx) => randomString(ctx, UPPER + LOWER + DIGITS, length)
}

/** `randomNumeric`: `length` (default 10) digits. */
export function compileRandomNumeric(node: TransformNode): Evaluator {
  const length = randomLength(node, 10)
  return (ctx) => randomString(ctx, DIGITS, length)
}

/** `uuid`: a random version 4 UUID (no uniqueness check, as documented). */
export function compileUuid(_node: TransformNode): Evaluator {
  return (ctx) => randomUuid(ctx)
}

/** How many characters of which alphabets a generated string must hold. */
export interface CharacterRequirement {
  readonly alphabet: string
  readonly min: number
}

/**
 * A random string of `length` characters with at least `min` characters from each requirement's
 * alphabet, the rest drawn from `fill`, in random order.
 */
export function randomWithRequirements(
  ctx: TransformContext,
  length: number,
  requirements: readonly CharacterRequirement[],
  fill: string,
): string {
  const chars: string[] = []
  for (const r of requirements) {
    for (let i = 0; i < r.min; i++) chars.push(r.alphabet.charAt(randomIndex(ctx, r.alphabet.length)))
  }
  while (chars.length < length) chars.push(fill.charAt(randomIndex(ctx, fill.length)))
  return shuffle(ctx, chars).join('')
}

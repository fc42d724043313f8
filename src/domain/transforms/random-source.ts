import { getRandomValues, randomUUID } from 'node:crypto'
import type { TransformContext } from './transform-types.js'

/**
 * Random choices for the random transforms and generated passwords: the context's `random` when the
 * caller injects one (tests, reproducible previews), otherwise the operating system's CSPRNG — these
 * values become passwords and account ids, so Math.random is not good enough.
 */
export function randomIndex(ctx: TransformContext, bound: number): number {
  if (ctx.random !== undefined) return Math.min(bound - 1, Math.floor(ctx.random() * bound))
  // Rejection sampling keeps every index equally likely.
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound)
  for (;;) {
    const v = nextUint32()
    if (v < limit) return v % bound
  }
}

const pool = new Uint32Array(256)
let poolIndex = pool.length

function nextUint32(): number {
  if (poolIndex >= pool.length) {
    getRandomValues(pool)
    poolIndex = 0
  }
  return pool[poolIndex++] ?? 0
}

/** `count` characters drawn from `alphabet`. */
export function randomString(ctx: TransformContext, alphabet: string, count: number): string {
  let out = ''
  for (let i = 0; i < count; i++) out += alphabet.charAt(randomIndex(ctx, alphabet.length))
  return out
}

/** Shuffles in place (Fisher–Yates) with the context's randomness. */
export function shuffle<T>(ctx: TransformContext, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomIndex(ctx, i + 1)
    const a = items[i] as T
    items[i] = items[j] as T
    items[j] = a
  }
  return items
}

/** A version 4 UUID; built from the injected randomness when there is one, so tests can pin it. */
export function randomUuid(ctx: TransformContext): string {
  if (ctx.random === undefined) return randomUUID()
  const hex = randomString(ctx, '0123456789abcdef', 32).split('')
  hex[12] = '4'
  hex[16] = '89ab'.charAt(randomIndex(ctx, 4))
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

import { InputError } from '../domain/errors.js'

/** A command-line option that must be a whole number of at least `min` (`--limit 50`). */
export function wholeNumberOption(name: string, value: string, min = 0): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new InputError(`${name} must be a whole number of at least ${min}, not "${value}"`)
  }
  return n
}

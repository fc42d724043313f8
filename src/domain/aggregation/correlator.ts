import type { Attributes } from '../model.js'

/** One rule of `accountCorrelationConfig`: identity attribute `property` equals account attribute `value`. */
export interface CorrelationRule {
  readonly property: string
  readonly value: string
  readonly ignoreCase?: boolean
}

/** An identity as correlation sees it: its id and the attributes the rules compare. */
export interface CorrelationCandidate {
  readonly id: string
  readonly attributes: Readonly<Record<string, unknown>>
}

/**
 * Finds the identity an account belongs to. Rules are tried in order; a rule decides only when
 * exactly one identity matches (an ambiguous match is not a match: it would be a guess).
 */
export class Correlator {
  readonly #rules: readonly { rule: CorrelationRule; index: Map<string, string[]> }[]

  constructor(rules: readonly CorrelationRule[], identities: Iterable<CorrelationCandidate>) {
    const indexed = rules.map((rule) => ({ rule, index: new Map<string, string[]>() }))
    for (const identity of identities) {
      for (const { rule, index } of indexed) {
        const key = normalise(identity.attributes[rule.property], rule.ignoreCase)
        if (key === undefined) continue
        const ids = index.get(key)
        if (ids) ids.push(identity.id)
        else index.set(key, [identity.id])
      }
    }
    this.#rules = indexed
  }

  get hasRules(): boolean {
    return this.#rules.length > 0
  }

  /** The matching identity id, or null when no rule finds exactly one. */
  correlate(attributes: Attributes): string | null {
    for (const { rule, index } of this.#rules) {
      const key = normalise(attributes[rule.value], rule.ignoreCase)
      if (key === undefined) continue
      const ids = index.get(key)
      if (ids && ids.length === 1) return ids[0] as string
    }
    return null
  }
}

function normalise(value: unknown, ignoreCase: boolean | undefined): string | undefined {
  if (value === null || value === undefined) return undefined
  const s = Array.isArray(value) ? (value.length === 1 ? String(value[0]) : undefined) : String(value)
  if (s === undefined || s === '') return undefined
  return ignoreCase ? s.toLowerCase() : s
}

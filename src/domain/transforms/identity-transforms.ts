import { compileAccountFilter, type AccountPredicate } from './account-filter.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import type { TransformAccount } from './transform-types.js'
import { toTransformValue } from './transform-value.js'

/** `identityAttribute`: the identity's attribute `name`. */
export function compileIdentityAttribute(node: TransformNode): Evaluator {
  const name = node.string('name')
  return (ctx) => toTransformValue(ctx.identity?.[name])
}

/**
 * `displayName`: preferred name, else given name, then a space and the family name. The reference has no
 * fixed attribute names for these; we read `preferredName`, then `firstname` (or `givenName`), then
 * `lastname` (or `familyName`) — ISC's default identity attribute names first. Empty parts are left out.
 */
export function compileDisplayName(_node: TransformNode): Evaluator {
  return (ctx) => {
    const id = ctx.identity
    if (id === undefined) return null
    const first = nonEmpty(id.preferredName) ?? nonEmpty(id.firstname) ?? nonEmpty(id.givenName)
    const last = nonEmpty(id.lastname) ?? nonEmpty(id.familyName)
    if (first === null) return last
    return last === null ? first : `${first} ${last}`
  }
}

function nonEmpty(v: unknown): string | null {
  const s = toTransformValue(v)
  return s === null || s.trim() === '' ? null : s
}

/**
 * `accountAttribute`: `attributeName` from the identity's account on `sourceName` (or `applicationName`,
 * or `applicationId` = source id). Accounts are filtered by `accountFilter` and `accountPropertyFilter`
 * (both evaluated in memory here), sorted by `accountSortAttribute` (default `created`, ascending unless
 * `accountSortDescending`; accounts without the sort value last), then the first account's value is
 * returned when `accountReturnFirstLink`, otherwise the first non-null value.
 */
export function compileAccountAttribute(node: TransformNode): Evaluator {
  const matchesSource = sourceMatcher(node)
  const attributeName = node.string('attributeName')
  const sortAttribute = node.string('accountSortAttribute', 'created')
  const descending = node.boolean('accountSortDescending', false)
  const firstLink = node.boolean('accountReturnFirstLink', false)
  const filters = ['accountFilter', 'accountPropertyFilter']
    .filter((k) => node.has(k))
    .map((k) => filter(node, k))
  return (ctx) => {
    const accounts = ctx.accounts
    if (accounts === undefined || accounts.length === 0) return null
    let matching: TransformAccount[] = []
    for (const acc of accounts) {
      if (matchesSource(acc) && filters.every((f) => f(acc))) matching.push(acc)
    }
    if (matching.length === 0) return null
    if (matching.length > 1) matching = sortAccounts(matching, sortAttribute, descending)
    if (firstLink) return toTransformValue(attributeOf(matching[0], attributeName))
    for (const acc of matching) {
      const v = toTransformValue(attributeOf(acc, attributeName))
      if (v !== null) return v
    }
    return null
  }
}

function sourceMatcher(node: TransformNode): (acc: TransformAccount) => boolean {
  if (node.has('sourceName')) {
    const name = node.string('sourceName')
    return (acc) => acc.sourceName === name
  }
  if (node.has('applicationName')) {
    // The immutable application name is the source name followed by " [source]".
    const name = node.string('applicationName')
    const bare = name.replace(/ \[source\]$/, '')
    return (acc) => acc.sourceName === name || acc.sourceName === bare
  }
  if (node.has('applicationId')) {
    const id = node.string('applicationId')
    return (acc) => acc.sourceId === id
  }
  throw node.error(
    `missing required attribute ${node.attributePath('sourceName')} (or applicationName, applicationId)`,
  )
}

function filter(node: TransformNode, key: string): AccountPredicate {
  const source = node.string(key)
  try {
    return compileAccountFilter(source)
  } catch (err) {
    throw node.error(
      `${node.attributePath(key)} ${JSON.stringify(source)}: ${err instanceof Error ? err.message : String(err)}`,
      err,
    )
  }
}

function attributeOf(acc: TransformAccount | undefined, name: string): unknown {
  if (acc === undefined) return null
  if (Object.hasOwn(acc.attributes, name)) return acc.attributes[name]
  if (name === 'nativeIdentity') return acc.nativeIdentity
  if (name === 'displayName') return acc.displayName
  return null
}

function sortKey(acc: TransformAccount, attribute: string): unknown {
  if (attribute === 'created' && !Object.hasOwn(acc.attributes, 'created')) return acc.created
  return attributeOf(acc, attribute)
}

function sortAccounts(
  accounts: TransformAccount[],
  attribute: string,
  descending: boolean,
): TransformAccount[] {
  return accounts
    .map((acc, i) => ({ acc, i, key: sortKey(acc, attribute) }))
    .sort((a, b) => {
      const an = a.key === null || a.key === undefined
      const bn = b.key === null || b.key === undefined
      if (an || bn) return an === bn ? a.i - b.i : an ? 1 : -1
      const c = compareValues(a.key, b.key)
      return c === 0 ? a.i - b.i : descending ? -c : c
    })
    .map((x) => x.acc)
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const as = toTransformValue(a) ?? ''
  const bs = toTransformValue(b) ?? ''
  return as < bs ? -1 : as > bs ? 1 : 0
}

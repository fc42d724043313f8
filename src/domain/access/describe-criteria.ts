import type { ExplainedKey, ExplainedLeaf, ExplainedNode } from './compile-role-criteria.js'
import {
  criteriaValueText,
  isGroupOperation,
  normaliseProperty,
  type RoleCriteria,
  type RoleCriteriaKeyType,
  type RoleCriteriaNode,
} from './role-criteria.js'

export interface DescribeOptions {
  /** Turns a sourceId into the name to print (`account[AD]`); by default the id is printed. */
  readonly sourceName?: (sourceId: string) => string | undefined
}

type AnyNode = RoleCriteriaNode<AnyNode>

/**
 * One line a person can read, e.g.
 * `(department EQUALS "Engineering" AND title STARTS_WITH "Senior") OR account[AD].memberOf CONTAINS "admins"`.
 * Nested groups are parenthesised, the top one is not. It never throws: a malformed node is printed as
 * far as it goes, so a validation message can quote it.
 */
export function describeCriteria(criteria: RoleCriteria, options: DescribeOptions = {}): string {
  return describeNode(criteria, options, true)
}

function describeNode(node: AnyNode, options: DescribeOptions, top: boolean): string {
  if (isGroupOperation(node.operation)) {
    const inner = (node.children ?? [])
      .map((c) => describeNode(c, options, false))
      .join(` ${node.operation} `)
    return top ? inner : `(${inner})`
  }
  const key = node.key
  const subject =
    key == null
      ? '?'
      : keyLabel(key.type, normaliseProperty(String(key.property ?? '')), key.sourceId ?? undefined, options)
  const value = criteriaValueText(node.stringValue)
  return `${subject} ${String(node.operation)} ${value === undefined ? '?' : JSON.stringify(value)}`
}

function keyLabel(
  type: RoleCriteriaKeyType,
  property: string,
  sourceId: string | undefined,
  options: DescribeOptions,
  sourceName?: string,
): string {
  if (type === 'IDENTITY') return property
  const source = sourceName ?? (sourceId === undefined ? '?' : (options.sourceName?.(sourceId) ?? sourceId))
  return `${type === 'ACCOUNT' ? 'account' : 'entitlement'}[${source}].${property}`
}

/**
 * An evaluation, one node a line, indented like the tree, each marked ✓ or ✗, e.g.
 * `department EQUALS "Engineering" — actual "Engineering" ✓`. For the CLI's `explain` output.
 */
export function formatExplanation(node: ExplainedNode, options: DescribeOptions = {}): string {
  const lines: string[] = []
  const walk = (n: ExplainedNode, depth: number): void => {
    const indent = '  '.repeat(depth)
    if (n.kind === 'group') {
      lines.push(`${indent}${n.operation} ${mark(n.matched)}`)
      for (const child of n.children) walk(child, depth + 1)
    } else {
      lines.push(`${indent}${describeLeaf(n, options)}`)
    }
  }
  walk(node, 0)
  return lines.join('\n')
}

function describeLeaf(leaf: ExplainedLeaf, options: DescribeOptions): string {
  const k: ExplainedKey = leaf.key
  const head = `${keyLabel(k.type, k.property, k.sourceId, options, k.sourceName)} ${leaf.operation} ${JSON.stringify(leaf.stringValue)}`
  return `${head} — ${actualText(leaf)} ${mark(leaf.matched)}`
}

function actualText(leaf: ExplainedLeaf): string {
  const accounts = leaf.accounts
  if (accounts === undefined) return `actual ${values(leaf.actual)}`
  if (accounts.length === 0) return 'no account on this source'
  if (accounts.length === 1) return `actual ${values(accounts[0]?.actual ?? [])}`
  return accounts
    .map((a, i) => `account ${a.nativeIdentity ?? `#${i + 1}`}: ${values(a.actual)} ${mark(a.matched)}`)
    .join(', ')
}

function values(actual: readonly string[]): string {
  if (actual.length === 0) return '(none)'
  if (actual.length === 1) return JSON.stringify(actual[0])
  return `[${actual.map((v) => JSON.stringify(v)).join(', ')}]`
}

function mark(matched: boolean): string {
  return matched ? '✓' : '✗'
}

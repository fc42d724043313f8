import { describe, expect, it } from 'vitest'
import { normaliseProperty, validateRoleCriteria } from './role-criteria.js'

const dept = {
  operation: 'EQUALS',
  key: { type: 'IDENTITY', property: 'attribute.department' },
  stringValue: 'Eng',
}
const ad = {
  operation: 'CONTAINS',
  key: { type: 'ACCOUNT', property: 'memberOf', sourceId: 's1' },
  stringValue: 'x',
}

interface Case {
  readonly name: string
  readonly criteria: unknown
  readonly problems: readonly string[]
}

const cases: readonly Case[] = [
  { name: 'a single identity leaf is valid', criteria: dept, problems: [] },
  {
    name: 'OR of ANDs of leaves (3 levels) is valid',
    criteria: { operation: 'OR', children: [{ operation: 'AND', children: [dept, ad] }, ad] },
    problems: [],
  },
  {
    name: 'ENTITLEMENT key with sourceId is valid; null key/stringValue on a group are absent',
    criteria: {
      operation: 'AND',
      key: null,
      stringValue: null,
      children: [
        {
          operation: 'EQUALS',
          key: { type: 'ENTITLEMENT', property: 'attribute.memberOf', sourceId: 's' },
          stringValue: 'g',
        },
      ],
    },
    problems: [],
  },
  { name: 'YAML numbers are accepted as stringValue', criteria: { ...dept, stringValue: 100 }, problems: [] },
  {
    name: 'not an object',
    criteria: 'EQUALS',
    problems: ['criteria: must be an object with an "operation"'],
  },
  { name: 'null', criteria: null, problems: ['criteria: must be an object with an "operation"'] },
  {
    name: 'missing operation',
    criteria: { key: dept.key, stringValue: 'x' },
    problems: ['operation: required'],
  },
  {
    name: 'unknown operation',
    criteria: { ...dept, operation: 'LIKE' },
    problems: ['operation: unknown operation "LIKE"'],
  },
  {
    name: 'missing key',
    criteria: { operation: 'EQUALS', stringValue: 'x' },
    problems: ['key: required for EQUALS'],
  },
  {
    name: 'missing stringValue',
    criteria: { operation: 'GREATER_THAN', key: dept.key },
    problems: ['stringValue: required for GREATER_THAN'],
  },
  {
    name: 'empty stringValue',
    criteria: { ...dept, stringValue: '' },
    problems: ['stringValue: must be a non-empty string'],
  },
  {
    name: 'object stringValue',
    criteria: { ...dept, stringValue: {} },
    problems: ['stringValue: must be a non-empty string'],
  },
  {
    name: 'children on a leaf',
    criteria: { ...dept, children: [dept] },
    problems: ['children: not allowed on EQUALS (a leaf)'],
  },
  {
    name: 'unknown key type',
    criteria: { ...dept, key: { type: 'GROUP', property: 'x' } },
    problems: ['key.type: must be one of IDENTITY, ACCOUNT, ENTITLEMENT (got "GROUP")'],
  },
  {
    name: 'missing property',
    criteria: { ...dept, key: { type: 'IDENTITY' } },
    problems: ['key.property: required'],
  },
  {
    name: 'property that is only the prefix',
    criteria: { ...dept, key: { type: 'IDENTITY', property: 'attribute.' } },
    problems: ['key.property: "attribute." names no attribute'],
  },
  {
    name: 'ACCOUNT key without sourceId',
    criteria: { ...ad, key: { type: 'ACCOUNT', property: 'memberOf' } },
    problems: ['key.sourceId: required for ACCOUNT keys'],
  },
  {
    name: 'ENTITLEMENT key with blank sourceId',
    criteria: { ...ad, key: { type: 'ENTITLEMENT', property: 'memberOf', sourceId: ' ' } },
    problems: ['key.sourceId: required for ENTITLEMENT keys'],
  },
  {
    name: 'path names the child: children[1].key.sourceId',
    criteria: {
      operation: 'OR',
      children: [dept, { ...ad, key: { type: 'ACCOUNT', property: 'memberOf' } }],
    },
    problems: ['children[1].key.sourceId: required for ACCOUNT keys'],
  },
  {
    name: 'AND without children',
    criteria: { operation: 'AND' },
    problems: ['children: required for AND (at least one child)'],
  },
  {
    name: 'OR with empty children',
    criteria: { operation: 'OR', children: [] },
    problems: ['children: required for OR (at least one child)'],
  },
  {
    name: 'key and stringValue on a group',
    criteria: { operation: 'OR', key: dept.key, stringValue: 'x', children: [dept] },
    problems: ['key: not allowed on OR nodes', 'stringValue: not allowed on OR nodes'],
  },
  {
    name: 'AND directly under AND',
    criteria: { operation: 'AND', children: [dept, { operation: 'AND', children: [dept] }] },
    problems: ['children[1]: AND nodes can only be children of OR nodes and vice-versa'],
  },
  {
    name: 'OR directly under OR',
    criteria: { operation: 'OR', children: [{ operation: 'OR', children: [dept] }] },
    problems: ['children[0]: AND nodes can only be children of OR nodes and vice-versa'],
  },
  {
    name: 'more than 3 levels, including leaves',
    criteria: {
      operation: 'OR',
      children: [{ operation: 'AND', children: [{ operation: 'OR', children: [dept] }] }],
    },
    problems: [
      'children[0].children[0].children: too deep: at most 3 levels of criteria, including leaf nodes',
    ],
  },
  {
    name: 'every problem is reported, not only the first',
    criteria: {
      operation: 'OR',
      children: [{ operation: 'NOPE' }, { operation: 'EQUALS', key: { type: 'ACCOUNT', property: '' } }],
    },
    problems: [
      'children[0].operation: unknown operation "NOPE"',
      'children[1].stringValue: required for EQUALS',
      'children[1].key.property: required',
      'children[1].key.sourceId: required for ACCOUNT keys',
    ],
  },
]

describe('validateRoleCriteria', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(validateRoleCriteria(c.criteria)).toEqual(c.problems)
  })
})

describe('normaliseProperty', () => {
  it.each([
    ['attribute.department', 'department'],
    ['department', 'department'],
    [' attribute.memberOf ', 'memberOf'],
    ['attributes.x', 'attributes.x'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseProperty(input)).toBe(expected)
  })
})

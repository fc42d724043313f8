import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import { readFilters, type CheckedFilter, type FilterFields } from './check-filters.js'

type Field = 'id' | 'name' | 'count' | 'enabled' | 'created' | 'owner.id'

const FIELDS: FilterFields<Field> = {
  id: { type: 'string', operators: ['eq', 'in'] },
  name: { type: 'string', operators: ['eq', 'ne', 'in', 'sw', 'co', 'pr', 'isnull'], caseInsensitive: true },
  count: { type: 'number', operators: ['eq', 'gt', 'lt', 'ge', 'le', 'sw'] },
  enabled: { type: 'boolean', operators: ['eq', 'ne'] },
  created: { type: 'date', operators: ['eq', 'gt', 'lt', 'ge', 'le', 'isnull'], caseInsensitive: true },
  'owner.id': { type: 'string', operators: ['eq', 'in'] },
}

const checked: [string, CheckedFilter<Field>][] = [
  [
    'name eq "Alice"',
    { kind: 'compare', field: 'name', type: 'string', caseInsensitive: true, operator: 'eq', value: 'Alice' },
  ],
  [
    'owner.id in ("a", "b")',
    { kind: 'in', field: 'owner.id', type: 'string', caseInsensitive: false, values: ['a', 'b'] },
  ],
  [
    'count ge 3',
    { kind: 'compare', field: 'count', type: 'number', caseInsensitive: false, operator: 'ge', value: 3 },
  ],
  [
    'enabled eq false',
    {
      kind: 'compare',
      field: 'enabled',
      type: 'boolean',
      caseInsensitive: false,
      operator: 'eq',
      value: false,
    },
  ],
  // Dates become UTC instants; without an offset a date-time is UTC. Case is a property of text only.
  [
    'created gt 2024-01-31',
    {
      kind: 'compare',
      field: 'created',
      type: 'date',
      caseInsensitive: false,
      operator: 'gt',
      value: '2024-01-31T00:00:00.000Z',
    },
  ],
  [
    'created lt "2024-01-31T10:00:00+02:00"',
    {
      kind: 'compare',
      field: 'created',
      type: 'date',
      caseInsensitive: false,
      operator: 'lt',
      value: '2024-01-31T08:00:00.000Z',
    },
  ],
  [
    'created le 2024-01-31T10:00',
    {
      kind: 'compare',
      field: 'created',
      type: 'date',
      caseInsensitive: false,
      operator: 'le',
      value: '2024-01-31T10:00:00.000Z',
    },
  ],
  // eq null and ne null are isnull and pr.
  ['name eq null', { kind: 'presence', field: 'name', type: 'string', operator: 'isnull' }],
  ['name ne null', { kind: 'presence', field: 'name', type: 'string', operator: 'pr' }],
  ['created isnull', { kind: 'presence', field: 'created', type: 'date', operator: 'isnull' }],
  [
    'not (id eq "a" or name pr) and enabled eq true',
    {
      kind: 'and',
      operands: [
        {
          kind: 'not',
          operand: {
            kind: 'or',
            operands: [
              {
                kind: 'compare',
                field: 'id',
                type: 'string',
                caseInsensitive: false,
                operator: 'eq',
                value: 'a',
              },
              { kind: 'presence', field: 'name', type: 'string', operator: 'pr' },
            ],
          },
        },
        {
          kind: 'compare',
          field: 'enabled',
          type: 'boolean',
          caseInsensitive: false,
          operator: 'eq',
          value: true,
        },
      ],
    },
  ],
]

const refused: [string, string][] = [
  ['email eq "x"', 'cannot filter by "email"; filter by id, name, count, enabled, created, owner.id'],
  [
    'nmae eq "x"',
    'cannot filter by "nmae" (did you mean "name"?); filter by id, name, count, enabled, created, owner.id',
  ],
  [
    'constructor eq "x"',
    'cannot filter by "constructor"; filter by id, name, count, enabled, created, owner.id',
  ],
  [
    'id eq "a" and owner.idd eq "x"',
    'cannot filter by "owner.idd" (did you mean "owner.id"?); filter by id, name, count, enabled, created, owner.id',
  ],
  ['id sw "a"', '"id" does not support "sw"; it supports eq, in'],
  ['id pr', '"id" does not support "pr"; it supports eq, in'],
  ['not enabled gt true', '"enabled" does not support "gt"; it supports eq, ne'],
  // sw and co mean nothing on a number, even where a description lists them.
  ['count sw 1', '"count" does not support "sw"; it supports eq, gt, lt, ge, le'],
  ['name eq 5', '"name" takes a string in double quotes, not 5'],
  ['name in ("a", true)', '"name" takes a string in double quotes, not true'],
  ['name in ("a", null)', '"name in" cannot list null; use "name isnull"'],
  ['name sw null', '"name sw" cannot compare with null; use isnull or pr'],
  ['count eq "3"', '"count" takes a number, not "3"'],
  ['enabled eq "true"', '"enabled" takes true or false, not "true"'],
  ['enabled eq 1', '"enabled" takes true or false, not 1'],
  [
    'created gt "yesterday"',
    '"created" takes a date such as 2024-01-31 or 2024-01-31T08:00:00Z, not "yesterday"',
  ],
  [
    'created gt 2024-02-30',
    '"created" takes a date such as 2024-01-31 or 2024-01-31T08:00:00Z, not "2024-02-30"',
  ],
  [
    'created gt 2024-01-31T25:00:00Z',
    '"created" takes a date such as 2024-01-31 or 2024-01-31T08:00:00Z, not "2024-01-31T25:00:00Z"',
  ],
  ['created gt 20240131', '"created" takes a date such as 2024-01-31 or 2024-01-31T08:00:00Z, not 20240131'],
]

describe('checkFilters', () => {
  it.each(checked)('%s', (input, expected) => {
    expect(readFilters(input, FIELDS)).toEqual(expected)
  })

  it.each(refused)('refuses %j', (input, message) => {
    let error: unknown
    try {
      readFilters(input, FIELDS)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toBe(`filters: ${message}`)
  })
})

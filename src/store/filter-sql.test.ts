import { describe, expect, it } from 'vitest'
import { readFilters, type FilterFields } from '../domain/query/check-filters.js'
import { escapeLike, filterSql } from './filter-sql.js'

type Field = 'id' | 'name' | 'count' | 'enabled' | 'created' | 'uncorrelated'

const FIELDS: FilterFields<Field> = {
  id: { type: 'string', operators: ['eq', 'ne', 'in', 'sw', 'gt', 'pr', 'isnull'] },
  name: { type: 'string', operators: ['eq', 'in', 'sw', 'co', 'gt'], caseInsensitive: true },
  count: { type: 'number', operators: ['eq', 'in', 'gt', 'lt', 'ge', 'le', 'pr', 'isnull'] },
  enabled: { type: 'boolean', operators: ['eq', 'ne'] },
  created: { type: 'date', operators: ['eq', 'in', 'gt', 'le'] },
  uncorrelated: { type: 'boolean', operators: ['eq'] },
}

const COLUMNS: Record<Field, string> = {
  id: 'a.id',
  name: 'a.display_name',
  count: 'a.count',
  enabled: 'a.enabled',
  created: 'a.created',
  uncorrelated: '(a.identity_id IS NULL)',
}

const translated: [string, string, unknown[]][] = [
  ['id eq "x"', 'a.id = $1::text', ['x']],
  ['id ne "x"', 'a.id <> $1::text', ['x']],
  ['id gt "x"', 'a.id > $1::text', ['x']],
  ['id in ("x", "y")', 'a.id = ANY($1::text[])', [['x', 'y']]],
  ['id sw "50%_\\\\"', "a.id LIKE ($1::text || '%')", ['50\\%\\_\\\\']],
  ['id pr', "(a.id IS NOT NULL AND a.id <> '')", []],
  ['id isnull', "(a.id IS NULL OR a.id = '')", []],
  ['id eq null', "(a.id IS NULL OR a.id = '')", []],
  ['count pr', 'a.count IS NOT NULL', []],
  ['count isnull', 'a.count IS NULL', []],
  ['count ge 2.5', 'a.count >= $1::numeric', [2.5]],
  ['count lt -1', 'a.count < $1::numeric', [-1]],
  ['count le 0', 'a.count <= $1::numeric', [0]],
  ['count in (1, 2)', 'a.count = ANY($1::numeric[])', [[1, 2]]],
  ['enabled eq true', 'a.enabled = $1::boolean', [true]],
  ['enabled ne false', 'a.enabled <> $1::boolean', [false]],
  ['uncorrelated eq true', '(a.identity_id IS NULL) = $1::boolean', [true]],
  ['created gt 2024-01-31', 'a.created > $1::timestamptz', ['2024-01-31T00:00:00.000Z']],
  ['created in (2024-01-31)', 'a.created = ANY($1::timestamptz[])', [['2024-01-31T00:00:00.000Z']]],
  // Case-insensitive fields fold both sides in SQL, so the database's lower() decides, on both.
  ['name eq "Bob"', 'lower(a.display_name) = lower($1::text)', ['Bob']],
  ['name gt "B"', 'lower(a.display_name) > lower($1::text)', ['B']],
  ['name sw "B_"', "lower(a.display_name) LIKE (lower($1::text) || '%')", ['B\\_']],
  ['name co "%"', "lower(a.display_name) LIKE ('%' || lower($1::text) || '%')", ['\\%']],
  [
    'name in ("A", "b")',
    'lower(a.display_name) = ANY(SELECT lower(v) FROM unnest($1::text[]) AS v)',
    [['A', 'b']],
  ],
  // A value is never SQL: quotes and comments stay in the parameter.
  ['id eq "x\' OR 1=1 --"', 'a.id = $1::text', ["x' OR 1=1 --"]],
  [
    'id eq "a" or id eq "b" and not count gt 1',
    '(a.id = $1::text OR (a.id = $2::text AND ((a.count > $3::numeric) IS NOT TRUE)))',
    ['a', 'b', 1],
  ],
  ['not (id eq "a" or id eq "b")', '(((a.id = $1::text OR a.id = $2::text)) IS NOT TRUE)', ['a', 'b']],
]

describe('filterSql', () => {
  it.each(translated)('%s', (input, sql, params) => {
    expect(filterSql(readFilters(input, FIELDS), COLUMNS)).toEqual({ sql, params })
  })

  it('numbers its parameters from the index it is given', () => {
    expect(filterSql(readFilters('id eq "a" and count in (1)', FIELDS), COLUMNS, 4)).toEqual({
      sql: '(a.id = $4::text AND a.count = ANY($5::numeric[]))',
      params: ['a', [1]],
    })
  })

  it('takes column SQL only from the mapping, and fails loudly on a gap in it', () => {
    const gap = { ...COLUMNS, name: undefined } as unknown as Record<Field, string>
    expect(() => filterSql(readFilters('name eq "x"', FIELDS), gap)).toThrow(
      'no column for filter field "name"',
    )
  })

  it('escapes what LIKE reads', () => {
    expect(escapeLike('100%_a\\b')).toBe('100\\%\\_a\\\\b')
  })
})

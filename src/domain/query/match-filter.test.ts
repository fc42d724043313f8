import { describe, expect, it } from 'vitest'
import { readFilters, type FilterFields } from './check-filters.js'
import { matchesFilter, type RowValue } from './match-filter.js'

type Field = 'name' | 'id' | 'authoritative' | 'features' | 'modified'
const FIELDS: FilterFields<Field> = {
  name: { type: 'string', operators: ['eq', 'ne', 'in', 'sw', 'co', 'pr', 'isnull'], caseInsensitive: true },
  id: { type: 'string', operators: ['eq', 'in'] },
  authoritative: { type: 'boolean', operators: ['eq', 'ne'] },
  features: { type: 'string', operators: ['co', 'eq'] },
  modified: { type: 'date', operators: ['gt', 'lt'] },
}
const rows: Record<string, Record<Field, RowValue>> = {
  hr: { name: 'HR', id: 'a1', authoritative: true, features: [], modified: '2024-01-02T00:00:00.000Z' },
  badges: {
    name: 'Badge System',
    id: 'b2',
    authoritative: false,
    features: ['ENABLE', 'PROVISIONING'],
    modified: undefined,
  },
}

function matching(filters: string): string[] {
  const f = readFilters(filters, FIELDS)
  return Object.keys(rows).filter((k) => matchesFilter(f, (field) => rows[k]?.[field]))
}

describe('matchesFilter', () => {
  it('evaluates the grammar in memory as the store does in SQL', () => {
    expect(matching('name eq "hr"')).toEqual(['hr'])
    expect(matching('name sw "badge"')).toEqual(['badges'])
    expect(matching('id in ("a1", "b2") and not authoritative eq true')).toEqual(['badges'])
    expect(matching('features co "PROV" or name co "R"')).toEqual(['hr', 'badges'])
    expect(matching('modified gt 2024-01-01')).toEqual(['hr'])
    // No value matches no comparison; `not` of one is true.
    expect(matching('not modified lt 2025-01-01')).toEqual(['badges'])
    expect(matching('name pr')).toEqual(['hr', 'badges'])
  })
})

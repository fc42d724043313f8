import { describe, expect, it } from 'vitest'
import { bareClaimAndRecord, bareInsertAndRead, type BareRow } from '../bench/bare-store.js'
import { againstBaseline } from '../bench/bench-types.js'

describe('againstBaseline', () => {
  it('divides the measured rate by the baseline rate', () => {
    expect(againstBaseline(20_000, 80_000)).toEqual({ baseline: 80_000, ratio: 0.25 })
    expect(againstBaseline(1_500, 1_000)).toEqual({ baseline: 1_000, ratio: 1.5 })
  })

  it('rounds the baseline to a whole number and the ratio to three decimals', () => {
    expect(againstBaseline(1, 3)).toEqual({ baseline: 3, ratio: 0.333 })
    expect(againstBaseline(12_345.6, 98_765.4)).toEqual({ baseline: 98_765, ratio: 0.125 })
  })

  it('refuses a baseline that is not a positive rate, and a measured rate that is not a rate', () => {
    expect(() => againstBaseline(10, 0)).toThrow(/baseline rate must be a finite number > 0, got 0/)
    expect(() => againstBaseline(10, Number.NaN)).toThrow(/baseline rate/)
    expect(() => againstBaseline(10, Number.POSITIVE_INFINITY)).toThrow(/baseline rate/)
    expect(() => againstBaseline(-1, 10)).toThrow(/measured rate must be a finite number ≥ 0, got -1/)
  })
})

const serverUrl = process.env['PROVISIO_TEST_DATABASE_URL']
const stores = [
  { name: 'pglite', options: {} },
  ...(serverUrl ? [{ name: 'postgres', options: { databaseUrl: serverUrl } }] : []),
]

describe.each(stores)('bare store on $name', ({ options }) => {
  it('inserts the rows and reads every one back, timing both', async () => {
    const rows: BareRow[] = Array.from({ length: 2500 }, (_, i) => [
      `id-${i}`,
      JSON.stringify({ uid: `user${i}`, groups: ['a', 'b'] }),
    ])
    const r = await bareInsertAndRead(rows, options)
    expect(r.rows).toBe(2500)
    expect(r.insertMs).toBeGreaterThan(0)
    expect(r.readMs).toBeGreaterThan(0)
    expect(r.rowsPerSecond).toBeCloseTo(2500 / ((r.insertMs + r.readMs) / 1000), 6)
  })

  it('refuses an empty set of rows', async () => {
    await expect(bareInsertAndRead([], options)).rejects.toThrow(/at least one row/)
  })

  it('claims every row once, in batches, and records each result', async () => {
    const seen: string[] = []
    const r = await bareClaimAndRecord(
      Array.from({ length: 130 }, (_, i) => JSON.stringify({ uid: `u${i}` })),
      64,
      (items) => {
        seen.push((JSON.parse(items) as { uid: string }).uid)
        return items
      },
      options,
    )
    expect(r.rows).toBe(130)
    // 64 + 64 + 2: three batches, each row claimed once.
    expect(r.batches).toBe(3)
    expect(new Set(seen).size).toBe(130)
    expect(seen).toHaveLength(130)
    expect(r.rowsPerSecond).toBeGreaterThan(0)
  })
})

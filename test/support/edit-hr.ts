import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'

const HR_HEADER_COLUMNS = 14

/** HR columns by name, for editHr. */
export const HR = { department: 5, title: 6, managerId: 7, status: 10, terminationDate: 12 } as const

/** Rewrites one row of the demo's HR file (by employee id) with the given column values. */
export function editHr(dir: string, employeeId: string, changes: Record<number, string>): void {
  const file = join(dir, 'data/hr.csv')
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
  const i = lines.findIndex((l) => l.startsWith(`${employeeId},`))
  const cells = (lines[i] as string).split(',')
  expect(cells).toHaveLength(HR_HEADER_COLUMNS)
  for (const [k, v] of Object.entries(changes)) cells[Number(k)] = v
  lines[i] = cells.join(',')
  writeFileSync(file, lines.join('\n') + '\n')
}

/** Removes one row of the demo's HR file. */
export function removeHr(dir: string, employeeId: string): void {
  const file = join(dir, 'data/hr.csv')
  const lines = readFileSync(file, 'utf8').split('\n')
  writeFileSync(file, lines.filter((l) => !l.startsWith(`${employeeId},`)).join('\n'))
}

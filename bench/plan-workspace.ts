import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { seededRandom } from '../src/domain/seeded-random.js'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { processIdentities } from '../src/engine/process-identities.js'
import { toCsv } from '../src/domain/to-csv.js'
import { generatePeople, type Person } from '../src/demo/generate-people.js'
import { loadWorkspace, SETTINGS_FILE } from '../src/engine/workspace/load-workspace.js'
import { analyze } from '../src/store/db.js'
import type { Store } from '../src/store/open-store.js'
import { listPlannedActivities } from '../src/store/activities.js'
import { listSourceRows } from '../src/store/sources.js'
import { benchWorkspace } from './bench-workspace.js'

const EXTRA_SOURCES = ['Apps', 'VPN', 'Wiki'] as const
const POOL = 60

function groupSource(name: string): string {
  return `name: ${name}
owner: { type: IDENTITY, name: james.wilson }
connectionType: file
connector: delimited-file
deleteThreshold: 10
connectorAttributes: { file: data/${name.toLowerCase()}.csv, multiValueDelimiter: "|" }
schemas:
  - identityAttribute: login
    displayAttribute: login
    attributes:
      - { name: login }
      - { name: employeeNumber }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
`
}

/** Each person gets an account on one of the extra sources (so ~3 accounts each with HR and Directory). */
function groupCsv(people: readonly Person[], index: number, rnd: () => number): string {
  const rows = people
    .filter((_, i) => i % EXTRA_SOURCES.length === index)
    .map((p) => {
      const groups = new Set<string>()
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) groups.add(`g${Math.floor(rnd() * POOL)}`)
      return [`${EXTRA_SOURCES[index]?.toLowerCase()}-${p.employeeId}`, p.employeeId, [...groups].join('|')]
    })
  return toCsv(['login', 'employeeNumber', 'groups'], rows)
}

const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Human Resources', 'Operations', 'Marketing']
const LOCATIONS = ['Austin', 'London', 'Paris', 'Pune', 'Berlin']

/** A role: an OR of ANDs over identity and account attributes, 1 to 6 leaves, granting 2–3 access profiles. */
function roleYaml(i: number, rnd: () => number, accessProfiles: number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  // Selective leaves, as real job-function roles are: each role matches a few percent of the people.
  const leaf = (): string => {
    const r = rnd()
    if (r < 0.35) {
      return `{ operation: EQUALS, key: { type: IDENTITY, property: attribute.department }, stringValue: "${pick(DEPARTMENTS)}" }`
    }
    if (r < 0.6) {
      return `{ operation: EQUALS, key: { type: IDENTITY, property: attribute.location }, stringValue: ${pick(LOCATIONS)} }`
    }
    if (r < 0.8) {
      return `{ operation: STARTS_WITH, key: { type: IDENTITY, property: attribute.title }, stringValue: ${pick(['Senior', 'Staff', 'Account', 'HR', 'Marketing', 'Financial'])} }`
    }
    if (r < 0.9) {
      return `{ operation: NOT_EQUALS, key: { type: IDENTITY, property: attribute.cloudLifecycleState }, stringValue: terminated }`
    }
    return `{ operation: CONTAINS, key: { type: ACCOUNT, property: attribute.groups, sourceId: Directory }, stringValue: ${pick(['ENG', 'SAL', 'FIN', 'OPS'])}-admins }`
  }
  const leaves = 1 + (i % 6)
  let criteria: string
  if (leaves === 1) criteria = leaf()
  else {
    // AND groups of two or three leaves, ORed: (a AND b) OR (c AND d AND e)…
    const groups: string[][] = [[]]
    for (let k = 0; k < leaves; k++) {
      if (k > 0 && (k === 2 || k === 4) && leaves - k >= 2) groups.push([])
      groups[groups.length - 1]?.push(leaf())
    }
    const ands = groups.map((g) =>
      g.length === 1 ? g[0] : `{ operation: AND, children: [${g.join(', ')}] }`,
    )
    criteria = ands.length === 1 ? (ands[0] as string) : `{ operation: OR, children: [${ands.join(', ')}] }`
  }
  const aps = Array.from({ length: 2 + (i % 2) }, () => `AP ${Math.floor(rnd() * accessProfiles)}`)
  return `name: Role ${i}
membership:
  type: STANDARD
  criteria: ${criteria}
accessProfiles: [${[...new Set(aps)].map((a) => `"${a}"`).join(', ')}]
`
}

/**
 * The plan benchmarks' workspace: the demo with `size` people, a Directory and three group sources
 * (about 3 accounts per identity), 500 access profiles over 4 provisioning sources and 200 roles with
 * criteria of 1–6 leaves; every source aggregated.
 */
export async function planWorkspace(
  size: number,
  provisioning: 'automatic' | 'review' = 'review',
): Promise<{ store: Store; ctx: EngineContext; dir: string }> {
  const { store, ctx: base, config: baseConfig } = await benchWorkspace(size)
  const dir = baseConfig.dir
  const rnd = seededRandom(99)
  const people = generatePeople(size)
  EXTRA_SOURCES.forEach((name, i) => {
    writeFileSync(join(dir, `sources/${name.toLowerCase()}.yaml`), groupSource(name))
    writeFileSync(join(dir, `data/${name.toLowerCase()}.csv`), groupCsv(people, i, rnd))
  })
  mkdirSync(join(dir, 'access-profiles'), { recursive: true })
  const apSources = ['Directory', ...EXTRA_SOURCES]
  for (let i = 0; i < 500; i++) {
    const source = apSources[i % apSources.length] as string
    const values =
      source === 'Directory'
        ? [`${['ENG', 'SAL', 'FIN', 'HR', 'OPS', 'MKT'][i % 6]}-projects`]
        : [`g${i % POOL}`, `g${(i * 7) % POOL}`]
    writeFileSync(
      join(dir, `access-profiles/ap-${i}.yaml`),
      `name: AP ${i}\nsource: ${source}\nentitlements:\n${[...new Set(values)].map((v) => `  - { attribute: groups, value: "${v}" }`).join('\n')}\n`,
    )
  }
  mkdirSync(join(dir, 'roles'), { recursive: true })
  for (let i = 0; i < 200; i++) writeFileSync(join(dir, `roles/role-${i}.yaml`), roleYaml(i, rnd, 500))
  const settings = join(dir, SETTINGS_FILE)
  writeFileSync(
    settings,
    readFileSync(settings, 'utf8').replace('provisioning: review', `provisioning: ${provisioning}`),
  )
  const config = await loadWorkspace(dir)
  const ctx = { ...base, config }
  await aggregateSource(ctx, 'HR')
  for (const s of ['Directory', ...EXTRA_SOURCES]) await aggregateSource(ctx, s)
  await processIdentities(ctx)
  return { store, ctx, dir }
}

/**
 * Simulates execution (the next milestone): what the pending requests create and add is written into
 * the sources' files, the requests are marked done, and the sources are aggregated again.
 */
export async function simulateExecution(ctx: EngineContext, dir: string): Promise<void> {
  const names = new Map((await listSourceRows(ctx.db)).map((s) => [s.id, s.name]))
  const adds = new Map<string, Set<string>>()
  const removes = new Map<string, Set<string>>()
  const creates = new Map<string, Record<string, string>[]>()
  for (const r of await listPlannedActivities(ctx.db, { statuses: ['PENDING'] })) {
    const source = names.get(r.sourceId) as string
    if (r.operation === 'Create') {
      const row: Record<string, string> = {}
      for (const i of r.items) {
        const v = String(i.value ?? '')
        row[i.attribute] = i.operation === 'Add' && row[i.attribute] ? `${row[i.attribute]}|${v}` : v
      }
      creates.set(source, [...(creates.get(source) ?? []), row])
    }
    if (r.operation !== 'Modify' || r.nativeIdentity === null) continue
    const key = `${source}/${r.nativeIdentity}`
    for (const i of r.items) {
      const changes = i.operation === 'Add' ? adds : i.operation === 'Remove' ? removes : undefined
      if (!changes || typeof i.value !== 'string') continue
      changes.set(key, (changes.get(key) ?? new Set<string>()).add(i.value))
    }
  }
  const sources = [
    ['Directory', 'username', 'groups'],
    ['Badge System', 'badgeId', 'zones'],
    ...EXTRA_SOURCES.map((s) => [s, 'login', 'groups']),
  ] as const
  for (const [name, idColumn, groupColumn] of sources) {
    const file = join(dir, `data/${name === 'Badge System' ? 'badges' : name.toLowerCase()}.csv`)
    const { data, meta } = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    })
    for (const row of data) {
      const key = `${name}/${row[idColumn] ?? ''}`
      const held = new Set((row[groupColumn] ?? '').split('|').filter(Boolean))
      for (const g of adds.get(key) ?? []) held.add(g)
      for (const g of removes.get(key) ?? []) held.delete(g)
      row[groupColumn] = [...held].join('|')
    }
    for (const row of creates.get(name) ?? []) data.push(row)
    writeFileSync(file, Papa.unparse(data, { columns: meta.fields ?? [] }) + '\n')
  }
  await ctx.db.query(`UPDATE account_requests SET status = 'FINISHED' WHERE status = 'PENDING'`)
  await analyze(ctx.db, 'activities')
  for (const [name] of sources) await aggregateSource(ctx, name)
}

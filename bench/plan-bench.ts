import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import Papa from 'papaparse'
import { join } from 'node:path'
import { seededRandom } from '../src/domain/seeded-random.js'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { generatePeople, toCsv, type Person } from '../src/engine/sample-data/generate-people.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { buildPlanningModel } from '../src/domain/plan/build-planning-model.js'
import { planIdentity } from '../src/domain/plan/plan-identity.js'
import type { Identity } from '../src/domain/model.js'
import type { PlanAccount, PlanningModel } from '../src/domain/plan/planning-model.js'
import { loadAccountsOf } from '../src/store/accounts.js'
import { listIdentityPage } from '../src/store/identities.js'
import { listAccountRequests, loadAppliedStates } from '../src/store/plans.js'
import { listSourceRows } from '../src/store/sources.js'
import type { BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'

const EXTRA_SOURCES = ['Apps', 'VPN', 'Wiki'] as const
const POOL = 60

function groupSource(name: string): string {
  return `name: ${name}
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
 * `plan`: 100,000 identities, 200 roles with criteria of 1–6 leaves, 500 access profiles over 4
 * provisioning sources (5 with HR), ~3 accounts per identity, on the embedded store. Measures the
 * pure planner alone, plan (read + plan), and apply (read + plan + write of pending account requests).
 */
export async function planBench(size: number): Promise<BenchResult> {
  const { store, ctx: base, config: baseConfig } = await benchWorkspace(size)
  try {
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
    const config = await loadWorkspace(dir)
    const ctx = { ...base, config }
    await aggregateSource(ctx, 'HR')
    for (const s of ['Directory', ...EXTRA_SOURCES]) await aggregateSource(ctx, s)

    const sourceIds = new Map((await listSourceRows(store.db)).map((s) => [s.name, s.id]))
    const model = buildPlanningModel(config, sourceIds)
    const pureFirst = await purePlanner(ctx, model)

    // First apply: every identity gets its access for the first time (~18 changes each).
    const first = await applyPlan(ctx)
    // Execution (the next milestone) is simulated: the groups added land in the source files, the
    // requests are marked done, and the sources are aggregated again — the steady state.
    await simulateExecution(ctx, dir)
    const pureSteady = await purePlanner(ctx, model)
    const steady = await applyPlan(ctx)
    const accountsTotal = Number(
      (await store.db.query<{ n: string }>('SELECT count(*) AS n FROM accounts'))[0]?.n ?? 0,
    )
    return {
      name: 'plan',
      metric: 'identities per second, steady state (read, plan, write)',
      value: size / (steady.durationMs / 1000),
      unit: 'identities/s',
      size,
      details: {
        roles: config.roles.length,
        'access profiles': config.accessProfiles.length,
        sources: config.sources.length,
        'accounts per identity': (accountsTotal / size).toFixed(2),
        'pure planner, first plan (identities/s)': Math.round(size / (pureFirst.ms / 1000)),
        'pure planner, first plan items': pureFirst.items,
        'pure planner, steady state (identities/s)': Math.round(size / (pureSteady.ms / 1000)),
        'pure planner, steady state items': pureSteady.items,
        'first apply (s)': (first.durationMs / 1000).toFixed(2),
        'first apply (identities/s)': Math.round(size / (first.durationMs / 1000)),
        'first apply account requests': first.accountRequests,
        'steady apply (s)': (steady.durationMs / 1000).toFixed(2),
        'steady apply account requests': steady.accountRequests,
        target: '10,000 identities/s end to end; 50,000 pure',
      },
    }
  } finally {
    await store.close()
  }
}

/** The pure planner alone, on every identity with its accounts and applied grants already in memory. */
async function purePlanner(ctx: EngineContext, model: PlanningModel): Promise<{ ms: number; items: number }> {
  const identities: Identity[] = []
  for (let page = await listIdentityPage(ctx.db, '', 10_000); page.length > 0;) {
    identities.push(...page)
    page = await listIdentityPage(ctx.db, (page[page.length - 1] as Identity).id, 10_000)
  }
  const accounts = new Map<string, PlanAccount[]>()
  for (const a of await loadAccountsOf(ctx.db, { sourceIds: null })) {
    const list = accounts.get(a.identityId as string) ?? []
    list.push({
      sourceId: a.sourceId,
      nativeIdentity: a.nativeIdentity,
      disabled: a.disabled,
      attributes: a.attributes,
    })
    accounts.set(a.identityId as string, list)
  }
  const applied = await loadAppliedStates(
    ctx.db,
    identities.map((i) => i.id),
    new Map(),
  )
  const taken = new Set<string>()
  const t0 = performance.now()
  let items = 0
  for (const identity of identities) {
    const previous = applied.get(identity.id)
    const r = planIdentity(
      {
        id: identity.id,
        name: identity.name,
        identityProfile: identity.identityProfile,
        attributes: identity.attributes,
        lifecycleState: identity.lifecycleState,
        previousLifecycleState: previous?.lifecycleState ?? identity.lifecycleState,
        accounts: accounts.get(identity.id) ?? [],
        previousGrants: previous?.grants ?? [],
      },
      {
        model,
        isAccountIdFree: (s, id) => !taken.has(s + id),
        reserveAccountId: (s, id) => void taken.add(s + id),
      },
    )
    items += r.items.length
  }
  return { ms: performance.now() - t0, items }
}

/**
 * Simulates execution (the next milestone): what the pending requests create and add is written into
 * the sources' files, the requests are marked done, and the sources are aggregated again.
 */
async function simulateExecution(ctx: EngineContext, dir: string): Promise<void> {
  const names = new Map((await listSourceRows(ctx.db)).map((s) => [s.id, s.name]))
  const adds = new Map<string, Set<string>>()
  const removes = new Map<string, Set<string>>()
  const creates = new Map<string, Record<string, string>[]>()
  for (const r of await listAccountRequests(ctx.db, { status: 'PENDING' })) {
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
    data.push(...(creates.get(name) ?? []))
    writeFileSync(file, Papa.unparse(data, { columns: meta.fields ?? [] }) + '\n')
  }
  await ctx.db.query(`UPDATE account_requests SET status = 'FINISHED' WHERE status = 'PENDING'`)
  for (const [name] of sources) await aggregateSource(ctx, name, { process: false })
}

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ItemDecision } from '../src/domain/certifications/certification-item.js'
import { configId } from '../src/domain/plan/build-planning-model.js'
import { seededRandom } from '../src/domain/seeded-random.js'
import { toCsv } from '../src/domain/to-csv.js'
import { hrCsv, type Person } from '../src/demo/generate-people.js'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { activateCampaign } from '../src/engine/certifications/activate-campaign.js'
import type { CampaignActor } from '../src/engine/certifications/campaign-actor.js'
import {
  campaignProgress,
  decisionsCsv,
  loadCampaignReport,
} from '../src/engine/certifications/campaign-report.js'
import { createCampaign } from '../src/engine/certifications/create-campaign.js'
import { decideItems, MAX_DECISIONS } from '../src/engine/certifications/decide-items.js'
import { remediateSignedOff } from '../src/engine/certifications/remediate-signed-off.js'
import { signOffCertification } from '../src/engine/certifications/sign-off.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { processIdentities } from '../src/engine/process-identities.js'
import { insertAssignments, type NewAssignment } from '../src/store/assignments.js'
import { listCertificationItems } from '../src/store/certification-items.js'
import { listCertifications } from '../src/store/certifications.js'
import type { Db } from '../src/store/db.js'
import { againstBaseline, type BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'
import { CERTIFICATION_ITEM_INSERT_COLUMNS } from '../src/store/certification-items.js'

/** Direct reports per manager: the HR extract's managers are rewritten into a tree of this span. */
const SPAN = 10
const APPS = 40
const PROJECTS = 10
const ENTITLEMENTS = 30
const UNMANAGED = 100
/** Revocations signed off: 10,000 at 100,000 identities (a tenth of the identities below that). */
const REVOCATIONS = 10_000

const APPS_SOURCE = `name: Apps
owner: { type: IDENTITY, name: james.wilson }
connectionType: file
connector: delimited-file
deleteThreshold: 10
connectorAttributes: { file: data/apps.csv, multiValueDelimiter: "|" }
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

const DEPARTMENTS: Record<string, string> = {
  Engineering: 'ENG',
  Sales: 'SAL',
  Finance: 'FIN',
  'Human Resources': 'HR',
  Operations: 'OPS',
  Marketing: 'MKT',
}
const LOCATIONS = ['Austin', 'London', 'Paris', 'Pune', 'Berlin']

/** What one person was given by request (assignments), and the groups on their Apps account nothing grants. */
interface Given {
  readonly apps: readonly number[]
  readonly entitlement: number
  readonly project: number | null
  readonly unmanaged: readonly number[]
}

function accessProfile(name: string, group: string, requestable = false): string {
  return `name: ${name}
owner: { type: IDENTITY, name: james.wilson }
source: Apps
${requestable ? 'requestable: true\n' : ''}entitlements:
  - { attribute: groups, value: "${group}" }
`
}

function criteriaRole(name: string, property: string, value: string, profile: string): string {
  return `name: ${name}
owner: { type: IDENTITY, name: james.wilson }
membership:
  type: STANDARD
  criteria: { operation: EQUALS, key: { type: IDENTITY, property: attribute.${property} }, stringValue: "${value}" }
accessProfiles: ["${profile}"]
`
}

/**
 * Writes the campaign workspace's files: everyone active, managers as a tree of SPAN reports each (the
 * demo's extract has one head per department over everyone), a badge for everyone (the demo's roles grant
 * lobby and datacenter zones), and an Apps source whose accounts hold what criteria roles and requests
 * grant plus one or two groups nothing grants. Returns each person's requested access, by employee id.
 */
function prepare(dir: string, people: readonly Person[]): Map<string, Given> {
  const rnd = seededRandom(14)
  const pick = (n: number): number => Math.floor(rnd() * n)
  const hr = people.map((p, i) => ({
    ...p,
    status: 'A' as const,
    terminationDate: '',
    hireDate: p.status === 'P' ? '2020-01-01' : p.hireDate,
    managerId: i === 0 ? '' : (people[Math.floor((i - 1) / SPAN)] as Person).employeeId,
  }))
  writeFileSync(join(dir, 'data/hr.csv'), hrCsv(hr))
  writeFileSync(
    join(dir, 'data/badges.csv'),
    toCsv(
      ['badgeId', 'employeeNumber', 'holder', 'active', 'zones'],
      people.map((p) => [
        `B${p.employeeId}`,
        p.employeeId,
        p.displayName,
        'true',
        p.department === 'Operations' ? 'lobby|datacenter' : 'lobby',
      ]),
    ),
  )

  writeFileSync(join(dir, 'sources/apps.yaml'), APPS_SOURCE)
  mkdirSync(join(dir, 'access-profiles'), { recursive: true })
  mkdirSync(join(dir, 'roles'), { recursive: true })
  for (const [department, code] of Object.entries(DEPARTMENTS)) {
    writeFileSync(
      join(dir, `access-profiles/dept-${code}.yaml`),
      accessProfile(`Dept ${code} Apps`, `dept-${code}`),
    )
    writeFileSync(
      join(dir, `roles/dept-${code}.yaml`),
      criteriaRole(`Dept ${code}`, 'department', department, `Dept ${code} Apps`),
    )
  }
  for (const city of LOCATIONS) {
    writeFileSync(
      join(dir, `access-profiles/site-${city}.yaml`),
      accessProfile(`Site ${city} Apps`, `site-${city}`),
    )
    writeFileSync(
      join(dir, `roles/site-${city}.yaml`),
      criteriaRole(`Site ${city}`, 'location', city, `Site ${city} Apps`),
    )
  }
  for (let k = 0; k < APPS; k++) {
    writeFileSync(join(dir, `access-profiles/app-${k}.yaml`), accessProfile(`App ${k}`, `app-${k}`, true))
  }
  for (let k = 0; k < PROJECTS; k++) {
    writeFileSync(
      join(dir, `access-profiles/project-${k}.yaml`),
      accessProfile(`Project ${k} Apps`, `proj-${k}`),
    )
    writeFileSync(
      join(dir, `roles/project-${k}.yaml`),
      `name: Project ${k}\nowner: { type: IDENTITY, name: james.wilson }\nrequestable: true\naccessProfiles: ["Project ${k} Apps"]\n`,
    )
  }

  const given = new Map<string, Given>()
  const rows = people.map((p) => {
    const apps = new Set([pick(APPS)])
    while (apps.size < 2) apps.add(pick(APPS))
    const unmanaged = new Set([pick(UNMANAGED)])
    if (rnd() < 0.5) unmanaged.add(pick(UNMANAGED))
    const g: Given = {
      apps: [...apps],
      entitlement: pick(ENTITLEMENTS),
      project: rnd() < 0.5 ? pick(PROJECTS) : null,
      unmanaged: [...unmanaged],
    }
    given.set(p.employeeId, g)
    const groups = [
      `dept-${p.departmentCode}`,
      `site-${p.location}`,
      ...g.apps.map((k) => `app-${k}`),
      `ent-${g.entitlement}`,
      ...(g.project !== null ? [`proj-${g.project}`] : []),
      ...g.unmanaged.map((k) => `u-${k}`),
    ]
    return [`apps-${p.employeeId}`, p.employeeId, groups.join('|')]
  })
  writeFileSync(join(dir, 'data/apps.csv'), toCsv(['login', 'employeeNumber', 'groups'], rows))
  return given
}

/** The requested access of `given` as assignments (origin ACCESS_REQUEST), written in bulk. */
async function insertGiven(ctx: EngineContext, given: ReadonlyMap<string, Given>): Promise<number> {
  const identities = await ctx.db.query<{ id: string; employee: string }>(
    `SELECT id, attributes->>'employeeNumber' AS employee FROM identities`,
  )
  const entitlements = new Map(
    (
      await ctx.db.query<{ id: string; value: string }>(
        `SELECT e.id, e.value FROM entitlements e JOIN sources s ON s.id = e.source_id
         WHERE s.name = 'Apps' AND e.value LIKE 'ent-%'`,
      )
    ).map((e) => [e.value, e.id]),
  )
  const profileId = (name: string): string => configId({ name })
  const byName = new Map(
    [...ctx.config.accessProfiles, ...ctx.config.roles].map(({ value }) => [value.name, configId(value)]),
  )
  const list: NewAssignment[] = []
  for (const { id, employee } of identities) {
    const g = given.get(employee)
    if (!g) continue
    const base = { identityId: id, origin: 'ACCESS_REQUEST' as const, startDate: null, removeDate: null }
    for (const k of g.apps) {
      const name = `App ${k}`
      list.push({
        ...base,
        itemType: 'ACCESS_PROFILE',
        itemId: byName.get(name) ?? profileId(name),
        itemName: name,
        createdBy: 'bench',
      })
    }
    const ent = entitlements.get(`ent-${g.entitlement}`)
    if (ent === undefined) throw new Error(`no entitlement ent-${g.entitlement} on Apps`)
    list.push({
      ...base,
      itemType: 'ENTITLEMENT',
      itemId: ent,
      itemName: `Apps:groups:ent-${g.entitlement}`,
      createdBy: 'bench',
    })
    if (g.project !== null) {
      const name = `Project ${g.project}`
      list.push({
        ...base,
        itemType: 'ROLE',
        itemId: byName.get(name) as string,
        itemName: name,
        createdBy: 'bench',
      })
    }
  }
  for (let i = 0; i < list.length; i += 50_000) await insertAssignments(ctx.db, list.slice(i, i + 50_000))
  return list.length
}

/** The workspace, aggregated, processed, given its requested access and applied once (untimed). */
export async function campaignWorkspace(size: number): Promise<{
  ctx: EngineContext
  close: () => Promise<void>
  assignments: number
  firstApplyRequests: number
  setupMs: number
}> {
  const t0 = performance.now()
  let given = new Map<string, Given>()
  const { store, ctx } = await benchWorkspace(size, undefined, (dir, people) => {
    given = prepare(dir, people)
  })
  try {
    for (const s of ['HR', 'Directory', 'Badge System', 'Apps']) await aggregateSource(ctx, s)
    await processIdentities(ctx)
    const assignments = await insertGiven(ctx, given)
    // The applied state the remediation's plan is compared with: what was granted is recorded.
    const first = await applyPlan(ctx)
    await ctx.db.exec('ANALYZE')
    return {
      ctx,
      close: () => store.close(),
      assignments,
      firstApplyRequests: first.accountRequests,
      setupMs: performance.now() - t0,
    }
  } catch (err) {
    await store.close()
    throw err
  }
}

const INSERT_COLUMNS = CERTIFICATION_ITEM_INSERT_COLUMNS

/**
 * The physical baseline: the campaign's own rows (the columns generation writes, as text) COPYed with the
 * store's bulk insert (`Db.insertRows`, the path insertCertificationItems takes) into a table like
 * certification_items (same columns, defaults and indexes), in the same embedded store.
 */
async function bareInsert(
  db: Db,
  campaignId: string,
): Promise<{ rows: number; ms: number; packedRows: number; packedMs: number }> {
  const rows = await db.query<Record<(typeof INSERT_COLUMNS)[number], string | null>>(
    `SELECT ${INSERT_COLUMNS.map((c) => `${c}::text AS ${c}`).join(', ')}
     FROM certification_items WHERE campaign_id = $1`,
    [campaignId],
  )
  const tuples = rows.map((r) => INSERT_COLUMNS.map((c) => r[c] ?? null))
  await db.exec('CREATE TABLE bench_bare_items (LIKE certification_items INCLUDING ALL)')
  const t0 = performance.now()
  await db.transaction((tx) => tx.insertRows('bench_bare_items', INSERT_COLUMNS, tuples))
  const ms = performance.now() - t0
  await db.exec('DROP TABLE bench_bare_items')
  const packed = await packedInsert(db, tuples)
  return { rows: tuples.length, ms, packedRows: packed.rows, packedMs: packed.ms }
}

/**
 * The same items in another model, for comparison only (Provisio does not store them so): one row per
 * identity per certification, its items a JSON array of their columns, with a primary key and an index by
 * certification like certification_items'. It shows what the one-row-per-item model costs the write: each
 * item's row header, tuple and two index entries, against a share of one packed row.
 */
async function packedInsert(
  db: Db,
  tuples: readonly (readonly (string | null)[])[],
): Promise<{ rows: number; ms: number }> {
  const at = (c: (typeof INSERT_COLUMNS)[number]): number => INSERT_COLUMNS.indexOf(c)
  const [cert, identity, campaign] = [at('certification_id'), at('identity_id'), at('campaign_id')]
  const inside = INSERT_COLUMNS.map((_, i) => i).filter((i) => ![cert, identity, campaign].includes(i))
  // Built before the clock starts, as the one-row-per-item tuples are: only the write is compared.
  const groups = new Map<string, { first: readonly (string | null)[]; items: (string | null)[][] }>()
  for (const t of tuples) {
    const key = `${t[cert]}\u0000${t[identity]}`
    const group = groups.get(key) ?? { first: t, items: [] }
    group.items.push(inside.map((i) => t[i] ?? null))
    groups.set(key, group)
  }
  const rows = [...groups.values()].map(({ first, items }) => [
    first[at('id')] ?? null,
    first[campaign] ?? null,
    first[cert] ?? null,
    first[identity] ?? null,
    JSON.stringify(items),
  ])
  await db.exec(`CREATE TABLE bench_packed_items (id text PRIMARY KEY, campaign_id text NOT NULL,
    certification_id text NOT NULL, identity_id text NOT NULL, items json NOT NULL);
    CREATE INDEX bench_packed_items_certification ON bench_packed_items (certification_id, id)`)
  const t0 = performance.now()
  await db.transaction((tx) =>
    tx.insertRows(
      'bench_packed_items',
      ['id', 'campaign_id', 'certification_id', 'identity_id', 'items'],
      rows,
    ),
  )
  const ms = performance.now() - t0
  await db.exec('DROP TABLE bench_packed_items')
  return { rows: rows.length, ms }
}

/**
 * `campaign`: a MANAGER campaign over `size` identities (default 100,000) on the embedded store. Each
 * identity has about 10 reviewable items: 3 roles from criteria (All Employees, its department's, its
 * site's: acknowledge-only), 2 requested access profiles, 1 requested entitlement and half of them a
 * requested role (assignments, revocable), the Directory groups nothing grants (~2.7) and 1–2 groups on
 * its Apps account nothing grants (unmanaged, revocable). Managers form a tree of 10 reports each.
 * Measured: generation (createCampaign: everyone's desired access, reasons, peer shares, COPY of the items) in
 * items/s; its baseline, the same rows COPYed bare into a like table of the same store; then, with the
 * campaign active, 10,000 REVOKE decisions (decideItems, 250 a call; the rest of those certifications
 * approved) and the sign-off of the certifications holding them, from the first sign-off until the last
 * one's remediation is planned (assignments deleted, plans applied, activities written), in items/s: the
 * reviewers sign off without waiting, then the remediation job plans every queued certification at once.
 */
export async function campaignBench(size: number): Promise<BenchResult> {
  const ws = await campaignWorkspace(size)
  const { ctx } = ws
  progress(`workspace of ${size} identities ready in ${(ws.setupMs / 1000).toFixed(0)} s`)
  try {
    const [admin] = await ctx.db.query<{ id: string }>(
      `SELECT id FROM identities WHERE attributes->>'employeeNumber' = '100000'`,
    )
    const actor: CampaignActor = {
      identityId: admin?.id ?? null,
      clientId: 'bench',
      capabilities: ['ORG_ADMIN'],
    }

    // (1) Generation.
    const t0 = performance.now()
    const { campaign, generated } = await createCampaign(ctx, actor, {
      name: 'Bench review',
      type: 'MANAGER',
      deadline: new Date(ctx.now().getTime() + 30 * 86_400_000).toISOString(),
      emailNotificationEnabled: false,
    })
    const generateMs = performance.now() - t0
    if (!generated) throw new Error(`campaign generation failed: ${campaign.error ?? campaign.status}`)
    const items = generated.items
    const value = items / (generateMs / 1000)
    progress(`generated ${items} items in ${(generateMs / 1000).toFixed(1)} s: ${Math.round(value)} items/s`)

    // (2) Baseline: the same rows, bare COPY.
    const bare = await bareInsert(ctx.db, campaign.id)
    if (bare.rows !== items) throw new Error(`baseline read ${bare.rows} rows, generation wrote ${items}`)
    const baselineRate = bare.rows / (bare.ms / 1000)
    progress(
      `baseline: ${bare.rows} rows COPYed in ${(bare.ms / 1000).toFixed(1)} s; packed in ${bare.packedRows} rows: ${(bare.packedMs / 1000).toFixed(1)} s`,
    )

    // What an item row holds: the bytes each model writes are mostly its reasons and peer shares.
    const [bytes] = await ctx.db.query<{ row: number; reasons: number; peers: number }>(
      `SELECT avg(pg_column_size(i.*))::int AS row, avg(pg_column_size(reasons))::int AS reasons,
         avg(pg_column_size(peers))::int AS peers
       FROM certification_items i WHERE campaign_id = $1`,
      [campaign.id],
    )

    // (3) Decisions and sign-off.
    await activateCampaign(ctx, actor, campaign.id)
    const target = Math.min(REVOCATIONS, Math.floor(size / 10))
    const certs = await listCertifications(ctx.db, { campaignIds: [campaign.id] })
    const chosen: { id: string; decisions: ItemDecision[] }[] = []
    let revoked = 0
    let revokedGiven = 0
    for (const cert of certs) {
      if (revoked >= target) break
      const decisions: ItemDecision[] = []
      for (const i of await listCertificationItems(ctx.db, { certificationIds: [cert.id] })) {
        const revoke = i.revocable && revoked < target
        if (revoke) {
          revoked++
          if (i.assignmentIds.length > 0) revokedGiven++
        }
        decisions.push({ id: i.id, decision: revoke ? 'REVOKE' : 'APPROVE', comments: 'bench' })
      }
      chosen.push({ id: cert.id, decisions })
    }
    if (revoked < target) throw new Error(`only ${revoked} revocable items, wanted ${target}`)
    const decided = chosen.reduce((n, c) => n + c.decisions.length, 0)
    const d0 = performance.now()
    for (const c of chosen) {
      for (let i = 0; i < c.decisions.length; i += MAX_DECISIONS) {
        await decideItems(ctx, actor, c.id, c.decisions.slice(i, i + MAX_DECISIONS))
      }
    }
    const decideMs = performance.now() - d0
    progress(`decided ${decided} items in ${(decideMs / 1000).toFixed(1)} s; signing off ${chosen.length}`)

    const activitiesBefore = await countRows(ctx.db, 'account_requests')
    const assignmentsBefore = await countRows(ctx.db, 'assignments')
    const remediation: Record<string, number> = {}
    const s0 = performance.now()
    // Reviewers sign off one after another without waiting; then the remediation job plans them all at once
    // (what serve runs right after a sign-off, and every minute).
    for (const c of chosen) await signOffCertification(ctx, actor, c.id, { wait: false })
    const signedMs = performance.now() - s0
    const run = await remediateSignedOff(ctx, { campaignIds: [campaign.id] })
    for (const [k, n] of Object.entries(run.counts)) remediation[k] = (remediation[k] ?? 0) + n
    const signOffMs = performance.now() - s0
    const activities = (await countRows(ctx.db, 'account_requests')) - activitiesBefore
    const assignmentsDeleted = assignmentsBefore - (await countRows(ctx.db, 'assignments'))
    const signOffRate = revoked / (signOffMs / 1000)

    // (4) Reports: the campaign's progress (counts), then its decisions' CSV as it is streamed, against
    // reading every item whole (what the status read before, and what the reference's item reports read).
    const r0 = performance.now()
    await campaignProgress(ctx, actor, campaign.id)
    const progressMs = performance.now() - r0
    let csvBytes = 0
    const c0 = performance.now()
    for await (const part of decisionsCsv(ctx, campaign)) csvBytes += Buffer.byteLength(part)
    const csvMs = performance.now() - c0
    progress(
      `progress ${progressMs.toFixed(0)} ms; decisions' CSV ${(csvMs / 1000).toFixed(1)} s (${csvBytes} bytes)`,
    )
    const w0 = performance.now()
    // At a million items the one JSON text the store answers with may exceed what a string can hold.
    const whole = await loadCampaignReport(ctx, campaign.id).then(
      (r) => String(r.items.length),
      (err: unknown) => `failed: ${(err as Error).message}`,
    )
    const wholeMs = performance.now() - w0
    progress(`every item whole: ${whole} in ${(wholeMs / 1000).toFixed(1)} s`)

    const phases = generated.phases ?? {}
    const share = (ms: number): string =>
      `${(ms / 1000).toFixed(2)} s (${((ms / generateMs) * 100).toFixed(1)}%)`
    return {
      name: 'campaign',
      metric: 'items per second, MANAGER campaign generation (createCampaign, reasons and peer shares)',
      value,
      unit: 'items/s',
      size,
      ...againstBaseline(value, baselineRate),
      baselineMetric: `rows/s, bare COPY (Db.insertRows) of the same ${bare.rows.toLocaleString('en-US')} certification_items rows into a like table, same embedded store`,
      figures: {
        generateMs: Math.round(generateMs),
        generatePhasesMs: phases,
        items,
        certifications: generated.certifications,
        identities: generated.identities,
        skipped: generated.skipped.length,
        baselineMs: Math.round(bare.ms),
        packedRows: bare.packedRows,
        packedMs: Math.round(bare.packedMs),
        itemRowBytes: bytes,
        revocations: revoked,
        revocationsOfAssignments: revokedGiven,
        decisions: decided,
        decideMs: Math.round(decideMs),
        signedOff: chosen.length,
        signOffMs: Math.round(signOffMs),
        signOnlyMs: Math.round(signedMs),
        signOffItemsPerSecond: Math.round(signOffRate),
        remediation,
        activities,
        assignmentsDeleted,
        setupMs: Math.round(ws.setupMs),
        reportProgressMs: Math.round(progressMs),
        reportCsvMs: Math.round(csvMs),
        reportCsvBytes: csvBytes,
        reportWholeItemsMs: Math.round(wholeMs),
        reportWholeItems: whole,
      },
      details: {
        'items per identity': (items / size).toFixed(2),
        certifications: generated.certifications,
        'identities left out': generated.skipped.length,
        'generate (s)': (generateMs / 1000).toFixed(2),
        ...Object.fromEntries(Object.entries(phases).map(([k, ms]) => [`  ${k}`, share(ms)])),
        'baseline COPY (s)': (bare.ms / 1000).toFixed(2),
        'bytes an item row holds: all, of which reasons, peer shares': `${bytes?.row}, ${bytes?.reasons}, ${bytes?.peers}`,
        'for comparison: the same items packed, one row per identity and certification (rows, s, items/s)': `${bare.packedRows}, ${(bare.packedMs / 1000).toFixed(2)}, ${Math.round(bare.rows / (bare.packedMs / 1000))}`,
        [`decide ${decided} items, 250 a call (items/s)`]: Math.round(decided / (decideMs / 1000)),
        [`sign-off: ${revoked} revocations (${revokedGiven} of assignments), ${chosen.length} certifications (s)`]:
          (signOffMs / 1000).toFixed(2),
        'sign-off to planned remediation (items/s)': Math.round(signOffRate),
        'sign-off ms a certification': (signOffMs / chosen.length).toFixed(1),
        'of which the sign-offs, then the remediation job (s)': `${(signedMs / 1000).toFixed(2)}, ${((signOffMs - signedMs) / 1000).toFixed(2)}`,
        'remediation outcomes': Object.entries(remediation)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
        'activities written, assignments deleted': `${activities}, ${assignmentsDeleted}`,
        "report: progress (ms), decisions' CSV streamed (s, MB), every item read whole (items, s)": `${progressMs.toFixed(0)}, ${(csvMs / 1000).toFixed(2)}, ${(csvBytes / 1e6).toFixed(0)}, ${whole}, ${(wholeMs / 1000).toFixed(2)}`,
        'setup: assignments, first-apply requests, time (s)': `${ws.assignments}, ${ws.firstApplyRequests}, ${(ws.setupMs / 1000).toFixed(0)}`,
        target: '≥ 50,000 items/s generation; ≥ 5,000 items/s sign-off to planned remediation',
      },
    }
  } finally {
    await ws.close()
  }
}

/** A line on stderr as each phase ends: a full run takes minutes. */
function progress(line: string): void {
  process.stderr.write(`campaign: ${line}\n`)
}

async function countRows(db: Db, table: 'account_requests' | 'assignments'): Promise<number> {
  const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)
  return Number(r?.n ?? 0)
}

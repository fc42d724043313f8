import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildApi, type Api } from '../src/api/build-api.js'
import { engineOver } from '../src/app/open-engine.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { keptOpen } from '../src/connectors/kept-open.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { hrCsv, type Person } from '../src/demo/generate-people.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { countIdentities, listIdentityPage } from '../src/store/identities.js'
import { againstBaseline, type BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'
import { executeWorkspace, insertCreates, targetSource } from './execute-workspace.js'

/** The requestable access profile: one group on the Target source, approved by its owner. */
const PROFILE_ID = 'a0c0e55b3e9c4e1d8f2a6b7c9d0e1f23'
const GROUP = 'requested-group'
/** Per-source concurrency of the Target source, as in the `execute` benchmark. */
const CONCURRENCY = 64
/** The largest page the approvals and status listings are read in, and the most approvals one bulk approve decides. */
const PAGE = 250
/** Identities per POST /v3/access-requests when batched: the most one request may name. */
const PER_REQUEST = 100
/** The one-request-per-call run's size: what a person clicking through costs, measured beside the batch. */
const SINGLE_SIZE = 500

/**
 * The Target source (the in-memory directory) with a CREATE policy, so that a request for someone
 * without an account there creates one: the same 3 items as an `execute` create (uid, mail and the group).
 */
function targetWithCreatePolicy(): string {
  return (
    targetSource('Target', CONCURRENCY, '{ idAttribute: uid, entitlementAttributes: [groups] }') +
    `provisioningPolicies:
  - name: Target Create Account
    usageType: CREATE
    fields:
      - name: uid
        transform: { type: identityAttribute, attributes: { name: employeeNumber } }
        isRequired: true
      - name: mail
        transform: { type: identityAttribute, attributes: { name: email } }
`
  )
}

function requestedProfile(owner: string): string {
  return `name: Requested Group
id: ${PROFILE_ID}
description: The group every identity of the access-requests benchmark asks for
owner: { type: IDENTITY, name: ${owner} }
source: Target
requestable: true
entitlements:
  - { attribute: groups, value: ${GROUP} }
accessRequestConfig:
  approvalSchemes:
    - { approverType: OWNER }
`
}

/** The identity name the demo profile gives a person (its uid transform), to name the owner by. */
function uidOf(p: Person): string {
  return `${p.firstName}.${p.lastName}`
    .normalize('NFKD')
    .replace(/[^A-Za-z.]/g, '')
    .toLowerCase()
}

/**
 * Everyone active (so every request ends in an account: a terminated identity loses all access, and
 * its request would complete with nothing provisioned), and the owner: the first person whose name no
 * one else has (identity names are first.last, not unique among generated people).
 */
export function prepare(dir: string, people: readonly Person[]): string {
  const active = people.map((p) => ({
    ...p,
    status: 'A' as const,
    terminationDate: '',
    hireDate: p.status === 'P' ? '2020-01-01' : p.hireDate,
  }))
  writeFileSync(join(dir, 'data/hr.csv'), hrCsv(active))
  const counts = new Map<string, number>()
  for (const p of people) counts.set(uidOf(p), (counts.get(uidOf(p)) ?? 0) + 1)
  const owner = people.map(uidOf).find((name) => counts.get(name) === 1)
  if (owner === undefined) throw new Error('no person with a name of their own to own the access profile')
  writeFileSync(join(dir, 'sources/target.yaml'), targetWithCreatePolicy())
  writeFileSync(join(dir, 'access-profiles/requested-group.yaml'), requestedProfile(owner))
  return owner
}

/** A bearer header for a credential, renewed before the token's lifetime (about 12 minutes) runs out. */
function bearerOf(
  api: Api,
  credential: { clientId: string; clientSecret: string },
): () => Promise<Record<string, string>> {
  let header: Record<string, string> = {}
  let issued = -Infinity
  return async () => {
    if (performance.now() - issued < 5 * 60_000) return header
    const r = await api.inject({
      method: 'POST',
      url: '/oauth/token',
      query: {
        grant_type: 'client_credentials',
        client_id: credential.clientId,
        client_secret: credential.clientSecret,
      },
    })
    if (r.statusCode !== 200) throw new Error(`/oauth/token answered ${r.statusCode}: ${r.body}`)
    header = { authorization: `Bearer ${(r.json() as { access_token: string }).access_token}` }
    issued = performance.now()
    return header
  }
}

async function allIdentityIds(ctx: EngineContext): Promise<string[]> {
  const ids: string[] = []
  for (let after = ''; ;) {
    const page = await listIdentityPage(ctx.db, after, 5000)
    if (page.length === 0) return ids
    for (const i of page) ids.push(i.id)
    after = (page.at(-1) as { id: string }).id
  }
}

interface Phases {
  submit: number
  approveList: number
  approveDecide: number
  execute: number
  status: number
}

/**
 * The measured run: returns each phase's time (ms), failing unless every request is REQUEST_COMPLETED.
 * Batched: each POST names PER_REQUEST identities and each bulk approve decides a page of PAGE approvals;
 * otherwise one identity per POST and one approval per approve call, as a person clicking through does.
 */
async function measure(size: number, batched: boolean): Promise<{ ms: Phases; executeAttempts: number }> {
  let owner = ''
  const { config, store, ctx } = await benchWorkspace(size, undefined, (dir, people) => {
    owner = prepare(dir, people)
  })
  try {
    await aggregateThenProcess(ctx, 'HR')
    if ((await countIdentities(ctx.db)) !== size) throw new Error(`expected ${size} identities`)
    // The steady state before anyone asks: what policy grants (badges by the All Employees role) already
    // requested and handed to facilities, so that a request's plan is its own change alone.
    await applyPlan(ctx)
    while ((await executeDue(ctx)).manual > 0);

    const target = createMemoryConnector({ idAttribute: 'uid', entitlementAttributes: ['groups'] })
    const engine = engineOver(
      config,
      store,
      builtInConnectors().with('memory', () => keptOpen(target)),
    )
    // The rate limit is the tenant's to set; a benchmark measures the server, not the limit.
    const api = await buildApi(
      { engine },
      { rateLimit: { max: 10_000_000, windowSeconds: 1 }, log: () => undefined },
    )
    try {
      const admin = bearerOf(
        api,
        await createApiClient(engine, { name: 'bench', capabilities: ['ORG_ADMIN'] }),
      )
      const approver = bearerOf(
        api,
        await createPersonalAccessToken(engine, { identity: owner, name: 'bench' }),
      )
      const ids = await allIdentityIds(engine)

      // `api.inject` runs each call through the whole server — authentication, the route table's check,
      // zod, the handler, the presenter and serialisation — without a socket. One call at a time: the
      // embedded store is one connection, so concurrent HTTP clients would only queue on it, and what
      // the socket layer costs is the `api-get` benchmark's figure.
      const t0 = performance.now()
      const perCall = batched ? PER_REQUEST : 1
      for (let at = 0; at < ids.length; at += perCall) {
        const some = ids.slice(at, at + perCall)
        const r = await api.inject({
          method: 'POST',
          url: '/v3/access-requests',
          headers: await admin(),
          payload: {
            requestedFor: some,
            requestType: 'GRANT_ACCESS',
            requestedItems: [{ type: 'ACCESS_PROFILE', id: PROFILE_ID }],
          },
        })
        const made = r.json() as { newRequests?: unknown[] }
        if (r.statusCode !== 202 || made.newRequests?.length !== some.length) {
          throw new Error(`POST /v3/access-requests answered ${r.statusCode}: ${r.body}`)
        }
      }
      const t1 = performance.now()

      // The owner reads the first page of their pending approvals and approves each, until none is left.
      let approveList = 0
      let approved = 0
      for (;;) {
        const l0 = performance.now()
        const r = await api.inject({
          url: `/v3/access-request-approvals/pending?limit=${PAGE}`,
          headers: await approver(),
        })
        approveList += performance.now() - l0
        if (r.statusCode !== 200) throw new Error(`pending approvals answered ${r.statusCode}: ${r.body}`)
        const page = r.json() as { id: string }[]
        if (page.length === 0) break
        if (batched) {
          const d = await api.inject({
            method: 'POST',
            url: '/v2025/access-request-approvals/bulk-approve',
            headers: await approver(),
            payload: { approvalIds: page.map((a) => a.id), comment: 'approved in bulk' },
          })
          if (d.statusCode !== 202) throw new Error(`bulk approve answered ${d.statusCode}: ${d.body}`)
          approved += page.length
          continue
        }
        for (const a of page) {
          const d = await api.inject({
            method: 'POST',
            url: `/v3/access-request-approvals/${a.id}/approve`,
            headers: await approver(),
            payload: {},
          })
          if (d.statusCode !== 202) throw new Error(`approve answered ${d.statusCode}: ${d.body}`)
          approved++
        }
      }
      if (approved !== size) throw new Error(`approved ${approved} approvals, expected ${size}`)
      const t2 = performance.now()

      // Provisioning: the executor works off what the approvals asked for, as execute-bench does.
      let executeAttempts = 0
      for (;;) {
        const r = await executeDue(engine)
        executeAttempts += r.attempts
        if (r.attempts === 0 && r.manual === 0) break
      }
      const t3 = performance.now()

      // Every request's status, through the API as an administrator reads it.
      const states = new Map<string, number>()
      for (let offset = 0; ; offset += PAGE) {
        const r = await api.inject({
          url: `/v3/access-request-status?limit=${PAGE}&offset=${offset}`,
          headers: await admin(),
        })
        if (r.statusCode !== 200) throw new Error(`access-request-status answered ${r.statusCode}: ${r.body}`)
        const page = r.json() as { state: string }[]
        for (const s of page) states.set(s.state, (states.get(s.state) ?? 0) + 1)
        if (page.length < PAGE) break
      }
      const t4 = performance.now()
      if (states.get('REQUEST_COMPLETED') !== size) {
        throw new Error(
          `expected ${size} REQUEST_COMPLETED, got ${JSON.stringify(Object.fromEntries(states))}`,
        )
      }
      const accounts = target.accounts()
      const grouped = accounts.filter((a) =>
        ([] as unknown[]).concat(a.attributes['groups'] ?? []).includes(GROUP),
      )
      if (accounts.length !== size || grouped.length !== size) {
        throw new Error(
          `expected ${size} accounts in ${GROUP}, got ${accounts.length} (${grouped.length} in it)`,
        )
      }
      return {
        ms: {
          submit: t1 - t0,
          approveList,
          approveDecide: t2 - t1 - approveList,
          execute: t3 - t2,
          status: t4 - t3,
        },
        executeAttempts,
      }
    } finally {
      await api.close()
    }
  } finally {
    await store.close()
  }
}

/** The `execute` benchmark's work for `size` account creates: insertCreates + executeDue, fresh workspace. */
async function executeAlone(size: number): Promise<number> {
  const { store, ctx } = await executeWorkspace([{ name: 'Target', concurrency: CONCURRENCY }])
  try {
    await insertCreates(ctx, 'Target', size)
    const target = createMemoryConnector({ idAttribute: 'uid', entitlementAttributes: ['groups'] })
    const withTarget = { ...ctx, connectors: ctx.connectors.with('memory', () => keptOpen(target)) }
    const t0 = performance.now()
    while ((await executeDue(withTarget)).attempts > 0);
    const ms = performance.now() - t0
    if (target.accounts().length !== size) {
      throw new Error(`execute alone made ${target.accounts().length} accounts`)
    }
    return ms
  } finally {
    await store.close()
  }
}

/**
 * `access-requests`: `size` grant requests (one access profile each) for `size` identities, made through
 * `POST /v3/access-requests` by an ORG_ADMIN API client (100 identities a call), approved by the profile's
 * owner through `/v3/access-request-approvals/pending` (pages of 250) and the bulk approve (each page at
 * once), provisioned into the in-memory directory by the executor, and every request's status read back as
 * REQUEST_COMPLETED through `/v3/access-request-status`; end to end on the embedded store. Beside it, the
 * same for 500 requests one per call and one approve per approval, as a person clicking through makes
 * them. Baseline: the `execute` benchmark's work for as many account creates (same items), in a fresh
 * workspace, in the same run — the ratio is the share of provisioning alone's rate the request machinery
 * leaves.
 */
export async function accessRequestBench(size: number): Promise<BenchResult> {
  const { ms, executeAttempts } = await measure(size, true)
  const singleSize = Math.min(SINGLE_SIZE, size)
  const single = await measure(singleSize, false)
  const singleTotal = Object.values(single.ms).reduce((a, b) => a + b, 0)
  const baselineMs = await executeAlone(size)
  const total = ms.submit + ms.approveList + ms.approveDecide + ms.execute + ms.status
  const value = size / (total / 1000)
  const phase = (m: number): string =>
    `${(m / 1000).toFixed(2)} s, ${((m / total) * 100).toFixed(1)}%, ${(m / size).toFixed(2)} ms a request`
  return {
    name: 'access-requests',
    metric: 'grant requests per second, submit to REQUEST_COMPLETED through the API',
    value,
    unit: 'requests/s',
    size,
    ...againstBaseline(value, size / (baselineMs / 1000)),
    baselineMetric: `account creates/s of the execute benchmark's work (insertCreates + executeDue, concurrency ${CONCURRENCY}) for as many accounts, same run`,
    figures: {
      phasesMs: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])),
      onePerCallPhasesMs: Object.fromEntries(Object.entries(single.ms).map(([k, v]) => [k, Math.round(v)])),
      onePerCallSize: singleSize,
      totalMs: Math.round(total),
      executeAloneMs: Math.round(baselineMs),
    },
    details: {
      'submit (POST /v3/access-requests, 100 identities a call)': phase(ms.submit),
      'approve: list pending (pages of 250)': phase(ms.approveList),
      'approve: bulk approve (250 a call)': phase(ms.approveDecide),
      'provision (executeDue)': phase(ms.execute),
      'status check (GET /v3/access-request-status)': phase(ms.status),
      'end to end (s)': (total / 1000).toFixed(2),
      [`one per call (${singleSize} requests): requests/s`]: (singleSize / (singleTotal / 1000)).toFixed(0),
      'one per call: submit, approve (ms a request)': `${(single.ms.submit / singleSize).toFixed(2)}, ${(single.ms.approveDecide / singleSize).toFixed(2)}`,
      'execute alone (s)': (baselineMs / 1000).toFixed(2),
      'connector attempts': executeAttempts,
      target: '≥ 500 requests/s end to end',
    },
  }
}

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import type { BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'
import {
  benchAccount,
  executeAll,
  inParallel,
  insertCreateRequests,
  provisionResult,
} from './provision-requests.js'
import { SCIM_TOKEN, startScimServer, type ScimServer } from './scim-server.js'

const CONCURRENCY = 32
const TOKEN_ENV = 'PROVISIO_BENCH_SCIM_TOKEN'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const HEADERS = {
  authorization: `Bearer ${SCIM_TOKEN}`,
  accept: 'application/scim+json',
  'content-type': 'application/scim+json',
}

/** A SCIM source on the test server with the default attribute map (5 attributes and the groups). */
function scimSource(url: string): string {
  return `name: SCIM
owner: { type: IDENTITY, name: james.wilson }
connectionType: direct
connector: scim
features: [PROVISIONING, ENABLE]
concurrency: ${CONCURRENCY}
connectorAttributes:
  baseUrl: ${url}
  auth: { type: bearer, token: "\${env:${TOKEN_ENV}}" }
schemas:
  - identityAttribute: uid
    displayAttribute: displayName
    attributes:
      - { name: uid }
      - { name: id }
      - { name: displayName }
      - { name: familyName }
      - { name: mail }
      - { name: employeeNumber }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
`
}

/** The test server, with membership PATCHes applied directly (SCIMMY's own PATCH is O(group size)). */
function startServer(): Promise<ScimServer> {
  return startScimServer({ directMemberPatches: true })
}

async function send(method: string, url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method, headers: HEADERS, body: JSON.stringify(body) })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text}`)
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
}

/** The server holds the `size` users, each a member of `group` (and of no other). */
function check(server: ScimServer, size: number, group: string): void {
  const users = server.users()
  const members = new Set(
    (
      (server.groups().find((g) => g['id'] === group)?.['members'] as { value: string }[] | undefined) ?? []
    ).map((m) => m.value),
  )
  const names = new Set(users.map((u) => String(u['userName'])))
  for (let i = 0; i < size; i++) {
    if (!names.has(benchAccount(i).uid)) throw new Error(`user${i} is missing on the SCIM server`)
  }
  const outside = users.filter((u) => !members.has(String(u['id'])))
  if (users.length !== size || members.size !== size || outside.length > 0) {
    throw new Error(
      `expected ${size} users all in the group, got ${users.length} users, ${members.size} members, ${outside.length} outside`,
    )
  }
}

/**
 * Into a fresh server: per user, POST /Users then PATCH /Groups/{id} (add members), CONCURRENCY at a
 * time, with fetch. Returns the time it took (ms).
 */
async function provisionDirectly(size: number): Promise<number> {
  const server = await startServer()
  try {
    const group = server.addGroup('staff')
    const t0 = performance.now()
    await inParallel(size, CONCURRENCY, async (i) => {
      const a = benchAccount(i)
      const user = await send('POST', `${server.url}/Users`, {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
        userName: a.uid,
        displayName: a.displayName,
        name: { familyName: a.familyName },
        emails: [{ type: 'work', value: a.mail }],
        [ENTERPRISE]: { employeeNumber: a.employeeNumber },
      })
      await send('PATCH', `${server.url}/Groups/${group}`, {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'add', path: 'members', value: [{ value: user['id'] }] }],
      })
    })
    const ms = performance.now() - t0
    check(server, size, group)
    return ms
  } finally {
    await server.stop()
  }
}

/**
 * `scim-provision`: `size` account creates (5 attributes and one group membership) through the whole
 * executor into the SCIM 2.0 test server (SCIMMY + Express, in this process), against the same users
 * POSTed with fetch and the same membership PATCHes, at the same concurrency, into a fresh server, in the
 * same run. The metric is the ratio of the engine's throughput to the direct client's.
 */
export async function scimProvisionBench(size: number): Promise<BenchResult> {
  process.env[TOKEN_ENV] = SCIM_TOKEN
  // The server runs in this process: a first, untimed round warms its code (and fetch's) up, so the
  // direct client, timed first, does not pay for the compiler alone.
  await provisionDirectly(Math.min(size, 1000))
  const directMs = await provisionDirectly(size)

  // The engine: account requests (as apply writes them) executed through the SCIM connector.
  const server = await startServer()
  const { store, ctx: base, config } = await benchWorkspace(1)
  try {
    const group = server.addGroup('staff')
    writeFileSync(join(config.dir, 'sources/scim.yaml'), scimSource(server.url))
    const ctx = { ...base, config: await loadWorkspace(config.dir) }
    await insertCreateRequests(ctx, 'SCIM', size, group)
    const engineMs = await executeAll(ctx, 'SCIM', size)
    check(server, size, group)
    const requests = server.requests.length
    return provisionResult({
      name: 'scim-provision',
      metric: 'account creates per second through the engine into the SCIM test server',
      size,
      engineMs,
      directMs,
      direct: 'direct fetch',
      concurrency: CONCURRENCY,
      details: { 'engine requests to the server': requests },
    })
  } finally {
    await store.close()
    await server.stop()
  }
}

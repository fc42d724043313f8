import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client, EqualityFilter } from 'ldapts'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { generatePeople } from '../src/demo/generate-people.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { againstBaseline, type BenchResult } from './bench-types.js'
import { executeAll, insertCreateRequests, provisionResult } from './provision-requests.js'
import { benchWorkspace } from './bench-workspace.js'
import {
  addGroups,
  LDAP_ADMIN,
  LDAP_BASE,
  LDAP_PASSWORD,
  ldapSourceYaml,
  startSlapd,
} from './slapd-server.js'

const PEOPLE = `ou=people,${LDAP_BASE}`

function ldapSource(url: string, concurrency: number): string {
  return ldapSourceYaml({
    url,
    concurrency,
    passwordEnv: 'PROVISIO_BENCH_LDAP_PASSWORD',
    correlateBy: 'employeeNumber',
  })
}

/** One person's entry: 5 attributes (uid, cn, sn, mail, employeeNumber). */
function entryOf(i: number): { uid: string; cn: string; sn: string; mail: string; employeeNumber: string } {
  const uid = `user${i}`
  return { uid, cn: `User ${i}`, sn: `${i}`, mail: `${uid}@example.com`, employeeNumber: String(100000 + i) }
}

/**
 * `ldap-provision`: `size` account creates (5 attributes and one group membership) through the whole
 * executor into slapd, against raw `ldapadd` of the same entries and memberships into a fresh slapd
 * configured the same way, in the same run. The metric is the ratio of the engine's throughput to ldapadd's.
 */
export async function ldapProvisionBench(size: number): Promise<BenchResult> {
  process.env['PROVISIO_BENCH_LDAP_PASSWORD'] = LDAP_PASSWORD
  // Raw: one ldapadd of every entry, then the memberships, into its own server.
  const raw = await startSlapd()
  let rawMs: number
  try {
    const [group] = (await addGroups(raw.url, ['staff'])) as [string]
    const ldif =
      Array.from({ length: size }, (_, i) => {
        const e = entryOf(i)
        return `dn: uid=${e.uid},${PEOPLE}\nobjectClass: inetOrgPerson\nuid: ${e.uid}\ncn: ${e.cn}\nsn: ${e.sn}\nmail: ${e.mail}\nemployeeNumber: ${e.employeeNumber}\n`
      }).join('\n') +
      '\n' +
      Array.from(
        { length: size },
        (_, i) => `dn: ${group}\nchangetype: modify\nadd: member\nmember: uid=user${i},${PEOPLE}\n`,
      ).join('\n')
    const file = join(raw.dir, 'bench.ldif')
    writeFileSync(file, ldif)
    const t0 = performance.now()
    const r = spawnSync('ldapadd', ['-x', '-H', raw.url, '-D', LDAP_ADMIN, '-w', LDAP_PASSWORD, '-f', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    })
    rawMs = performance.now() - t0
    if (r.status !== 0) throw new Error(`ldapadd failed: ${r.stderr}`)
  } finally {
    await raw.stop()
  }

  // The engine: account requests (as apply writes them) executed through the LDAP connector.
  const server = await startSlapd()
  const { store, ctx: base, config } = await benchWorkspace(1)
  try {
    const [group] = (await addGroups(server.url, ['staff'])) as [string]
    writeFileSync(join(config.dir, 'sources/ldap.yaml'), ldapSource(server.url, 32))
    const ctx = { ...base, config: await loadWorkspace(config.dir) }
    await insertCreateRequests(ctx, 'LDAP', size, group, entryOf)
    const engineMs = await executeAll(ctx, 'LDAP', size)
    return provisionResult({
      name: 'ldap-provision',
      metric: 'account creates per second through the engine into slapd',
      size,
      engineMs,
      directMs: rawMs,
      direct: 'raw ldapadd',
      concurrency: 32,
    })
  } finally {
    await store.close()
    await server.stop()
  }
}

/**
 * `ldap-aggregate`: `size` LDAP accounts aggregated and correlated to identities (by employeeNumber).
 * Its baseline: a bare paged search of the same entries (the connector's filter and page size) with
 * ldapts, the client the connector uses, on the same server, in the same run.
 */
export async function ldapAggregateBench(size: number): Promise<BenchResult> {
  process.env['PROVISIO_BENCH_LDAP_PASSWORD'] = LDAP_PASSWORD
  const server = await startSlapd()
  const { store, ctx: base, config } = await benchWorkspace(size)
  try {
    const people = generatePeople(size)
    const client = new Client({ url: server.url })
    await client.bind(LDAP_ADMIN, LDAP_PASSWORD)
    try {
      for (let i = 0; i < size; i += 500) {
        await Promise.all(
          people.slice(i, i + 500).map((p, k) =>
            client.add(`uid=user${i + k},${PEOPLE}`, {
              objectClass: 'inetOrgPerson',
              uid: `user${i + k}`,
              cn: p.displayName,
              sn: p.lastName,
              mail: `user${i + k}@example.com`,
              employeeNumber: p.employeeId,
            }),
          ),
        )
      }
    } finally {
      await client.unbind()
    }
    writeFileSync(join(config.dir, 'sources/ldap.yaml'), ldapSource(server.url, 8))
    const ctx = { ...base, config: await loadWorkspace(config.dir) }
    await aggregateThenProcess(ctx, 'HR')
    const t0 = performance.now()
    const result = await aggregateSource(ctx, 'LDAP')
    const ms = performance.now() - t0
    if (result.accounts.created !== size || result.correlated !== size) {
      throw new Error(
        `expected ${size} created and correlated, got ${JSON.stringify(result.accounts)}, ${result.correlated}`,
      )
    }
    const value = size / (ms / 1000)
    const search = await barePagedSearch(server.url, size)
    return {
      name: 'ldap-aggregate',
      metric: 'LDAP accounts aggregated and correlated per second',
      value,
      unit: 'accounts/s',
      size,
      ...againstBaseline(value, size / (search.ms / 1000)),
      baselineMetric: `entries/s, bare paged search of the same entries with ldapts (${PAGE_SIZE} a page)`,
      details: {
        'duration (s)': (ms / 1000).toFixed(2),
        'baseline search (s)': (search.ms / 1000).toFixed(2),
        correlated: result.correlated,
        ...Object.fromEntries(
          Object.entries(result.phases).map(([k, v]) => [`  phase ${k} (s)`, (v / 1000).toFixed(2)]),
        ),
        target: '10,000 accounts/s',
      },
    }
  } finally {
    await store.close()
    await server.stop()
  }
}

/** The LDAP connector's default page size. */
const PAGE_SIZE = 500

/** Every `inetOrgPerson` under the people branch, read in pages as the connector reads them; timed from the bind. */
async function barePagedSearch(url: string, expected: number): Promise<{ ms: number }> {
  const t0 = performance.now()
  const client = new Client({ url })
  await client.bind(LDAP_ADMIN, LDAP_PASSWORD)
  let entries = 0
  try {
    for await (const page of client.searchPaginated(PEOPLE, {
      scope: 'sub',
      filter: new EqualityFilter({ attribute: 'objectClass', value: 'inetOrgPerson' }),
      paged: { pageSize: PAGE_SIZE },
    })) {
      entries += page.searchEntries.length
    }
  } finally {
    await client.unbind()
  }
  const ms = performance.now() - t0
  if (entries !== expected) throw new Error(`the bare search found ${entries} entries, expected ${expected}`)
  return { ms }
}

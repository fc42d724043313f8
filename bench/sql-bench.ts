import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { benchDatabase } from './bench-database.js'
import { BenchSkipped, type BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'
import {
  benchAccount,
  executeAll,
  inParallel,
  insertCreateRequests,
  provisionResult,
} from './provision-requests.js'

const CONCURRENCY = 32
const URL_ENV = 'PROVISIO_BENCH_SQL_URL'

/** The application's tables: accounts (5 attributes and a disabled flag), groups, memberships. */
const SCHEMA = `
CREATE TABLE accounts (
  uid text PRIMARY KEY,
  display_name text,
  family_name text,
  mail text,
  employee_number text,
  disabled boolean NOT NULL DEFAULT false
);
CREATE TABLE groups (id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE memberships (
  uid text NOT NULL REFERENCES accounts (uid),
  group_id text NOT NULL REFERENCES groups (id),
  PRIMARY KEY (uid, group_id)
);
INSERT INTO groups VALUES ('staff', 'Staff');
`

/** A SQL source on those tables, described by a table mapping; the URL (password included) from the environment. */
const SQL_SOURCE = `name: App DB
owner: { type: IDENTITY, name: james.wilson }
connectionType: direct
connector: sql
features: [PROVISIONING, ENABLE]
concurrency: ${CONCURRENCY}
connectorAttributes:
  url: \${env:${URL_ENV}}
  poolSize: ${CONCURRENCY}
  accounts:
    table: accounts
    idColumn: uid
    columns:
      { uid: uid, displayName: display_name, familyName: family_name, mail: mail, employeeNumber: employee_number }
    disabledColumn: disabled
  memberships: { table: memberships, accountColumn: uid, groupColumn: group_id }
  groups: { table: groups, idColumn: id, nameColumn: name }
schemas:
  - identityAttribute: uid
    displayAttribute: displayName
    attributes:
      - { name: uid }
      - { name: displayName }
      - { name: familyName }
      - { name: mail }
      - { name: employeeNumber }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: uid, value: uid }
`

/** The database holds the `size` accounts with their attributes, each a member of staff (and of nothing else). */
async function check(url: string, size: number): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ accounts: number; complete: number; memberships: number }>(
      `SELECT (SELECT count(*)::int FROM accounts) AS accounts,
              (SELECT count(*)::int FROM accounts a JOIN memberships m ON m.uid = a.uid AND m.group_id = 'staff'
                WHERE a.mail = a.uid || '@example.com' AND a.display_name IS NOT NULL
                  AND a.family_name IS NOT NULL AND a.employee_number IS NOT NULL AND NOT a.disabled) AS complete,
              (SELECT count(*)::int FROM memberships) AS memberships`,
    )
    const r = rows[0]
    if (r?.accounts !== size || r.complete !== size || r.memberships !== size) {
      throw new Error(`expected ${size} accounts, each in staff, got ${JSON.stringify(r)}`)
    }
  } finally {
    await client.end()
  }
}

/**
 * `sql-provision`: `size` account creates (5 attributes and one group membership) through the whole
 * executor into a PostgreSQL database described by a table mapping, against the same rows inserted with
 * `pg`, one transaction per account (account and membership), at the same concurrency, into a fresh
 * database, in the same run. Needs the server of PROVISIO_BENCH_DATABASE_URL (or the test one).
 */
export async function sqlProvisionBench(size: number): Promise<BenchResult> {
  const serverUrl = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? process.env['PROVISIO_TEST_DATABASE_URL']
  if (!serverUrl) {
    throw new BenchSkipped(
      'needs a PostgreSQL server: set PROVISIO_BENCH_DATABASE_URL (or PROVISIO_TEST_DATABASE_URL)',
    )
  }
  // Direct: per account, BEGIN, INSERT the account, INSERT its membership, COMMIT, CONCURRENCY at a time.
  const direct = await benchDatabase(serverUrl, SCHEMA)
  let directMs: number
  try {
    const pool = new pg.Pool({ connectionString: direct.url, max: CONCURRENCY })
    pool.on('error', () => undefined) // an idle connection dropped: the next query says so
    try {
      const t0 = performance.now()
      await inParallel(size, CONCURRENCY, async (i) => {
        const a = benchAccount(i)
        const client = await pool.connect()
        try {
          await client.query('BEGIN')
          await client.query(
            `INSERT INTO accounts (uid, display_name, family_name, mail, employee_number, disabled)
             VALUES ($1, $2, $3, $4, $5, false)`,
            [a.uid, a.displayName, a.familyName, a.mail, a.employeeNumber],
          )
          await client.query(`INSERT INTO memberships (uid, group_id) VALUES ($1, 'staff')`, [a.uid])
          await client.query('COMMIT')
        } finally {
          client.release()
        }
      })
      directMs = performance.now() - t0
    } finally {
      await pool.end()
    }
    await check(direct.url, size)
  } finally {
    await direct.drop()
  }

  // The engine: account requests (as apply writes them) executed through the SQL connector.
  const target = await benchDatabase(serverUrl, SCHEMA)
  const { store, ctx: base, config } = await benchWorkspace(1)
  try {
    process.env[URL_ENV] = target.url
    writeFileSync(join(config.dir, 'sources/app-db.yaml'), SQL_SOURCE)
    const ctx = { ...base, config: await loadWorkspace(config.dir) }
    await insertCreateRequests(ctx, 'App DB', size, 'staff')
    const engineMs = await executeAll(ctx, 'App DB', size)
    await check(target.url, size)
    return provisionResult({
      name: 'sql-provision',
      metric: 'account creates per second through the engine into PostgreSQL tables',
      size,
      engineMs,
      directMs,
      direct: 'direct pg',
      concurrency: CONCURRENCY,
    })
  } finally {
    delete process.env[URL_ENV]
    await store.close()
    await target.drop()
  }
}

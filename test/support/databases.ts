import pg from 'pg'
import { newId } from '../../src/domain/new-id.js'
import { openStore, type Store } from '../../src/store/open-store.js'

/**
 * The databases every store test runs on: embedded PGlite always, and a real PostgreSQL server when
 * PROVISIO_TEST_DATABASE_URL is set (CI sets it; PROVISIO_REQUIRE_PG=1 makes its absence an error).
 */
export interface TestDatabase {
  readonly name: 'pglite' | 'postgres'
  /** A fresh, empty, migrated store (a new database on the server). */
  open(): Promise<Store>
  /** The DATABASE_URL of the last store opened on a server (for child processes). */
  lastUrl?: string
}

const serverUrl = process.env['PROVISIO_TEST_DATABASE_URL']
if (!serverUrl && process.env['PROVISIO_REQUIRE_PG'] === '1') {
  throw new Error('PROVISIO_REQUIRE_PG=1 but PROVISIO_TEST_DATABASE_URL is not set')
}

/** Creates a new database on the test server and returns its URL. */
export async function createServerDatabase(): Promise<string> {
  if (!serverUrl) throw new Error('no PostgreSQL server for tests')
  const name = `provisio_test_${newId().slice(0, 12)}`
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export const databases: TestDatabase[] = [
  { name: 'pglite', open: () => openStore({ workspaceDir: 'memory' }) },
  ...(serverUrl
    ? [
        {
          name: 'postgres' as const,
          async open(this: TestDatabase) {
            const url = await createServerDatabase()
            this.lastUrl = url
            return openStore({ databaseUrl: url })
          },
        },
      ]
    : []),
]

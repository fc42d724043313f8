import pg from 'pg'
import { newId } from '../src/domain/new-id.js'

/** A fresh database on the PostgreSQL server at `serverUrl`, with `schema` run in it; `drop` removes it. */
export async function benchDatabase(
  serverUrl: string,
  schema?: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `provisio_bench_${newId().slice(0, 12)}`
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: serverUrl })
    await client.connect()
    try {
      await client.query(sql)
    } finally {
      await client.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: url.toString() })
    await client.connect()
    try {
      await client.query(schema)
    } finally {
      await client.end()
    }
  }
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

import type { Db } from './db.js'

/** How many identities and accounts the store holds (the health endpoint shows them). */
export async function countIdentitiesAndAccounts(db: Db): Promise<{ identities: number; accounts: number }> {
  const [counts] = await db.query<{ identities: string; accounts: string }>(
    'SELECT (SELECT count(*) FROM identities) AS identities, (SELECT count(*) FROM accounts) AS accounts',
  )
  return { identities: Number(counts?.identities ?? 0), accounts: Number(counts?.accounts ?? 0) }
}

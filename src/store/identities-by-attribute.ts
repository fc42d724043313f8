import type { Db } from './db.js'

/** The identities (at most `limit`) whose attribute has exactly this value: who an OIDC claim names. */
export async function findIdentitiesByAttribute(
  db: Db,
  attribute: string,
  value: string,
  limit: number,
): Promise<{ id: string; name: string }[]> {
  return db.query<{ id: string; name: string }>(
    'SELECT id, name FROM identities WHERE attributes ->> $1 = $2 ORDER BY id LIMIT $3',
    [attribute, value, limit],
  )
}

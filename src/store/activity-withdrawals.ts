import type { Db } from './db.js'

/** A Create request withdrawn because its identity's account appeared on the source. */
export interface WithdrawnCreate {
  readonly id: string
  readonly identityId: string
  /** The account the identity has on the source now. */
  readonly account: string
}

/**
 * Withdraws (CANCELED, with the reason) the Create requests of a source, optionally only of some
 * identities, that have not run and whose identity now has an account on the source: carrying them
 * out would make a second account. Their manual tasks (flat-file sources) are canceled with the same
 * reason and their secrets erased. A request a worker holds (leased, or in doubt after a worker died)
 * is left to the executor, which reads back before it acts; so is one whose task its owner has closed.
 * Work items are closed before requests, the order `tasks complete` takes its locks in.
 */
export async function withdrawOvertakenCreates(
  db: Db,
  options: { sourceId: string; identityIds?: readonly string[]; now: Date },
): Promise<WithdrawnCreate[]> {
  if (options.identityIds?.length === 0) return []
  const now = options.now.toISOString()
  const candidates = `SELECT r.id, r.identity_id,
         (SELECT min(a.native_identity) FROM accounts a
          WHERE a.source_id = r.source_id AND a.identity_id = r.identity_id) AS account
       FROM account_requests r
       WHERE r.source_id = $1 AND r.operation = 'Create' AND r.status IN ('PENDING', 'RETRY')
         AND r.lease_until IS NULL AND ($2::text[] IS NULL OR r.identity_id = ANY($2::text[]))`
  const params = [options.sourceId, options.identityIds ?? null, now]
  await db.query(
    `UPDATE work_items w SET state = 'Canceled', completed = $3, secrets = NULL,
       comment = 'withdrawn: account ' || quote_literal(c.account) || ' of this identity appeared on the source '
         || '(aggregation found it); creating another would make a duplicate'
     FROM (${candidates}) c
     WHERE w.activity_id = c.id AND c.account IS NOT NULL AND w.state = 'Pending'`,
    params,
  )
  const rows = await db.query<{ id: string; identity_id: string; account: string }>(
    `WITH c AS (${candidates})
     UPDATE account_requests r SET status = 'CANCELED', next_attempt_at = NULL, completed = $3, modified = $3,
       errors = (r.errors::jsonb || jsonb_build_array(jsonb_build_object(
         'at', to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'attempt', r.attempts, 'kind', 'WITHDRAWN',
         'message', 'withdrawn: account ' || quote_literal(c.account) || ' of this identity appeared on the '
           || 'source (aggregation found it); creating another would make a duplicate')))::json
     FROM c
     WHERE r.id = c.id AND c.account IS NOT NULL AND r.status IN ('PENDING', 'RETRY') AND r.lease_until IS NULL
       AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.activity_id = r.id AND w.state <> 'Canceled')
     RETURNING r.id, r.identity_id, c.account`,
    params,
  )
  return rows.map((r) => ({ id: r.id, identityId: r.identity_id, account: r.account }))
}

import type { Db } from './db.js'
import { iso } from './iso-time.js'

/** An OpenID Connect login under way: what the callback checks the provider's answer against. */
export interface OidcFlow {
  readonly state: string
  readonly nonce: string
  readonly codeVerifier: string
  readonly returnTo: string
  readonly expires: string
}

export async function insertOidcFlow(db: Db, flowHash: string, f: OidcFlow, now: Date): Promise<void> {
  // Flows nobody finished are dropped as new ones start: the table holds only the last minutes' logins.
  await db.query('DELETE FROM sign_in_oidc_flows WHERE expires < $1', [now])
  await db.query(
    `INSERT INTO sign_in_oidc_flows (flow_hash, state, nonce, code_verifier, return_to, expires)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [flowHash, f.state, f.nonce, f.codeVerifier, f.returnTo, f.expires],
  )
}

/** Takes a flow out of the store: a callback is answered once. */
export async function takeOidcFlow(db: Db, flowHash: string): Promise<OidcFlow | undefined> {
  const rows = await db.query<{
    state: string
    nonce: string
    code_verifier: string
    return_to: string
    expires: Date | string
  }>(
    'DELETE FROM sign_in_oidc_flows WHERE flow_hash = $1 RETURNING state, nonce, code_verifier, return_to, expires',
    [flowHash],
  )
  const r = rows[0]
  return r
    ? {
        state: r.state,
        nonce: r.nonce,
        codeVerifier: r.code_verifier,
        returnTo: r.return_to,
        expires: iso(r.expires),
      }
    : undefined
}

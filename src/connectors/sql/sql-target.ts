import type { AttributeChange, Attributes, ConnectorAccount, ConnectorEntitlement } from '../connector.js'

export type Row = Record<string, unknown>

/** The part of a node-postgres client or pool the targets use. */
export interface SqlSession {
  query(text: string, values?: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>
}

/**
 * Where a SQL source keeps its accounts and groups: a table mapping or configured statements. The
 * connector owns connections, transactions and error translation; a target only says what to run.
 * Methods that name an account return undefined when it does not exist.
 */
export interface SqlTarget {
  /** A query without parameters whose rows are the accounts with their groups; read through a cursor. */
  readonly listQuery: string
  accountOf(row: Row): ConnectorAccount
  /** Where the entitlements come from: a query without parameters, the accounts' groups, or nowhere. */
  readonly entitlementSource: { readonly query: string } | 'accounts' | 'none'
  entitlementOf(row: Row): ConnectorEntitlement
  /** Checks that what the configuration names exists and can be used; throws a TERMINAL error if not. */
  check(session: SqlSession): Promise<void>
  /** `lock`: the call runs in a transaction that will write the account. */
  read(session: SqlSession, id: string, lock: boolean): Promise<ConnectorAccount | undefined>
  create(session: SqlSession, id: string | null, attributes: Attributes): Promise<ConnectorAccount>
  update(
    session: SqlSession,
    id: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount | undefined>
  setDisabled(session: SqlSession, id: string, disabled: boolean): Promise<ConnectorAccount | undefined>
  /** Deletes the account and its memberships; false when there was none. */
  delete(session: SqlSession, id: string): Promise<boolean>
}

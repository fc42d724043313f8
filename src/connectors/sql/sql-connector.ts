import type pg from 'pg'
import type {
  AttributeChange,
  Attributes,
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
} from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { createPgPool } from './create-pg-pool.js'
import { resolveConnectionUrl } from './resolve-connection-url.js'
import { textList } from './row-values.js'
import type { SqlConnectorAttributes } from './sql-connector-attributes.js'
import { SqlStatementTarget } from './sql-statement-target.js'
import { SqlTableTarget } from './sql-table-target.js'
import type { Row, SqlSession, SqlTarget } from './sql-target.js'
import { isServerAnswer, translatePgError } from './translate-pg-error.js'

function notFound(nativeIdentity: string): ConnectorError {
  return new ConnectorError('NOT_FOUND', `account ${nativeIdentity} not found`, { code: 'NOT_FOUND' })
}

/**
 * Accounts and group memberships kept in tables of a PostgreSQL database, described by a table mapping
 * or by the statements to run. Every value is bound as a parameter; every change of one call happens in
 * one transaction; accounts are listed through a cursor, with their groups, page by page.
 */
export class SqlConnector implements Connector {
  readonly #pool: pg.Pool
  readonly #target: SqlTarget
  readonly #pageSize: number
  readonly #groupsAttribute: string

  constructor(
    settings: SqlConnectorAttributes,
    env: Readonly<Record<string, string | undefined>> = process.env,
    readSecretFile?: (path: string) => string,
  ) {
    this.#pageSize = settings.pageSize
    this.#groupsAttribute = settings.groupsAttribute
    if (settings.statements !== undefined) {
      this.#target = new SqlStatementTarget(settings.statements, settings.groupsAttribute)
    } else if (settings.accounts !== undefined) {
      this.#target = new SqlTableTarget({
        accounts: settings.accounts,
        memberships: settings.memberships,
        groups: settings.groups,
        groupsAttribute: settings.groupsAttribute,
      })
    } else {
      throw new Error('sqlSettings guarantees a table mapping or statements')
    }
    // Connections are opened on first use: building a connector does no I/O.
    this.#pool = createPgPool({
      connectionString: resolveConnectionUrl(settings, env, readSecretFile),
      poolSize: settings.poolSize,
      timeoutMs: settings.timeoutMs,
    })
  }

  async testConnection(): Promise<void> {
    await this.#session((s) => this.#target.check(s))
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    for await (const row of this.#rows(this.#target.listQuery)) yield this.#target.accountOf(row)
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    const account = await this.#session((s) => this.#target.read(s, nativeIdentity, false))
    if (account === undefined) throw notFound(nativeIdentity)
    return account
  }

  async createAccount(nativeIdentity: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    return this.#transaction((s) => this.#target.create(s, nativeIdentity, attributes))
  }

  async updateAccount(
    nativeIdentity: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount> {
    const account = await this.#transaction((s) => this.#target.update(s, nativeIdentity, changes))
    if (account === undefined) throw notFound(nativeIdentity)
    return account
  }

  async deleteAccount(nativeIdentity: string): Promise<void> {
    if (!(await this.#transaction((s) => this.#target.delete(s, nativeIdentity)))) {
      throw notFound(nativeIdentity)
    }
  }

  async enableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#setDisabled(nativeIdentity, false)
  }

  async disableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#setDisabled(nativeIdentity, true)
  }

  async *listEntitlements(): AsyncIterable<ConnectorEntitlement> {
    const source = this.#target.entitlementSource
    if (source === 'none') return
    if (source !== 'accounts') {
      for await (const row of this.#rows(source.query)) yield this.#target.entitlementOf(row)
      return
    }
    // Without a groups query the entitlements are the groups accounts hold, each once.
    const seen = new Set<string>()
    for await (const account of this.listAccounts()) {
      for (const value of textList(account.attributes[this.#groupsAttribute])) {
        if (seen.has(value)) continue
        seen.add(value)
        yield { attribute: this.#groupsAttribute, value }
      }
    }
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }

  async #setDisabled(nativeIdentity: string, disabled: boolean): Promise<ConnectorAccount> {
    const account = await this.#transaction((s) => this.#target.setDisabled(s, nativeIdentity, disabled))
    if (account === undefined) throw notFound(nativeIdentity)
    return account
  }

  async #connect(): Promise<pg.PoolClient> {
    try {
      return await this.#pool.connect()
    } catch (err) {
      throw translatePgError(err)
    }
  }

  /** Runs work on one connection; a connection a failure may have broken is closed, not reused. */
  async #session<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.#connect()
    try {
      const result = await work(client)
      client.release()
      return result
    } catch (err) {
      client.release(!isServerAnswer(err) && !(err instanceof ConnectorError))
      throw translatePgError(err)
    }
  }

  /** Runs work in a transaction: all of its statements take effect, or none. */
  async #transaction<T>(work: (session: SqlSession) => Promise<T>): Promise<T> {
    return this.#session(async (client) => {
      await client.query('BEGIN')
      try {
        const result = await work(client)
        await client.query('COMMIT')
        return result
      } catch (err) {
        // When the rollback fails too the connection is gone; the first error says why.
        await client.query('ROLLBACK').catch(() => undefined)
        throw err
      }
    })
  }

  /**
   * The rows of a query, fetched `pageSize` at a time through a cursor: memory holds one page, and the
   * cursor reads one snapshot however long the caller takes.
   */
  async *#rows(query: string): AsyncIterable<Row> {
    const client = await this.#connect()
    let broken = false
    let open = false
    try {
      await client.query('BEGIN READ ONLY')
      open = true
      await client.query(`DECLARE provisio_rows NO SCROLL CURSOR FOR ${query}`)
      for (;;) {
        const { rows } = await client.query<Row>(`FETCH FORWARD ${this.#pageSize} FROM provisio_rows`)
        for (const row of rows) yield row
        if (rows.length < this.#pageSize) break
      }
      await client.query('COMMIT')
      open = false
    } catch (err) {
      broken = !isServerAnswer(err) && !(err instanceof ConnectorError)
      throw translatePgError(err)
    } finally {
      // Reached with the transaction open when the caller stopped early (or a page failed).
      if (open && !broken) await client.query('ROLLBACK').catch(() => (broken = true))
      client.release(broken)
    }
  }
}

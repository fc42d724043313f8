import type { AttributeChange, Attributes, ConnectorAccount, ConnectorEntitlement } from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { buildTableStatements, GROUPS_COLUMN, type TableStatements } from './build-table-statements.js'
import { loadTableColumns, requireColumn, type TableColumns } from './load-table-columns.js'
import { attributeValue, distinct, firstText, isTrue, textList } from './row-values.js'
import type { SqlAccountsTable, SqlGroupsTable, SqlMembershipsTable } from './sql-connector-attributes.js'
import type { Row, SqlSession, SqlTarget } from './sql-target.js'

/** What a table mapping is made of (the parts of the settings it reads). */
export interface SqlTableMapping {
  readonly accounts: SqlAccountsTable
  readonly memberships?: SqlMembershipsTable | undefined
  readonly groups?: SqlGroupsTable | undefined
  readonly groupsAttribute: string
}

function schemaError(message: string): ConnectorError {
  return new ConnectorError('TERMINAL', message, { code: 'SCHEMA' })
}

/**
 * Accounts as rows of one table, their groups as rows of a membership table, and perhaps a table of the
 * groups themselves. Every write of one call happens in the caller's transaction, on the account row it
 * locked first.
 */
export class SqlTableTarget implements SqlTarget {
  readonly listQuery: string
  readonly entitlementSource: SqlTarget['entitlementSource']
  readonly #m: SqlTableMapping
  readonly #sql: TableStatements
  /** Attribute → column when the mapping lists them; undefined: every column, by its own name. */
  readonly #attributeColumns: ReadonlyMap<string, string> | undefined
  /** The column memberships refer to. */
  readonly #keyColumn: string
  readonly #flagColumn: string | undefined
  readonly #flagMeansEnabled: boolean
  #columns: Promise<TableColumns> | undefined

  constructor(mapping: SqlTableMapping) {
    const { accounts, memberships, groups } = mapping
    this.#m = mapping
    this.#keyColumn = memberships?.accountKeyColumn ?? accounts.idColumn
    this.#flagColumn = accounts.disabledColumn ?? accounts.enabledColumn
    this.#flagMeansEnabled = accounts.enabledColumn !== undefined
    if (accounts.columns !== undefined) {
      const map = new Map(Object.entries(accounts.columns))
      // The id is an attribute even when the mapping leaves it out: correlation usually needs it.
      if (![...map.values()].includes(accounts.idColumn)) map.set(accounts.idColumn, accounts.idColumn)
      this.#attributeColumns = map
    }
    const flag = this.#flagColumn === undefined ? [] : [this.#flagColumn]
    const selected =
      this.#attributeColumns === undefined
        ? undefined
        : distinct([...this.#attributeColumns.values(), this.#keyColumn, ...flag])
    this.#sql = buildTableStatements(accounts, selected, memberships, groups)
    this.listQuery = this.#sql.list
    this.entitlementSource = this.#sql.entitlements === undefined ? 'none' : { query: this.#sql.entitlements }
  }

  accountOf(row: Row): ConnectorAccount {
    const attributes: Attributes = {}
    const entries =
      this.#attributeColumns === undefined
        ? Object.keys(row)
            .filter((c) => c !== GROUPS_COLUMN && c !== this.#flagColumn)
            .map((c) => [c, c] as const)
        : [...this.#attributeColumns]
    for (const [attribute, column] of entries) {
      const value = attributeValue(row[column])
      if (value !== undefined) attributes[attribute] = value
    }
    if (this.#m.memberships !== undefined) attributes[this.#m.groupsAttribute] = textList(row[GROUPS_COLUMN])
    return {
      nativeIdentity: String(row[this.#m.accounts.idColumn]),
      attributes,
      disabled: this.#disabledOf(row),
    }
  }

  entitlementOf(row: Row): ConnectorEntitlement {
    const name = firstText(row['name'])
    return {
      attribute: this.#m.groupsAttribute,
      value: String(row['id']),
      ...(name === undefined ? {} : { displayName: name }),
    }
  }

  async check(session: SqlSession): Promise<void> {
    const { accounts, memberships, groups } = this.#m
    const columns = await loadTableColumns(session, accounts.table, 'connectorAttributes.accounts.table')
    const need = (cols: TableColumns, table: string, column: string | undefined, field: string): void => {
      if (column !== undefined) requireColumn(cols, table, column, `connectorAttributes.${field}`)
    }
    need(columns, accounts.table, accounts.idColumn, 'accounts.idColumn')
    need(columns, accounts.table, accounts.disabledColumn, 'accounts.disabledColumn')
    need(columns, accounts.table, accounts.enabledColumn, 'accounts.enabledColumn')
    for (const [attribute, column] of Object.entries(accounts.columns ?? {})) {
      need(columns, accounts.table, column, `accounts.columns.${attribute}`)
    }
    if (memberships !== undefined) {
      need(columns, accounts.table, memberships.accountKeyColumn, 'memberships.accountKeyColumn')
      const m = await loadTableColumns(session, memberships.table, 'connectorAttributes.memberships.table')
      need(m, memberships.table, memberships.accountColumn, 'memberships.accountColumn')
      need(m, memberships.table, memberships.groupColumn, 'memberships.groupColumn')
    }
    if (groups !== undefined) {
      const g = await loadTableColumns(session, groups.table, 'connectorAttributes.groups.table')
      need(g, groups.table, groups.idColumn, 'groups.idColumn')
      need(g, groups.table, groups.nameColumn, 'groups.nameColumn')
    }
    // Planned but not run: the names resolve and the account may read them (privileges are checked).
    await session.query(`SELECT * FROM (${this.listQuery}) AS l LIMIT 0`)
    if (typeof this.entitlementSource === 'object') {
      await session.query(`SELECT * FROM (${this.entitlementSource.query}) AS e LIMIT 0`)
    }
  }

  async read(session: SqlSession, id: string, lock: boolean): Promise<ConnectorAccount | undefined> {
    const { rows } = await session.query(lock ? this.#sql.readForUpdate : this.#sql.read, [id])
    return rows[0] === undefined ? undefined : this.accountOf(rows[0])
  }

  async create(session: SqlSession, id: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    const columns = await this.#accountColumns(session)
    const values = new Map<string, unknown>()
    const withGroups = this.#m.memberships !== undefined
    for (const [attribute, value] of Object.entries(attributes)) {
      if ((withGroups && attribute === this.#m.groupsAttribute) || value === null || value === undefined) {
        continue
      }
      const column = this.#columnOf(attribute, columns)
      values.set(column, toColumnValue(attribute, column, value, columns.get(column)?.isArray ?? false))
    }
    if (id !== null) values.set(this.#m.accounts.idColumn, id)
    // A new account is enabled unless its attributes say otherwise; the column's default may not agree.
    if (this.#flagColumn !== undefined && !values.has(this.#flagColumn)) {
      values.set(this.#flagColumn, this.#flagMeansEnabled)
    }
    const { rows } = await session.query(this.#sql.insert([...values.keys()]), [...values.values()])
    const row = rows[0] as Row
    const groups = withGroups ? distinct(textList(attributes[this.#m.groupsAttribute])) : []
    await this.#addGroups(session, row[this.#keyColumn], groups)
    return this.accountOf({ ...row, [GROUPS_COLUMN]: groups.sort() })
  }

  async update(
    session: SqlSession,
    id: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount | undefined> {
    const { rows } = await session.query(this.#sql.readForUpdate, [id])
    const row = rows[0]
    if (row === undefined) return undefined
    const columns = await this.#accountColumns(session)
    const key = row[this.#keyColumn]
    let groups = textList(row[GROUPS_COLUMN])
    const pending = new Map<string, unknown>()
    for (const change of changes) {
      // Changes may come from JSON or an SDK connector's caller, so an op outside the type is possible.
      const op: string = change.op
      if (op !== 'Add' && op !== 'Remove' && op !== 'Set') {
        throw schemaError(`unknown change operation ${JSON.stringify(op)}`)
      }
      if (this.#m.memberships !== undefined && change.attribute === this.#m.groupsAttribute) {
        const values = distinct(textList(change.value))
        const added = op === 'Remove' ? [] : values.filter((g) => !groups.includes(g))
        const removed =
          op === 'Add' ? [] : groups.filter((g) => (op === 'Set' ? !values.includes(g) : values.includes(g)))
        await this.#addGroups(session, key, added)
        await this.#removeGroups(session, key, removed)
        groups = [...groups.filter((g) => !removed.includes(g)), ...added]
        continue
      }
      const column = this.#columnOf(change.attribute, columns)
      const current = pending.has(column) ? pending.get(column) : row[column]
      pending.set(column, nextValue(op, change, column, current, columns.get(column)?.isArray ?? false))
    }
    if (pending.size > 0) {
      await session.query(this.#sql.update([...pending.keys()]), [id, ...pending.values()])
    }
    const renamed = pending.get(this.#m.accounts.idColumn)
    return this.read(session, renamed === undefined || renamed === null ? id : String(renamed), false)
  }

  async setDisabled(
    session: SqlSession,
    id: string,
    disabled: boolean,
  ): Promise<ConnectorAccount | undefined> {
    if (this.#flagColumn === undefined) {
      throw schemaError(
        'enable and disable need connectorAttributes.accounts.disabledColumn (or enabledColumn)',
      )
    }
    const value = this.#flagMeansEnabled ? !disabled : disabled
    const { rowCount } = await session.query(this.#sql.update([this.#flagColumn]), [id, value])
    return rowCount === 0 ? undefined : this.read(session, id, false)
  }

  async delete(session: SqlSession, id: string): Promise<boolean> {
    const { rows } = await session.query(this.#sql.readForUpdate, [id])
    const row = rows[0]
    if (row === undefined) return false
    if (this.#sql.membership !== undefined) {
      await session.query(this.#sql.membership.removeAll, [row[this.#keyColumn]])
    }
    await session.query(this.#sql.delete, [id])
    return true
  }

  #disabledOf(row: Row): boolean {
    if (this.#flagColumn === undefined) return false
    const flag = row[this.#flagColumn]
    // An account whose flag is NULL has never been disabled.
    if (flag === null || flag === undefined) return false
    return this.#flagMeansEnabled ? !isTrue(flag) : isTrue(flag)
  }

  /** The accounts table's columns, read from the catalog once (a failed read is tried again next time). */
  async #accountColumns(session: SqlSession): Promise<TableColumns> {
    this.#columns ??= loadTableColumns(session, this.#m.accounts.table, 'connectorAttributes.accounts.table')
    try {
      return await this.#columns
    } catch (err) {
      this.#columns = undefined
      throw err
    }
  }

  #columnOf(attribute: string, columns: TableColumns): string {
    const { table } = this.#m.accounts
    if (this.#attributeColumns === undefined) {
      if (columns.has(attribute)) return attribute
      throw schemaError(`attribute ${attribute}: table ${table} has no column of that name`)
    }
    const column = this.#attributeColumns.get(attribute)
    if (column === undefined) {
      throw schemaError(
        `attribute ${attribute} has no column in table ${table}: map it in connectorAttributes.accounts.columns`,
      )
    }
    return column
  }

  async #addGroups(session: SqlSession, key: unknown, groups: readonly string[]): Promise<void> {
    if (groups.length === 0) return
    const sql = this.#sql.membership
    if (sql === undefined) throw schemaError('memberships are not configured')
    if (this.#sql.addToExistingGroups !== undefined) {
      // One round trip for all the groups: the memberships of those that exist are added, and a group
      // that does not exist fails the call, whose transaction then takes them back.
      const { rows } = await session.query(this.#sql.addToExistingGroups, [key, groups])
      const found = new Set(rows.map((r) => String(r['id'])))
      const missing = groups.filter((g) => !found.has(g))
      if (missing.length > 0) {
        throw new ConnectorError(
          'TERMINAL',
          `no such group in table ${this.#m.groups?.table ?? ''}: ${missing.join(', ')}`,
          { code: 'NO_SUCH_GROUP' },
        )
      }
      return
    }
    for (const group of groups) await session.query(sql.add, [key, group])
  }

  async #removeGroups(session: SqlSession, key: unknown, groups: readonly string[]): Promise<void> {
    const sql = this.#sql.membership
    if (sql === undefined) return
    for (const group of groups) await session.query(sql.remove, [key, group])
  }
}

/** An attribute value as the value of its column: a list for an array column, one value otherwise. */
function toColumnValue(attribute: string, column: string, value: unknown, isArray: boolean): unknown {
  if (value === null || value === undefined) return null
  if (isArray) return Array.isArray(value) ? value : [value]
  if (!Array.isArray(value)) return value
  if (value.length > 1) {
    throw schemaError(`attribute ${attribute} has ${value.length} values, but column ${column} holds one`)
  }
  return value.length === 0 ? null : value[0]
}

/**
 * A column's value after one change. On an array column Add and Remove add and take out values; on a
 * column of one value, as in LDAP, Add fills an empty column (or repeats its value) and Remove empties it
 * when it holds the value removed.
 */
function nextValue(
  op: string,
  change: AttributeChange,
  column: string,
  current: unknown,
  isArray: boolean,
): unknown {
  const { attribute, value } = change
  if (op === 'Set') return toColumnValue(attribute, column, value, isArray)
  const values = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined)
  const same = (a: unknown, b: unknown): boolean => String(a) === String(b)
  if (isArray) {
    const held = Array.isArray(current) ? (current as unknown[]) : []
    return op === 'Add'
      ? [...held, ...values.filter((v) => !held.some((h) => same(h, v)))]
      : held.filter((h) => !values.some((v) => same(h, v)))
  }
  if (op === 'Remove') {
    return current !== null && current !== undefined && values.some((v) => same(v, current)) ? null : current
  }
  const empty = current === null || current === undefined
  if (values.length === 0 || (values.length === 1 && (empty || same(values[0], current)))) {
    return empty ? (values[0] ?? null) : current
  }
  throw schemaError(`column ${column} holds one value: use Set to replace attribute ${attribute}`)
}

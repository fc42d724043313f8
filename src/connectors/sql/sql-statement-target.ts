import type { AttributeChange, Attributes, ConnectorAccount, ConnectorEntitlement } from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { applyAttributeChanges } from '../apply-attribute-changes.js'
import { bindParameters, type CompiledStatement } from './compile-named-statement.js'
import { attributeValue, distinct, firstText, isTrue, textList } from './row-values.js'
import type { SqlStatements } from './sql-connector-attributes.js'
import { isServerAnswer } from './translate-pg-error.js'
import type { Row, SqlSession, SqlTarget } from './sql-target.js'

const ATTRIBUTE = 'attributes.'

function schemaError(message: string): ConnectorError {
  return new ConnectorError('TERMINAL', message, { code: 'SCHEMA' })
}

/** The attributes a statement binds (`:attributes.mail` → `mail`). */
function boundAttributes(statements: readonly CompiledStatement[]): Set<string> {
  return new Set(
    statements.flatMap((s) =>
      s.parameters.filter((p) => p.startsWith(ATTRIBUTE)).map((p) => p.slice(ATTRIBUTE.length)),
    ),
  )
}

/**
 * Accounts kept however the database keeps them, read and written by the statements the source
 * configures (SailPoint's JDBC connector calls them provisioning statements). `list` and `read` return
 * one row per account, its columns being the attributes: `idColumn` the id, `disabledColumn` the flag,
 * the groups attribute an array of group ids. An attribute no statement writes is an error, never
 * silently dropped.
 */
export class SqlStatementTarget implements SqlTarget {
  readonly listQuery: string
  readonly entitlementSource: SqlTarget['entitlementSource']
  readonly #s: SqlStatements
  readonly #groupsAttribute: string
  readonly #createBinds: Set<string>
  readonly #updateBinds: Set<string>

  constructor(statements: SqlStatements, groupsAttribute: string) {
    this.#s = statements
    this.#groupsAttribute = groupsAttribute
    this.listQuery = statements.list.text
    this.entitlementSource =
      statements.listGroups === undefined ? 'accounts' : { query: statements.listGroups.text }
    this.#createBinds = boundAttributes(statements.create ?? [])
    this.#updateBinds = boundAttributes(statements.update ?? [])
  }

  accountOf(row: Row): ConnectorAccount {
    const { idColumn, disabledColumn } = this.#s
    const attributes: Attributes = {}
    for (const [column, raw] of Object.entries(row)) {
      if (column === disabledColumn || column === this.#groupsAttribute) continue
      const value = attributeValue(raw)
      if (value !== undefined) attributes[column] = value
    }
    attributes[this.#groupsAttribute] = textList(row[this.#groupsAttribute])
    const id = row[idColumn]
    if (id === null || id === undefined) {
      throw schemaError(
        `connectorAttributes.statements: a row has no ${idColumn} column (statements.idColumn)`,
      )
    }
    return { nativeIdentity: String(id), attributes, disabled: isTrue(row[disabledColumn]) }
  }

  entitlementOf(row: Row): ConnectorEntitlement {
    const attributes: Attributes = {}
    for (const [column, value] of Object.entries(row)) {
      if (column !== 'id' && column !== 'name' && attributeValue(value) !== undefined) {
        attributes[column] = attributeValue(value)
      }
    }
    const name = firstText(row['name'])
    return {
      attribute: this.#groupsAttribute,
      value: String(row['id']),
      ...(name === undefined ? {} : { displayName: name }),
      ...(Object.keys(attributes).length === 0 ? {} : { attributes }),
    }
  }

  async check(session: SqlSession): Promise<void> {
    const all: [string, CompiledStatement][] = [
      ['list', this.#s.list],
      ['read', this.#s.read],
    ]
    if (this.#s.listGroups !== undefined) all.push(['listGroups', this.#s.listGroups])
    for (const key of [
      'create',
      'update',
      'delete',
      'enable',
      'disable',
      'addMember',
      'removeMember',
    ] as const) {
      for (const [i, statement] of (this.#s[key] ?? []).entries()) all.push([`${key}[${i}]`, statement])
    }
    for (const [attribute, statements] of Object.entries(this.#s.set)) {
      for (const [i, statement] of statements.entries()) all.push([`set.${attribute}[${i}]`, statement])
    }
    // EXPLAIN plans a statement without running it: names, types and privileges are checked, nothing is
    // written. Statements it cannot plan (CALL, DO…) are left for their first use.
    for (const [field, statement] of all) {
      if (
        !['select', 'with', 'values', 'table', 'insert', 'update', 'delete', 'merge'].includes(
          statement.keyword,
        )
      ) {
        continue
      }
      try {
        await session.query(
          `EXPLAIN ${statement.text}`,
          statement.parameters.map(() => null),
        )
      } catch (err) {
        if (!isServerAnswer(err)) throw err
        throw new ConnectorError(
          'TERMINAL',
          `connectorAttributes.statements.${field}: ${(err as Error).message}`,
          {
            code: 'SCHEMA',
            cause: err,
          },
        )
      }
    }
  }

  async read(session: SqlSession, id: string): Promise<ConnectorAccount | undefined> {
    const { rows } = await this.#run(session, this.#s.read, { id })
    return rows[0] === undefined ? undefined : this.accountOf(rows[0])
  }

  async create(session: SqlSession, id: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    const create = this.#require('create')
    const unwritten = Object.entries(attributes)
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([name]) => name)
      .filter(
        (name) => name !== this.#groupsAttribute && name !== this.#s.idColumn && !this.#createBinds.has(name),
      )
    if (unwritten.length > 0) {
      throw schemaError(
        `connectorAttributes.statements.create does not write ${unwritten.join(', ')} (no :attributes.<name> for it)`,
      )
    }
    let accountId = id ?? firstText(attributes[this.#s.idColumn])
    for (const statement of create) {
      const { rows } = await this.#run(session, statement, { id: accountId ?? null, attributes })
      const returned = rows[0]?.[this.#s.idColumn]
      if (returned !== null && returned !== undefined) accountId = String(returned)
    }
    if (accountId === undefined) {
      throw schemaError(
        `connectorAttributes.statements.create gave no account id: end it with RETURNING ${this.#s.idColumn}`,
      )
    }
    const groups = distinct(textList(attributes[this.#groupsAttribute]))
    for (const group of groups) await this.#member(session, 'addMember', accountId, group)
    const created = await this.read(session, accountId)
    if (created === undefined) {
      throw schemaError(
        `connectorAttributes.statements.read does not find the account ${accountId} that create made`,
      )
    }
    return created
  }

  async update(
    session: SqlSession,
    id: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount | undefined> {
    const current = await this.read(session, id)
    if (current === undefined) return undefined
    let groups = textList(current.attributes[this.#groupsAttribute])
    const others: AttributeChange[] = []
    for (const change of changes) {
      if (change.attribute !== this.#groupsAttribute) {
        others.push(change)
        continue
      }
      const values = distinct(textList(change.value))
      // Changes may come from JSON or an SDK connector's caller, so an op outside the type is possible.
      const op: string = change.op
      if (op !== 'Add' && op !== 'Remove' && op !== 'Set') {
        throw schemaError(`unknown change operation ${JSON.stringify(op)}`)
      }
      const added = op === 'Remove' ? [] : values.filter((g) => !groups.includes(g))
      const removed =
        op === 'Add' ? [] : groups.filter((g) => (op === 'Set' ? !values.includes(g) : values.includes(g)))
      for (const group of added) await this.#member(session, 'addMember', id, group)
      for (const group of removed) await this.#member(session, 'removeMember', id, group)
      groups = [...groups.filter((g) => !removed.includes(g)), ...added]
    }
    if (others.length === 0) return this.read(session, id)
    const attributes = applyAttributeChanges(current.attributes, others)
    const changed = distinct(others.map((c) => c.attribute))
    const viaUpdate = changed.filter((name) => this.#s.set[name] === undefined)
    const unwritten = viaUpdate.filter((name) => !this.#updateBinds.has(name))
    if (unwritten.length > 0) {
      throw schemaError(
        `no statement writes ${unwritten.join(', ')}: add connectorAttributes.statements.set.<attribute>, or :attributes.<attribute> to statements.update`,
      )
    }
    const renamed = firstText(attributes[this.#s.idColumn]) ?? id
    let target = id
    // `update` first, so an attribute's own `set` statement has the last word on it.
    if (viaUpdate.length > 0) {
      for (const statement of this.#s.update ?? []) await this.#run(session, statement, { id, attributes })
      if (viaUpdate.includes(this.#s.idColumn)) target = renamed
    }
    // A change of the id itself goes last: the statements before it find the account by its old id.
    const viaSet = changed.filter((name) => this.#s.set[name] !== undefined)
    viaSet.sort((a, b) => Number(a === this.#s.idColumn) - Number(b === this.#s.idColumn))
    for (const name of viaSet) {
      for (const statement of this.#s.set[name] ?? []) {
        await this.#run(session, statement, { id: target, value: attributes[name] })
      }
    }
    return this.read(session, renamed)
  }

  async setDisabled(
    session: SqlSession,
    id: string,
    disabled: boolean,
  ): Promise<ConnectorAccount | undefined> {
    const statements = this.#require(disabled ? 'disable' : 'enable')
    if ((await this.read(session, id)) === undefined) return undefined
    for (const statement of statements) await this.#run(session, statement, { id })
    return this.read(session, id)
  }

  async delete(session: SqlSession, id: string): Promise<boolean> {
    const statements = this.#require('delete')
    if ((await this.read(session, id)) === undefined) return false
    for (const statement of statements) await this.#run(session, statement, { id })
    return true
  }

  #require(
    key: 'create' | 'delete' | 'enable' | 'disable' | 'addMember' | 'removeMember',
  ): CompiledStatement[] {
    const statements = this.#s[key]
    if (statements === undefined) throw schemaError(`connectorAttributes.statements.${key} is not configured`)
    return statements
  }

  async #member(
    session: SqlSession,
    key: 'addMember' | 'removeMember',
    id: string,
    group: string,
  ): Promise<void> {
    for (const statement of this.#require(key)) await this.#run(session, statement, { id, value: group })
  }

  #run(
    session: SqlSession,
    statement: CompiledStatement,
    values: { id?: string | null; value?: unknown; attributes?: Attributes },
  ): Promise<{ rows: Row[]; rowCount: number | null }> {
    return session.query(
      statement.text,
      bindParameters(statement, (name) =>
        name.startsWith(ATTRIBUTE)
          ? values.attributes?.[name.slice(ATTRIBUTE.length)]
          : values[name as 'id' | 'value'],
      ),
    )
  }
}

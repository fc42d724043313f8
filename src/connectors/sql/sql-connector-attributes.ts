import { z } from 'zod'
import { parseConnectorAttributes } from '../connector-settings.js'
import { isSecretRef } from '../../domain/config/secret-ref.js'
import { compileNamedStatement, StatementError, type CompiledStatement } from './compile-named-statement.js'
import { COLUMN_NAME, COLUMN_NAME_MESSAGE, TABLE_NAME, TABLE_NAME_MESSAGE } from './quote-identifier.js'

const column = z.string().regex(COLUMN_NAME, COLUMN_NAME_MESSAGE)
const table = z.string().regex(TABLE_NAME, TABLE_NAME_MESSAGE)
const secretRef = z
  .string()
  .refine(isSecretRef, 'must be a reference such as ${env:NAME}, never the password itself')

/** A connection URL, or a reference to one; a URL written out must not carry a password. */
const connectionUrl = z.string().superRefine((url, ctx) => {
  if (isSecretRef(url)) return
  // The messages never repeat the URL: a mistaken one may hold a password.
  if (!/^postgres(?:ql)?:\/\//.test(url)) {
    ctx.addIssue({ code: 'custom', message: 'must be a postgres:// URL or a reference such as ${env:NAME}' })
    return
  }
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not a valid URL' })
    return
  }
  if (parsed.password !== '' || parsed.searchParams.has('password')) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must not contain a password: give it as password: ${env:NAME}, or make the whole URL a reference',
    })
  }
})

/** One statement (or a list run in order) whose named parameters must be among `allowed`. */
function statements(allowed: readonly string[]) {
  return z
    .union([z.string(), z.array(z.string()).min(1)], { error: 'must be an SQL statement or a list of them' })
    .transform((value, ctx): CompiledStatement[] => {
      const list = typeof value === 'string' ? [value] : value
      const out: CompiledStatement[] = []
      list.forEach((sql, index) => {
        try {
          out.push(compileNamedStatement(sql, allowed))
        } catch (err) {
          if (!(err instanceof StatementError)) throw err
          ctx.addIssue({
            code: 'custom',
            message: err.message,
            path: typeof value === 'string' ? [] : [index],
          })
        }
      })
      return out
    })
}

/** One query whose rows are read (`list`, `read`, `listGroups`): it must be a SELECT (or VALUES, TABLE). */
function query(allowed: readonly string[]) {
  return z.string().transform((sql, ctx): CompiledStatement => {
    try {
      const compiled = compileNamedStatement(sql, allowed)
      if (!['select', 'with', 'values', 'table'].includes(compiled.keyword)) {
        ctx.addIssue({ code: 'custom', message: 'must be a query (SELECT …)' })
      }
      return compiled
    } catch (err) {
      if (!(err instanceof StatementError)) throw err
      ctx.addIssue({ code: 'custom', message: err.message })
      return z.NEVER
    }
  })
}

/** The table mapping: accounts in one table, their groups as rows of a membership table. */
const accountsSchema = z
  .strictObject({
    table,
    /** The column holding the account's id (its nativeIdentity). */
    idColumn: column,
    /** Account attribute → column. Without it every column of the table is an attribute of its name. */
    columns: z.record(z.string().min(1, 'must not be empty'), column).optional(),
    /** A boolean column, true when the account is disabled. */
    disabledColumn: column.optional(),
    /** A boolean column, true when the account is enabled (instead of disabledColumn). */
    enabledColumn: column.optional(),
  })
  .superRefine((a, ctx) => {
    if (a.disabledColumn !== undefined && a.enabledColumn !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['enabledColumn'],
        message: 'give disabledColumn or enabledColumn, not both',
      })
    }
  })

const membershipsSchema = z.strictObject({
  table,
  /** The column naming the account (it holds the accounts' accountKeyColumn). */
  accountColumn: column,
  /** The column naming the group (it holds the groups' idColumn when there is a groups table). */
  groupColumn: column,
  /** The accounts column accountColumn refers to, when it is not the id (e.g. a serial key). */
  accountKeyColumn: column.optional(),
})

const groupsSchema = z.strictObject({
  table,
  idColumn: column,
  nameColumn: column.optional(),
})

const statementsSchema = z.strictObject({
  /** The result column of `list` and `read` holding the account's id. */
  idColumn: z.string().min(1).default('id'),
  /** The boolean result column of `list` and `read` saying the account is disabled. */
  disabledColumn: z.string().min(1).default('disabled'),
  list: query([]),
  read: query(['id']),
  create: statements(['id', 'attributes.*']).optional(),
  /** Runs once per update with the account's attributes after the changes. */
  update: statements(['id', 'attributes.*']).optional(),
  /** Attribute → statements that write it, with `:value`; preferred to `update` for that attribute. */
  set: z.record(z.string().min(1), statements(['id', 'value'])).default({}),
  delete: statements(['id']).optional(),
  enable: statements(['id']).optional(),
  disable: statements(['id']).optional(),
  addMember: statements(['id', 'value']).optional(),
  removeMember: statements(['id', 'value']).optional(),
  /** The groups: an `id` column (the entitlement value) and optionally `name` (its display name). */
  listGroups: query([]).optional(),
})

/** A SQL source's `connectorAttributes`. */
export const sqlConnectorAttributesSchema = z
  .looseObject({
    /** `postgres://user@host:port/db?sslmode=…`, or a reference to the whole URL. */
    url: connectionUrl,
    /** A reference to the password, when the URL is written out. */
    password: secretRef.optional(),
    /** Connections at most; a source with `concurrency: N` uses up to N at once (the default is 8 too). */
    poolSize: z.number().int().positive().default(8),
    /** How long a connection attempt or one statement may take. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** Accounts fetched per round trip when listing. */
    pageSize: z.number().int().positive().default(1000),
    /** The account attribute holding the account's groups, as the engine sees it. */
    groupsAttribute: z.string().min(1).default('groups'),
    accounts: accountsSchema.optional(),
    memberships: membershipsSchema.optional(),
    groups: groupsSchema.optional(),
    statements: statementsSchema.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.accounts === undefined && s.statements === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['accounts'],
        message: 'required: a table mapping (accounts, memberships, groups) or statements',
      })
    }
    if (s.accounts !== undefined && s.statements !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['statements'],
        message: 'give a table mapping (accounts…) or statements, not both',
      })
    }
    for (const key of ['memberships', 'groups'] as const) {
      if (s[key] !== undefined && s.accounts === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: 'belongs to a table mapping: accounts is missing',
        })
      }
    }
    if (s.groups !== undefined && s.memberships === undefined) {
      ctx.addIssue({ code: 'custom', path: ['groups'], message: 'needs memberships (who is in which group)' })
    }
  })

export type SqlConnectorAttributes = z.infer<typeof sqlConnectorAttributesSchema>
export type SqlAccountsTable = z.infer<typeof accountsSchema>
export type SqlMembershipsTable = z.infer<typeof membershipsSchema>
export type SqlGroupsTable = z.infer<typeof groupsSchema>
export type SqlStatements = z.infer<typeof statementsSchema>

/** The settings from a source's connectorAttributes; InputError names every bad field. */
export function sqlSettings(sourceName: string, attributes: Record<string, unknown>): SqlConnectorAttributes {
  return parseConnectorAttributes(sqlConnectorAttributesSchema, sourceName, attributes)
}

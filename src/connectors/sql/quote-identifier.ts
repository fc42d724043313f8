/**
 * Table and column names come from configuration and end up in SQL text, where no parameter can stand
 * for them. They are accepted only when they match a strict pattern, and always written double-quoted,
 * so no name can close the quotes or change the statement.
 */

const PART = '[A-Za-z_][A-Za-z0-9_$]{0,62}'

/** A column name: a letter or `_`, then letters, digits, `_` or `$` (at most 63, PostgreSQL's limit). */
export const COLUMN_NAME = new RegExp(`^${PART}$`)

/** A table or view name, optionally schema-qualified (`accounts`, `app.accounts`). */
export const TABLE_NAME = new RegExp(`^${PART}(?:\\.${PART})?$`)

export const COLUMN_NAME_MESSAGE =
  'must be a column name: a letter or _, then letters, digits, _ or $ (at most 63 characters)'
export const TABLE_NAME_MESSAGE =
  'must be a table name such as accounts or app.accounts: letters, digits, _ or $, starting with a letter or _'

/**
 * The name quoted for SQL text, each part of a schema-qualified name apart. Quoted names keep their
 * case, as the catalog does: `Accounts` is not `accounts`. Throws on a name that did not pass validation.
 */
export function quoteIdentifier(name: string): string {
  if (!TABLE_NAME.test(name)) throw new Error(`not a valid SQL name: ${JSON.stringify(name)}`)
  return name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.')
}

/**
 * The connector contract: what the engine asks of a system it provisions. It mirrors the SailPoint
 * SaaS connector commands (`std:test-connection`, `std:account:list|read|create|update|delete|enable|
 * disable`, `std:entitlement:list`; updates as `changes[{op, attribute, value}]`) so connectors built
 * with `@sailpoint/connector-sdk` can be hosted beside the built-in ones.
 *
 * Failures are thrown. A connector may throw a ConnectorError (from the domain) naming what happened; anything else is
 * classified by the engine from its code and message (domain/execution/classify-error.ts).
 */

import type { SourceAccount } from '../domain/model.js'

export type Attributes = Record<string, unknown>

/** An account as the system reports it. */
export interface ConnectorAccount {
  /** The account's id on the system (the schema's identityAttribute). */
  readonly nativeIdentity: string
  readonly attributes: Attributes
  readonly disabled?: boolean
  readonly locked?: boolean
}

export interface ConnectorEntitlement {
  /** The account attribute that holds it (e.g. `memberOf`, `groups`). */
  readonly attribute: string
  readonly value: string
  readonly displayName?: string
  readonly attributes?: Attributes
}

/** One change of an update: `Add` / `Remove` a value of a multi-valued attribute, or `Set` an attribute. */
export interface AttributeChange {
  readonly op: 'Add' | 'Remove' | 'Set'
  readonly attribute: string
  readonly value: unknown
}

/** What the engine needs of a system. Every method may throw; none retries by itself. */
export interface Connector {
  testConnection(): Promise<void>
  listAccounts(): AsyncIterable<ConnectorAccount>
  /** Throws a ConnectorError of kind NOT_FOUND when the account does not exist. */
  readAccount(nativeIdentity: string): Promise<ConnectorAccount>
  /**
   * Creates an account. `nativeIdentity` is the id the Create Account profile produced (null when the
   * system assigns it). Throws ALREADY_EXISTS when an account with that id exists.
   */
  createAccount(nativeIdentity: string | null, attributes: Attributes): Promise<ConnectorAccount>
  /** Applies changes in order. Throws NOT_FOUND when the account does not exist. */
  updateAccount(nativeIdentity: string, changes: readonly AttributeChange[]): Promise<ConnectorAccount>
  deleteAccount(nativeIdentity: string): Promise<void>
  enableAccount(nativeIdentity: string): Promise<ConnectorAccount>
  disableAccount(nativeIdentity: string): Promise<ConnectorAccount>
  listEntitlements(): AsyncIterable<ConnectorEntitlement>
  /** Releases connections; the connector is not used afterwards. */
  close(): Promise<void>
}

/**
 * A record a connector could not read (a row of a file): it is reported, and the accounts it may hold are
 * kept as they are (not updated, not deleted) until it is fixed.
 */
export interface RowError {
  /** The line the row starts on (1-based, the header is line 1); for a connector, the account's place in its listing. */
  readonly line: number
  /** The line the row ends on, when it runs over several. */
  readonly endLine?: number
  readonly message: string
  /** The account id on the bad row, when it could be read. */
  readonly nativeIdentity?: string
  /** Other account ids the refused lines may hold (a row a stray quote or delimiter garbled): kept too. */
  readonly otherIds?: readonly string[]
}

/** A whole file of accounts as a RecordFileReader read it. */
export interface RecordFileRead {
  /** The file read. */
  readonly file: string
  /** The accounts of the rows that could be read, in the source's account schema. */
  readonly accounts: SourceAccount[]
  readonly errors: RowError[]
}

/**
 * What a connector reading a whole file of records (a delimited file) offers besides `listAccounts`: the
 * rows it could not read, so that aggregation keeps the accounts they may hold instead of deleting them,
 * and reading another file than the configured one (`provisio aggregate --file`).
 */
export interface RecordFileReader {
  /** Reads `file` (relative to the current folder) instead of the configured file when given. */
  readRecordFile(file?: string): Promise<RecordFileRead>
}

export function isRecordFileReader(connector: Connector): connector is Connector & RecordFileReader {
  return typeof (connector as Partial<RecordFileReader>).readRecordFile === 'function'
}

// The error a connector throws is the domain's: the engine and the exit-code map recognise it by type.
export { ConnectorError, type ConnectorErrorKind } from '../domain/errors.js'

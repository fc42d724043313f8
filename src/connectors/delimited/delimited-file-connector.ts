import { access } from 'node:fs/promises'
import { ConnectorError, InputError } from '../../domain/errors.js'
import type {
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
  RecordFileRead,
  RecordFileReader,
} from '../connector.js'
import { delimitedFilePath, readDelimitedFile, type DelimitedSource } from './read-delimited-file.js'

/**
 * A delimited (CSV) file as a connector: it only reads. Changes to a flat-file source are made by people
 * (its provisioning is manual: the executor gives its owner a work item), so every write is refused.
 */
export class DelimitedFileConnector implements Connector, RecordFileReader {
  readonly #source: DelimitedSource
  readonly #workspaceDir: string

  constructor(source: DelimitedSource, workspaceDir: string) {
    this.#source = source
    this.#workspaceDir = workspaceDir
  }

  async readRecordFile(file?: string): Promise<RecordFileRead> {
    return readDelimitedFile(this.#source, delimitedFilePath(this.#source, this.#workspaceDir, file))
  }

  async testConnection(): Promise<void> {
    const path = delimitedFilePath(this.#source, this.#workspaceDir)
    await access(path).catch(() => {
      throw new InputError(`source "${this.#source.name}": file not found: ${path}`)
    })
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    for (const a of (await this.readRecordFile()).accounts) yield connectorAccount(a)
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    const found = (await this.readRecordFile()).accounts.find((a) => a.nativeIdentity === nativeIdentity)
    if (found === undefined) {
      throw new ConnectorError('NOT_FOUND', `account ${nativeIdentity} not found`, { code: 'NOT_FOUND' })
    }
    return connectorAccount(found)
  }

  createAccount(): Promise<ConnectorAccount> {
    return this.#readOnly()
  }

  updateAccount(): Promise<ConnectorAccount> {
    return this.#readOnly()
  }

  deleteAccount(): Promise<void> {
    return this.#readOnly()
  }

  enableAccount(): Promise<ConnectorAccount> {
    return this.#readOnly()
  }

  disableAccount(): Promise<ConnectorAccount> {
    return this.#readOnly()
  }

  // A file lists no entitlements of its own: aggregation collects the values its accounts hold.
  async *listEntitlements(): AsyncIterable<ConnectorEntitlement> {}

  async close(): Promise<void> {}

  #readOnly(): Promise<never> {
    return Promise.reject(
      new ConnectorError(
        'TERMINAL',
        `source "${this.#source.name}" is a delimited file: it is only read, its provisioning is manual`,
        { code: 'READ_ONLY' },
      ),
    )
  }
}

function connectorAccount(a: RecordFileRead['accounts'][number]): ConnectorAccount {
  return {
    nativeIdentity: a.nativeIdentity,
    attributes: a.attributes,
    ...(a.disabled !== undefined ? { disabled: a.disabled } : {}),
    ...(a.locked !== undefined ? { locked: a.locked } : {}),
  }
}

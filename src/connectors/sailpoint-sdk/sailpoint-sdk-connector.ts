import { randomUUID } from 'node:crypto'
import type {
  AttributeChange,
  Attributes,
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
} from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { ConnectorThread } from './connector-thread.js'
import { resolveSourceConfig } from './resolve-source-config.js'
import type { SailPointSdkSettings } from './sailpoint-sdk-settings.js'
import { sdkConnectorError } from './sdk-connector-error.js'
import type { InvocationContext } from './worker-protocol.js'

/**
 * The engine's variables a connector sees: what networking, TLS and locale need. The engine's environment
 * holds every source's secrets (`${env:NAME}`), and a connector has no business with another source's.
 */
const BASIC_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TZ',
  'LANG',
  'LC_ALL',
  'NODE_ENV',
  'NODE_EXTRA_CA_CERTS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
]

type Output = Record<string, unknown>

export interface SailPointSdkConnectorOptions {
  /** Where `${env:NAME}` references are read, and the variables the connector may see come from. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Reads `${file:PATH}` references (relative paths are the workspace's). */
  readonly readSecretFile?: (path: string) => string
}

/**
 * A source whose system is reached by an unmodified SailPoint SaaS connector (built with
 * `@sailpoint/connector-sdk`): each engine call is the matching `std:*` command, run in the connector's own
 * worker thread (connector-thread.ts) with the source's configuration in `CONNECTOR_CONFIG`.
 * `state` records (delta aggregation), `config` patches and `keepAlive` records are accepted and dropped:
 * the engine always aggregates in full and keeps the source configuration in the workspace.
 */
export class SailPointSdkConnector implements Connector {
  readonly #s: SailPointSdkSettings
  readonly #env: Readonly<Record<string, string | undefined>>
  readonly #readSecretFile: ((path: string) => string) | undefined
  readonly #thread: ConnectorThread
  /** Every secret resolved so far (a rotated one included): masked in whatever the connector reports. */
  readonly #secrets = new Set<string>()

  constructor(settings: SailPointSdkSettings, options: SailPointSdkConnectorOptions = {}) {
    const env = options.env ?? process.env
    this.#s = settings
    this.#env = env
    this.#readSecretFile = options.readSecretFile
    const visible = [...BASIC_ENV, ...settings.passEnv].flatMap((name) => {
      const value = env[name]
      return value === undefined ? [] : [[name, value] as const]
    })
    this.#thread = new ConnectorThread({
      sourceName: settings.sourceName,
      modulePath: settings.modulePath,
      timeoutMs: settings.timeoutMs,
      env: Object.fromEntries(visible),
      failure: (command, phase, error) =>
        sdkConnectorError(error, {
          sourceName: settings.sourceName,
          command,
          phase,
          secrets: [...this.#secrets],
          retryableErrors: settings.retryableErrors,
        }),
    })
  }

  /** The worker thread's id while one runs (tests). */
  get threadId(): number | undefined {
    return this.#thread.threadId
  }

  async testConnection(): Promise<void> {
    await this.#single('std:test-connection', {})
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    for await (const output of this.#outputs('std:account:list', {})) {
      // A delta aggregation's removal; a full list (the only kind asked for) has none, but it is not an account.
      if (output['deleted'] === true) continue
      yield this.#account('std:account:list', output)
    }
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    const output = await this.#single('std:account:read', objectInput(nativeIdentity))
    if (output === undefined) throw this.#noOutput('std:account:read')
    return this.#account('std:account:read', output)
  }

  async createAccount(nativeIdentity: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    const input = nativeIdentity === null ? { attributes } : { identity: nativeIdentity, attributes }
    const output = await this.#single('std:account:create', input)
    if (output !== undefined) return this.#account('std:account:create', output)
    if (nativeIdentity !== null) return this.readAccount(nativeIdentity)
    throw this.#noOutput('std:account:create')
  }

  async updateAccount(
    nativeIdentity: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount> {
    const input = {
      ...objectInput(nativeIdentity),
      changes: changes.map(({ op, attribute, value }) => ({ op, attribute, value })),
    }
    return this.#changed('std:account:update', nativeIdentity, input)
  }

  async deleteAccount(nativeIdentity: string): Promise<void> {
    await this.#single('std:account:delete', objectInput(nativeIdentity))
  }

  async enableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#changed('std:account:enable', nativeIdentity, objectInput(nativeIdentity))
  }

  async disableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#changed('std:account:disable', nativeIdentity, objectInput(nativeIdentity))
  }

  async *listEntitlements(): AsyncIterable<ConnectorEntitlement> {
    for await (const output of this.#outputs('std:entitlement:list', { type: this.#s.entitlementType })) {
      if (output['deleted'] === true) continue
      const attributes = isObject(output['attributes']) ? output['attributes'] : {}
      const displayName = text(attributes['displayName']) ?? text(attributes['name'])
      yield {
        attribute: this.#s.groupsAttribute,
        value: this.#identityOf('std:entitlement:list', output),
        ...(displayName === undefined ? {} : { displayName }),
        attributes,
      }
    }
  }

  async close(): Promise<void> {
    await this.#thread.close()
  }

  /** The `output` records of a command, as they arrive. */
  async *#outputs(command: string, input: unknown): AsyncGenerator<Output> {
    const { config, secrets } = resolveSourceConfig(
      this.#s.sourceName,
      this.#s.config,
      this.#env,
      this.#readSecretFile,
    )
    for (const secret of secrets) this.#secrets.add(secret)
    const encoded = Buffer.from(JSON.stringify(config), 'utf8').toString('base64')
    for await (const record of this.#thread.run(command, input, encoded, this.#context(command))) {
      if (record.type === 'output') yield isObject(record.data) ? record.data : {}
    }
  }

  /** The first output of a command that sends at most one, once the command is done. */
  async #single(command: string, input: unknown): Promise<Output | undefined> {
    let first: Output | undefined
    // Read to the end: the command has succeeded only when its stream ends without an error.
    for await (const output of this.#outputs(command, input)) first ??= output
    return first
  }

  /** An update, enable or disable: its output is optional, and read back when it holds no attributes. */
  async #changed(command: string, nativeIdentity: string, input: unknown): Promise<ConnectorAccount> {
    const output = await this.#single(command, input)
    if (output === undefined || !isObject(output['attributes'])) return this.readAccount(nativeIdentity)
    return this.#account(command, output)
  }

  #account(command: string, output: Output): ConnectorAccount {
    return {
      nativeIdentity: this.#identityOf(command, output),
      attributes: isObject(output['attributes']) ? { ...output['attributes'] } : {},
      disabled: output['disabled'] === true,
      locked: output['locked'] === true,
    }
  }

  /** An ObjectOutput's id: its `identity`, else its key (`simple.id`, or `compound.lookupId`). */
  #identityOf(command: string, output: Output): string {
    const key = isObject(output['key']) ? output['key'] : {}
    const simple = isObject(key['simple']) ? key['simple'] : {}
    const compound = isObject(key['compound']) ? key['compound'] : {}
    const id = text(output['identity']) ?? text(simple['id']) ?? text(compound['lookupId'])
    if (id === undefined) {
      throw new ConnectorError(
        'TERMINAL',
        `source ${this.#s.sourceName}: ${command} sent an object with neither identity nor key`,
        { code: 'SCHEMA' },
      )
    }
    return id
  }

  #noOutput(command: string): ConnectorError {
    return new ConnectorError('TERMINAL', `source ${this.#s.sourceName}: ${command} sent no account`, {
      code: 'NO_OUTPUT',
    })
  }

  #context(command: string): InvocationContext {
    return {
      id: this.#s.sourceName,
      name: this.#s.sourceName,
      version: 1,
      invocationId: randomUUID(),
      requestId: randomUUID(),
      commandType: command,
    }
  }
}

/** The SDK's ObjectInput: the account's identity, and the same as a simple key. */
function objectInput(nativeIdentity: string): { identity: string; key: { simple: { id: string } } } {
  return { identity: nativeIdentity, key: { simple: { id: nativeIdentity } } }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

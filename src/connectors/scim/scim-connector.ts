import { resolveSecret } from '../../domain/config/secret-ref.js'
import type {
  AttributeChange,
  Attributes,
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
} from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { quoteFilterValue } from './quote-filter-value.js'
import type { ScimConnectorAttributes } from './scim-connector-attributes.js'
import { ScimHttpClient } from './scim-http-client.js'
import { readScimPath, type ScimResource } from './scim-path.js'
import { ScimUserMapping, type ScimPatchOperation } from './scim-user-mapping.js'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

export interface ScimConnectorOptions {
  /** Where `${env:NAME}` references are resolved (default: the process environment). */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** How `${file:PATH}` references are read (without it they are refused). */
  readonly readSecretFile?: (path: string) => string
  /** How a 429's Retry-After is waited out (tests record it instead of waiting). */
  readonly sleep?: (ms: number) => Promise<void>
  readonly now?: () => number
}

/**
 * A SCIM 2.0 service provider (RFC 7643/7644): accounts are Users, entitlements are Groups (by id), and
 * membership is kept on the Group resources, as the RFC has it. Reads go by a filter on `idAttribute`
 * with the value escaped; updates are PATCH requests; the credentials are secret references resolved
 * when the connector is built and never appear in a message.
 */
export class ScimConnector implements Connector {
  readonly #s: ScimConnectorAttributes
  readonly #http: ScimHttpClient
  readonly #map: ScimUserMapping

  constructor(settings: ScimConnectorAttributes, options: ScimConnectorOptions = {}) {
    this.#s = settings
    const env = options.env ?? process.env
    const secret = (ref: string): string => resolveSecret(ref, env, options.readSecretFile)
    const auth = settings.auth
    let authorization: string
    let secrets: string[]
    if (auth.type === 'bearer') {
      const token = secret(auth.token)
      authorization = `Bearer ${token}`
      secrets = [token]
    } else {
      const password = secret(auth.password)
      const encoded = Buffer.from(`${auth.username}:${password}`).toString('base64')
      authorization = `Basic ${encoded}`
      secrets = [password, encoded]
    }
    this.#http = new ScimHttpClient({
      baseUrl: settings.baseUrl,
      authorization,
      secrets,
      timeoutMs: settings.timeoutMs,
      rateLimitRetries: settings.rateLimitRetries,
      rateLimitMaxWaitMs: settings.rateLimitMaxWaitMs,
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
    this.#map = new ScimUserMapping(settings.attributeMap, settings.idAttribute, settings.groupsAttribute)
  }

  async testConnection(): Promise<void> {
    const config = await this.#http.request('GET', '/ServiceProviderConfig')
    const patch = config?.['patch'] as { supported?: unknown } | undefined
    if (patch?.supported === false) {
      throw new ConnectorError('TERMINAL', 'the SCIM server does not support PATCH, which updates use', {
        code: 'SCIM_NO_PATCH',
      })
    }
    // RFC 7644 §4 lets a server answer ServiceProviderConfig without authentication: the credentials
    // are proven on the Users.
    await this.#http.request('GET', '/Users', { query: { startIndex: 1, count: 1, attributes: 'id' } })
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    let byMember: Map<string, string[]> | undefined
    for await (const user of this.#http.list('/Users', this.#s.pageSize)) {
      let groups = groupsListedOn(user)
      // A server that does not show a user's groups on the User: one pass over the Groups serves all.
      if (groups === undefined) {
        byMember ??= await this.#groupsByMember()
        groups = byMember.get(String(user['id'])) ?? []
      }
      yield this.#account(user, groups)
    }
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    const user = await this.#find(nativeIdentity)
    return this.#account(user, await this.#groupsOf(user))
  }

  async createAccount(nativeIdentity: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    const body = this.#map.newUser(nativeIdentity, attributes)
    if (!this.#map.idIsServerAssigned && readScimPath(body, this.#map.idPath) === undefined) {
      throw new ConnectorError('TERMINAL', `no account id: ${this.#s.idAttribute} is missing`, {
        code: 'SCHEMA',
      })
    }
    const user = (await this.#http.request('POST', '/Users', { body })) ?? {}
    const id = idOf(user)
    const groups = [...new Set(list(attributes[this.#s.groupsAttribute]))]
    for (const group of groups) await this.#membership(group, id, 'add')
    // What the server answered plus the groups joined is the account: reading it back would cost a request.
    return this.#account(user, groups)
  }

  async updateAccount(
    nativeIdentity: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount> {
    const user = await this.#find(nativeIdentity)
    const id = idOf(user)
    const operations: ScimPatchOperation[] = []
    const groupChanges: AttributeChange[] = []
    for (const change of changes) {
      if (change.attribute === this.#s.groupsAttribute) groupChanges.push(change)
      else operations.push(...this.#map.operationsFor(user, change))
    }
    if (operations.length > 0) await this.#patch(`/Users/${encodeURIComponent(id)}`, operations)
    if (groupChanges.length > 0) {
      // Membership changes are made against what the user holds, so none is sent twice or in vain.
      const held = new Set(await this.#groupsOf(user))
      for (const change of groupChanges) {
        const { joins, leaves } = membershipChanges(change, held)
        for (const group of joins) {
          await this.#membership(group, id, 'add')
          held.add(group)
        }
        for (const group of leaves) {
          await this.#membership(group, id, 'remove')
          held.delete(group)
        }
      }
    }
    return this.#readById(id)
  }

  async deleteAccount(nativeIdentity: string): Promise<void> {
    const user = await this.#find(nativeIdentity)
    await this.#http.request('DELETE', `/Users/${encodeURIComponent(idOf(user))}`)
  }

  async enableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#setActive(nativeIdentity, true)
  }

  async disableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#setActive(nativeIdentity, false)
  }

  async *listEntitlements(): AsyncIterable<ConnectorEntitlement> {
    for await (const group of this.#http.list('/Groups', this.#s.pageSize, {
      excludedAttributes: 'members',
    })) {
      const id = idOf(group)
      const displayName = typeof group['displayName'] === 'string' ? group['displayName'] : undefined
      yield {
        attribute: this.#s.groupsAttribute,
        value: id,
        ...(displayName !== undefined ? { displayName } : {}),
        attributes: { id, ...(displayName !== undefined ? { displayName } : {}) },
      }
    }
  }

  async close(): Promise<void> {
    // fetch keeps no connection of ours open past a request worth closing.
  }

  async #setActive(nativeIdentity: string, active: boolean): Promise<ConnectorAccount> {
    const user = await this.#find(nativeIdentity)
    const id = idOf(user)
    if ((user['active'] !== false) !== active) {
      await this.#patch(`/Users/${encodeURIComponent(id)}`, [
        { op: 'replace', path: 'active', value: active },
      ])
    }
    return this.#readById(id)
  }

  /** The user whose idAttribute is `nativeIdentity`; NOT_FOUND when there is none. */
  async #find(nativeIdentity: string): Promise<ScimResource> {
    if (this.#map.idIsServerAssigned) {
      return (await this.#http.request('GET', `/Users/${encodeURIComponent(nativeIdentity)}`)) ?? {}
    }
    const filter = `${this.#map.idPath.text} eq ${quoteFilterValue(nativeIdentity)}`
    const page = await this.#http.request('GET', '/Users', { query: { filter, startIndex: 1, count: 2 } })
    const found = Array.isArray(page?.['Resources']) ? (page['Resources'] as ScimResource[]) : []
    if (found.length === 0) {
      throw new ConnectorError('NOT_FOUND', `account ${nativeIdentity} not found`, { code: 'NOT_FOUND' })
    }
    if (found.length > 1) {
      throw new ConnectorError(
        'TERMINAL',
        `${found.length} SCIM users have ${this.#map.idPath.text} ${nativeIdentity}: the account is ambiguous`,
        { code: 'SCIM_AMBIGUOUS' },
      )
    }
    return found[0] as ScimResource
  }

  async #readById(id: string): Promise<ConnectorAccount> {
    const user = (await this.#http.request('GET', `/Users/${encodeURIComponent(id)}`)) ?? {}
    return this.#account(user, await this.#groupsOf(user))
  }

  /** The ids of the user's groups: from the User when the server shows them, else asked of the Groups. */
  async #groupsOf(user: ScimResource): Promise<string[]> {
    const listed = groupsListedOn(user)
    if (listed !== undefined) return listed
    const groups: string[] = []
    const filter = `members[value eq ${quoteFilterValue(idOf(user))}]`
    for await (const group of this.#http.list('/Groups', this.#s.pageSize, {
      filter,
      excludedAttributes: 'members',
    })) {
      groups.push(idOf(group))
    }
    return groups
  }

  /** User id → the ids of its groups, from one pass over the Groups with their members. */
  async #groupsByMember(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>()
    for await (const group of this.#http.list('/Groups', this.#s.pageSize)) {
      const members = Array.isArray(group['members']) ? (group['members'] as ScimResource[]) : []
      for (const member of members) {
        const key = String(member['value'])
        out.set(key, [...(out.get(key) ?? []), idOf(group)])
      }
    }
    return out
  }

  async #membership(group: string, userId: string, op: 'add' | 'remove'): Promise<void> {
    const operation: ScimPatchOperation =
      op === 'add'
        ? { op: 'add', path: 'members', value: [{ value: userId }] }
        : { op: 'remove', path: `members[value eq ${quoteFilterValue(userId)}]` }
    try {
      await this.#patch(`/Groups/${encodeURIComponent(group)}`, [operation])
    } catch (err) {
      if (!(err instanceof ConnectorError) || err.kind !== 'NOT_FOUND') throw err
      // Leaving a group that is gone is done. Joining one cannot be, and must not read as NOT_FOUND:
      // the engine would take the account for gone.
      if (op === 'remove') return
      throw new ConnectorError('TERMINAL', `group ${group} not found on the SCIM server`, {
        code: 'SCIM_GROUP_NOT_FOUND',
      })
    }
  }

  async #patch(path: string, operations: readonly ScimPatchOperation[]): Promise<void> {
    await this.#http.request('PATCH', path, { body: { schemas: [PATCH_OP], Operations: operations } })
  }

  #account(user: ScimResource, groups: readonly string[]): ConnectorAccount {
    const attributes = this.#map.attributesOf(user)
    attributes[this.#s.groupsAttribute] = [...groups]
    return {
      nativeIdentity: this.#map.nativeIdentityOf(user),
      attributes,
      disabled: user['active'] === false,
    }
  }
}

/**
 * The groups a User shows (RFC 7643 §4.1.2), direct ones only: indirect membership comes from a nested
 * group and cannot be changed on this user. Undefined when the server does not show them.
 */
function groupsListedOn(user: ScimResource): string[] | undefined {
  const groups = user['groups']
  if (!Array.isArray(groups)) return undefined
  return (groups as ScimResource[])
    .filter((g) => g['type'] !== 'indirect' && g['value'] !== undefined)
    .map((g) => String(g['value']))
}

/** The groups to join and to leave for one change of the groups attribute, given those held. */
function membershipChanges(
  change: AttributeChange,
  held: ReadonlySet<string>,
): { joins: string[]; leaves: string[] } {
  const values = [...new Set(list(change.value))]
  if (change.op === 'Remove') return { joins: [], leaves: values.filter((g) => held.has(g)) }
  const joins = values.filter((g) => !held.has(g))
  const leaves = change.op === 'Set' ? [...held].filter((g) => !values.includes(g)) : []
  return { joins, leaves }
}

function idOf(resource: ScimResource): string {
  const id = resource['id']
  if (typeof id !== 'string' || id === '') {
    throw new ConnectorError('TERMINAL', 'the SCIM server answered a resource without an id', {
      code: 'SCIM_RESPONSE',
    })
  }
  return id
}

function list(value: unknown): string[] {
  if (value === null || value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map(String)
}

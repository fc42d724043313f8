import {
  AlreadyExistsError,
  Attribute,
  Change,
  Client,
  EqualityFilter,
  InvalidCredentialsError,
  NoSuchObjectError,
  type Entry,
} from 'ldapts'
import { z } from 'zod'
import { resolveSecret } from '../../domain/config/secret-ref.js'
import type {
  AttributeChange,
  Attributes,
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
} from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { parseConnectorAttributes } from '../connector-settings.js'
import { adUnicodePwd, hashPassword } from '../password-hash.js'
import { escapeDnValue } from './escape-dn.js'
import { GroupCommit } from './group-commit.js'

/** An LDAP source's `connectorAttributes`. */
export const ldapConnectorAttributesSchema = z
  .looseObject({
    url: z.string().regex(/^ldaps?:\/\//, 'must be an ldap:// or ldaps:// URL'),
    bindDn: z.string().min(1),
    /** A `${env:NAME}` or `${file:PATH}` reference. */
    password: z.string().min(1),
    startTls: z.boolean().default(false),
    /** Accept a server certificate no CA vouches for (tests only). */
    tlsRejectUnauthorized: z.boolean().default(true),
    timeoutMs: z.number().int().positive().default(10_000),
    accountBase: z.string().min(1),
    accountObjectClasses: z.array(z.string()).default(['inetOrgPerson']),
    /** The account id attribute, also the DN's RDN attribute. */
    idAttribute: z.string().default('uid'),
    /** The DN of a new account; `{id}` is the account id, escaped. Default: `<idAttribute>={id},<accountBase>`. */
    dnTemplate: z.string().optional(),
    groupBase: z.string().optional(),
    groupObjectClass: z.enum(['groupOfNames', 'groupOfUniqueNames']).default('groupOfNames'),
    /** The account attribute that carries the account's groups (by DN), as the engine sees it. */
    groupsAttribute: z.string().default('groups'),
    /** Enable/disable: this attribute is set to `disableValue` on a disabled account and removed on enable. */
    disableAttribute: z.string().default('employeeType'),
    disableValue: z.string().default('DISABLED'),
    /** The account attribute a Create Password field is written to (default userPassword; unicodePwd for `ad`). */
    passwordAttribute: z.string().min(1).optional(),
    /**
     * How a password is sent: `server` as generated, for a directory that hashes it (OpenLDAP with ppolicy's
     * olcPPolicyHashCleartext, 389 DS); `ssha` / `ssha512` as a salted hash the connector makes; `ad` as
     * Active Directory's unicodePwd (over ldaps:// or StartTLS only).
     */
    passwordHashing: z.enum(['server', 'ssha', 'ssha512', 'ad']).default('server'),
    pageSize: z.number().int().positive().default(500),
  })
  .superRefine((s, ctx) => {
    // AD takes a password only over an encrypted connection: a setting that cannot work is refused up front.
    if (s.passwordHashing === 'ad' && !s.url.startsWith('ldaps://') && !s.startTls) {
      ctx.addIssue({
        code: 'custom',
        path: ['passwordHashing'],
        message: 'ad needs an encrypted connection (an ldaps:// url, or startTls: true)',
      })
    }
  })
export type LdapConnectorAttributes = z.infer<typeof ldapConnectorAttributesSchema>

/** Builds the settings from a source's connectorAttributes; InputError names the bad fields. */
export function ldapSettings(
  sourceName: string,
  attributes: Record<string, unknown>,
): LdapConnectorAttributes {
  return parseConnectorAttributes(ldapConnectorAttributesSchema, sourceName, attributes)
}

/**
 * An LDAP directory (OpenLDAP, 389 DS, AD over LDAP): accounts under `accountBase`, groups under
 * `groupBase` whose membership is kept on the group entry (`member` / `uniqueMember`). DNs and filter
 * values are escaped; the password is a secret reference resolved when the connection is opened.
 */
export class LdapConnector implements Connector {
  readonly #s: LdapConnectorAttributes
  readonly #password: string
  #client: Client | undefined
  #bound: Promise<Client> | undefined
  // Every new account joining the same group would otherwise rewrite that group's entry once each.
  readonly #joins = new GroupCommit<string>((group, members) => this.#modifyMembers(group, members, 'add'))
  readonly #leaves = new GroupCommit<string>((group, members) =>
    this.#modifyMembers(group, members, 'delete'),
  )

  constructor(
    settings: LdapConnectorAttributes,
    env: Readonly<Record<string, string | undefined>> = process.env,
    readSecretFile?: (path: string) => string,
  ) {
    this.#s = settings
    this.#password = resolveSecret(settings.password, env, readSecretFile)
  }

  get #passwordAttribute(): string {
    return this.#s.passwordAttribute ?? (this.#s.passwordHashing === 'ad' ? 'unicodePwd' : 'userPassword')
  }

  /** A password as this directory takes it (see `passwordHashing`). */
  #passwordValues(values: readonly string[]): string[] | Buffer[] {
    switch (this.#s.passwordHashing) {
      case 'server':
        return [...values]
      case 'ssha':
        return values.map((v) => hashPassword('SSHA', v))
      case 'ssha512':
        return values.map((v) => hashPassword('SSHA512', v))
      case 'ad':
        return values.map(adUnicodePwd)
    }
  }

  get #memberAttribute(): string {
    return this.#s.groupObjectClass === 'groupOfUniqueNames' ? 'uniqueMember' : 'member'
  }

  /** A bound client, opened on first use and again after a failure dropped the connection. */
  async #connection(): Promise<Client> {
    if (!this.#bound) {
      this.#bound = (async () => {
        const client = new Client({
          url: this.#s.url,
          timeout: this.#s.timeoutMs,
          connectTimeout: this.#s.timeoutMs,
          // ldapts speaks TLS from the start whenever tlsOptions are given: only for ldaps://.
          ...(this.#s.url.startsWith('ldaps://')
            ? { tlsOptions: { rejectUnauthorized: this.#s.tlsRejectUnauthorized } }
            : {}),
        })
        this.#client = client
        try {
          if (this.#s.startTls) await client.startTLS({ rejectUnauthorized: this.#s.tlsRejectUnauthorized })
          await client.bind(this.#s.bindDn, this.#password)
          return client
        } catch (err) {
          // A client whose bind failed keeps its socket open and the process alive.
          await client.unbind().catch(() => undefined)
          throw err
        }
      })()
    }
    try {
      return await this.#bound
    } catch (err) {
      this.#bound = undefined
      throw translate(err)
    }
  }

  /** Runs an operation; a failure other than the directory's answer drops the connection for the next call. */
  async #run<T>(op: (client: Client) => Promise<T>): Promise<T> {
    const client = await this.#connection()
    try {
      return await op(client)
    } catch (err) {
      if (!isDirectoryAnswer(err)) {
        this.#bound = undefined
        await client.unbind().catch(() => undefined)
      }
      throw translate(err)
    }
  }

  async testConnection(): Promise<void> {
    await this.#run((c) => c.search(this.#s.accountBase, { scope: 'base', attributes: ['1.1'] }))
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    const groups = await this.#groupsByMember()
    const pages = await this.#run(async (c) => {
      const out: Entry[][] = []
      for await (const page of c.searchPaginated(this.#s.accountBase, {
        scope: 'sub',
        filter: new EqualityFilter({
          attribute: 'objectClass',
          value: this.#s.accountObjectClasses[0] ?? 'top',
        }),
        paged: { pageSize: this.#s.pageSize },
      })) {
        out.push(page.searchEntries)
      }
      return out
    })
    for (const page of pages) {
      for (const entry of page) yield this.#account(entry, groups.get(entry.dn.toLowerCase()))
    }
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    const entry = await this.#find(nativeIdentity)
    return this.#account(entry, await this.#groupsOf(entry.dn))
  }

  async createAccount(nativeIdentity: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    const id = nativeIdentity ?? text(attributes[this.#s.idAttribute])
    if (!id) {
      throw new ConnectorError('TERMINAL', `no account id: ${this.#s.idAttribute} is missing`, {
        code: 'SCHEMA',
      })
    }
    const dn = this.#dnOf(id)
    const entry: Record<string, string | string[] | Buffer[]> = {
      objectClass: this.#s.accountObjectClasses,
      [this.#s.idAttribute]: id,
    }
    for (const [name, value] of Object.entries(attributes)) {
      if (name === this.#s.groupsAttribute || value === null || value === undefined) continue
      const values = list(value)
      if (values.length === 0) continue
      if (name === 'password') entry[this.#passwordAttribute] = this.#passwordValues(values)
      else entry[name] = values
    }
    // inetOrgPerson needs a cn and an sn: the display name and the id when the profile gives none.
    if (this.#s.accountObjectClasses.includes('inetOrgPerson')) {
      entry['cn'] ??= text(attributes['displayName']) ?? id
      entry['sn'] ??= id
    }
    const add = Object.entries(entry).map(
      ([type, v]) => new Attribute({ type, values: (Array.isArray(v) ? v : [v]) as string[] | Buffer[] }),
    )
    await this.#run((c) => c.add(dn, add))
    const groups = list(attributes[this.#s.groupsAttribute])
    for (const group of groups) await this.#membership(group, dn, 'add')
    // What was written is the account: reading it back would double the cost of every create.
    return this.#account({ ...entry, dn }, groups)
  }

  async updateAccount(
    nativeIdentity: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount> {
    const entry = await this.#find(nativeIdentity)
    const mods: Change[] = []
    for (const change of changes) {
      const values = list(change.value)
      if (change.attribute === this.#s.groupsAttribute) {
        if (change.op === 'Set') {
          const held = new Set((await this.#groupsOf(entry.dn)).map((g) => g.toLowerCase()))
          const wanted = new Set(values.map((g) => g.toLowerCase()))
          for (const g of values) if (!held.has(g.toLowerCase())) await this.#membership(g, entry.dn, 'add')
          for (const g of held) if (!wanted.has(g)) await this.#membership(g, entry.dn, 'delete')
        } else {
          for (const g of values) await this.#membership(g, entry.dn, change.op === 'Add' ? 'add' : 'delete')
        }
        continue
      }
      if (change.attribute === 'password') {
        // A password is set (an add or a remove of one makes no sense, and the directory hides the old one).
        const modification = new Attribute({
          type: this.#passwordAttribute,
          values: this.#passwordValues(values),
        })
        mods.push(new Change({ operation: 'replace', modification }))
        continue
      }
      const type = change.attribute
      const held = list(entry[type])
      if (change.op === 'Add') {
        const missing = values.filter((v) => !held.includes(v))
        if (missing.length > 0) {
          mods.push(new Change({ operation: 'add', modification: new Attribute({ type, values: missing }) }))
        }
      } else if (change.op === 'Remove') {
        const present = values.filter((v) => held.includes(v))
        if (present.length > 0) {
          mods.push(
            new Change({ operation: 'delete', modification: new Attribute({ type, values: present }) }),
          )
        }
      } else mods.push(new Change({ operation: 'replace', modification: new Attribute({ type, values }) }))
    }
    if (mods.length > 0) await this.#run((c) => c.modify(entry.dn, mods))
    return this.readAccount(nativeIdentity)
  }

  async deleteAccount(nativeIdentity: string): Promise<void> {
    const entry = await this.#find(nativeIdentity)
    for (const group of await this.#groupsOf(entry.dn)) await this.#membership(group, entry.dn, 'delete')
    await this.#run((c) => c.del(entry.dn))
  }

  async enableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#setDisabled(nativeIdentity, false)
  }

  async disableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    return this.#setDisabled(nativeIdentity, true)
  }

  async *listEntitlements(): AsyncIterable<ConnectorEntitlement> {
    if (!this.#s.groupBase) return
    for (const g of await this.#groups()) {
      yield {
        attribute: this.#s.groupsAttribute,
        value: g.dn,
        ...(text(g['cn']) ? { displayName: text(g['cn']) as string } : {}),
      }
    }
  }

  async close(): Promise<void> {
    const client = this.#client
    this.#bound = undefined
    this.#client = undefined
    await client?.unbind().catch(() => undefined)
  }

  async #setDisabled(nativeIdentity: string, disabled: boolean): Promise<ConnectorAccount> {
    const entry = await this.#find(nativeIdentity)
    const type = this.#s.disableAttribute
    const has = list(entry[type]).length > 0
    if (disabled || has) {
      const change = disabled
        ? new Change({
            operation: 'replace',
            modification: new Attribute({ type, values: [this.#s.disableValue] }),
          })
        : new Change({ operation: 'delete', modification: new Attribute({ type, values: [] }) })
      await this.#run((c) => c.modify(entry.dn, [change]))
    }
    return this.readAccount(nativeIdentity)
  }

  #dnOf(id: string): string {
    const value = escapeDnValue(id)
    return this.#s.dnTemplate
      ? this.#s.dnTemplate.replaceAll('{id}', value)
      : `${this.#s.idAttribute}=${value},${this.#s.accountBase}`
  }

  async #find(nativeIdentity: string): Promise<Entry> {
    const { searchEntries } = await this.#run((c) =>
      c.search(this.#s.accountBase, {
        scope: 'sub',
        filter: new EqualityFilter({ attribute: this.#s.idAttribute, value: nativeIdentity }),
        attributes: ['*'],
      }),
    )
    const entry = searchEntries[0]
    if (!entry) {
      throw new ConnectorError('NOT_FOUND', `account ${nativeIdentity} not found`, { code: 'NOT_FOUND' })
    }
    return entry
  }

  async #groups(filter?: EqualityFilter): Promise<Entry[]> {
    if (!this.#s.groupBase) return []
    const base = this.#s.groupBase
    return this.#run(async (c) => {
      const out: Entry[] = []
      for await (const page of c.searchPaginated(base, {
        scope: 'sub',
        filter: filter ?? new EqualityFilter({ attribute: 'objectClass', value: this.#s.groupObjectClass }),
        attributes: ['cn', this.#memberAttribute],
        paged: { pageSize: this.#s.pageSize },
      })) {
        out.push(...page.searchEntries)
      }
      return out
    })
  }

  async #groupsOf(dn: string): Promise<string[]> {
    const groups = await this.#groups(new EqualityFilter({ attribute: this.#memberAttribute, value: dn }))
    return groups.map((g) => g.dn)
  }

  /** Member DN (lower case) → the DNs of its groups, from one pass over the groups. */
  async #groupsByMember(): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>()
    for (const g of await this.#groups()) {
      for (const member of list(g[this.#memberAttribute])) {
        const key = member.toLowerCase()
        out.set(key, [...(out.get(key) ?? []), g.dn])
      }
    }
    return out
  }

  async #membership(group: string, member: string, operation: 'add' | 'delete'): Promise<void> {
    try {
      await (operation === 'add' ? this.#joins : this.#leaves).submit(group, member)
    } catch (err) {
      // Adding a member twice or removing one twice is already done.
      if (err instanceof ConnectorError && err.code === 'LDAP_20' && operation === 'add') return
      if (err instanceof ConnectorError && err.code === 'LDAP_16' && operation === 'delete') return
      throw err
    }
  }

  /** One modify of a group's member attribute, for one or (under load, group-committed) many members. */
  #modifyMembers(group: string, members: readonly string[], operation: 'add' | 'delete'): Promise<void> {
    const change = new Change({
      operation,
      modification: new Attribute({ type: this.#memberAttribute, values: [...members] }),
    })
    return this.#run((c) => c.modify(group, [change]))
  }

  #account(entry: Entry, groups: readonly string[] = []): ConnectorAccount {
    const attributes: Attributes = {}
    for (const [name, value] of Object.entries(entry)) {
      if (name === 'dn' || name === 'objectClass' || name === this.#passwordAttribute) continue
      const values = list(value)
      attributes[name] = values.length === 1 ? values[0] : values
    }
    attributes[this.#s.groupsAttribute] = [...groups]
    attributes['dn'] = entry.dn
    return {
      nativeIdentity: text(entry[this.#s.idAttribute]) ?? entry.dn,
      attributes,
      disabled: list(entry[this.#s.disableAttribute]).includes(this.#s.disableValue),
    }
  }
}

/** The directory answered (as opposed to a connection that failed): the connection is still good. */
function isDirectoryAnswer(err: unknown): boolean {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number'
}

/** LDAP result codes to the engine's kinds; connection errors pass through (classified retryable). */
function translate(err: unknown): unknown {
  if (err instanceof ConnectorError) return err
  if (err instanceof AlreadyExistsError) {
    return new ConnectorError('ALREADY_EXISTS', err.message, { code: 'LDAP_68', cause: err })
  }
  if (err instanceof NoSuchObjectError) {
    return new ConnectorError('NOT_FOUND', err.message, { code: 'LDAP_32', cause: err })
  }
  if (err instanceof InvalidCredentialsError) {
    return new ConnectorError('TERMINAL', `bind refused: ${err.message}`, { code: 'LDAP_49', cause: err })
  }
  if (isDirectoryAnswer(err)) {
    const code = (err as { code: number }).code
    // 51 busy, 52 unavailable: the directory says to come back later.
    const kind = code === 51 || code === 52 ? 'RETRYABLE' : 'TERMINAL'
    return new ConnectorError(kind, (err as Error).message || `LDAP error ${code}`, {
      code: `LDAP_${code}`,
      cause: err,
    })
  }
  return err
}

function list(value: unknown): string[] {
  if (value === null || value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map((v) =>
    Buffer.isBuffer(v) ? v.toString('utf8') : String(v),
  )
}

function text(value: unknown): string | undefined {
  return list(value)[0]
}

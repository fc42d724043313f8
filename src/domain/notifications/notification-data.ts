import type { Identity } from '../model.js'
import { COMMON_FIELDS, type FieldSpec, type FieldSpecs } from './notification-fields.js'

/** An identity as a template sees it. */
export interface IdentityView {
  readonly id: string | null
  readonly name: string
  readonly displayName: string
  readonly email: string | null
}

/** A requested item as a template sees it. */
export interface ItemView {
  readonly type: string
  readonly id: string | null
  readonly name: string
  readonly typeName: string
}

/**
 * The view of a stored identity: `displayName` is its `displayName` attribute, else first and last name,
 * else its name; `email` its `email` attribute (the one attribute messages are sent to).
 */
export function identityView(identity: Identity): IdentityView {
  const a = identity.attributes
  const full = [a['firstname'], a['lastname']].filter((s) => typeof s === 'string' && s !== '').join(' ')
  const display = a['displayName']
  const email = a['email']
  return {
    id: identity.id,
    name: identity.name,
    displayName:
      typeof display === 'string' && display.trim() !== '' ? display : full !== '' ? full : identity.name,
    email: typeof email === 'string' && email.trim() !== '' ? email.trim() : null,
  }
}

/** An identity named by an id that is not (or no longer) in the store: shown by its id. */
export function unknownIdentityView(id: string): IdentityView {
  return { id, name: id, displayName: id, email: null }
}

/**
 * The identity ids a message's data names in its identity fields: the caller looks them up (with the
 * recipients) in one query before building the contexts.
 */
export function identityIdsIn(fields: FieldSpecs, data: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(fields)
    .filter(([name, spec]) => spec.type === 'identity' && typeof data[name] === 'string')
    .map(([name]) => data[name] as string)
}

/**
 * The kind's fields from `data`, checked and in the shape templates see: absent optional fields are null
 * (or their default), identities are views, dates are readable UTC. A field the kind does not have, a
 * missing required one or a value of the wrong type is the caller's bug: an Error listing every one.
 */
export function templateData(
  kind: string,
  fields: FieldSpecs,
  data: Readonly<Record<string, unknown>>,
  identities: ReadonlyMap<string, IdentityView>,
): Record<string, unknown> {
  const problems: string[] = []
  const out: Record<string, unknown> = {}
  for (const name of Object.keys(data)) {
    if (!Object.hasOwn(fields, name)) {
      problems.push(
        Object.hasOwn(COMMON_FIELDS, name)
          ? `${name} is supplied by Provisio, not by the caller`
          : `${name} is not a field of ${kind}`,
      )
    }
  }
  for (const [name, spec] of Object.entries(fields)) {
    const value = data[name]
    if (value === undefined || value === null) {
      if (spec.required) problems.push(`${name} is required (${spec.about})`)
      out[name] = spec.default ?? null
      continue
    }
    const converted = convert(spec, value, identities)
    if ('problem' in converted) problems.push(`${name} ${converted.problem}`)
    else out[name] = converted.value
  }
  if (problems.length > 0) {
    throw new Error(`notification ${kind}: ${problems.join('; ')}`)
  }
  return out
}

const ITEM_TYPE_NAMES: Readonly<Record<string, string>> = {
  ACCESS_PROFILE: 'access profile',
  ROLE: 'role',
  ENTITLEMENT: 'entitlement',
}

/** The value as the template sees it, or what is wrong with it. */
function convert(
  spec: FieldSpec,
  value: unknown,
  identities: ReadonlyMap<string, IdentityView>,
): { value: unknown } | { problem: string } {
  switch (spec.type) {
    case 'text':
      return typeof value === 'string' ? { value } : { problem: 'must be text' }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? { value } : { problem: 'must be a number' }
    case 'date': {
      const at = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined
      return at !== undefined && !Number.isNaN(at.getTime())
        ? { value: readableDate(at) }
        : { problem: 'must be a date' }
    }
    case 'identity': {
      if (typeof value === 'string') return { value: identities.get(value) ?? unknownIdentityView(value) }
      if (!isRecord(value) || typeof value['name'] !== 'string') {
        return { problem: 'must be an identity id or { name, displayName?, email?, id? }' }
      }
      const text = (k: string): string | null => (typeof value[k] === 'string' ? (value[k] as string) : null)
      const view: IdentityView = {
        id: text('id'),
        name: value['name'],
        displayName: text('displayName') ?? value['name'],
        email: text('email'),
      }
      return { value: view }
    }
    case 'item': {
      if (!isRecord(value) || typeof value['type'] !== 'string' || typeof value['name'] !== 'string') {
        return { problem: 'must be { type, name, id? }' }
      }
      const type = value['type']
      const view: ItemView = {
        type,
        id: typeof value['id'] === 'string' ? value['id'] : null,
        name: value['name'],
        typeName: ITEM_TYPE_NAMES[type] ?? type.toLowerCase().replace(/_/g, ' '),
      }
      return { value: view }
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `2026-12-31` at midnight UTC, else `2026-12-31 14:05 UTC`: a date a person reads, not an ISO stamp. */
export function readableDate(at: Date): string {
  const iso = at.toISOString()
  const day = iso.slice(0, 10)
  const time = iso.slice(11, 16)
  return time === '00:00' && at.getUTCSeconds() === 0 ? day : `${day} ${time} UTC`
}

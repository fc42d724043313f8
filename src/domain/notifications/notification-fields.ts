/**
 * What a notification's template can name. Every kind declares its fields, so a workspace template is
 * checked when the workspace loads (a misspelt variable is an error naming the file), and the data a use
 * case hands over is checked when it queues a message (a missing field is the caller's bug, found by tests).
 */

/**
 * - `text`, `number`: as given; `date`: an ISO-8601 text (a Date is turned into one);
 * - `identity`: an identity id (looked up when the message is queued) or `{ name, displayName?, email?, id? }`,
 *   rendered as `{ id, name, displayName, email }`;
 * - `item`: what was requested, `{ type: ACCESS_PROFILE | ROLE | ENTITLEMENT, id?, name }`, rendered with
 *   `typeName` ("access profile", "role", "entitlement") added.
 */
export type FieldType = 'text' | 'number' | 'date' | 'identity' | 'item'

export interface FieldSpec {
  readonly type: FieldType
  /** A required field must be given; an optional one is null in the template when it is not. */
  readonly required: boolean
  /** Given to an optional text field that is absent, instead of null. */
  readonly default?: string
  /** One line for docs/notifications.md and `provisio notifications kinds`. */
  readonly about: string
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>

/** The fields of an identity as a template sees it. */
export const IDENTITY_SHAPE = ['id', 'name', 'displayName', 'email'] as const
/** The fields of a requested item as a template sees it. */
export const ITEM_SHAPE = ['type', 'id', 'name', 'typeName'] as const

/** The fields of an object-valued field type; undefined for a plain value. */
export function shapeOf(type: FieldType): readonly string[] | undefined {
  if (type === 'identity') return IDENTITY_SHAPE
  if (type === 'item') return ITEM_SHAPE
  return undefined
}

/** What every template can name besides its kind's fields: supplied by Provisio, not by the caller. */
export const COMMON_FIELDS: FieldSpecs = {
  recipient: { type: 'identity', required: true, about: 'the person the message goes to' },
  baseUrl: {
    type: 'text',
    required: false,
    about: 'notifications.baseUrl of provisio.yaml (null when unset)',
  },
  tenant: { type: 'text', required: true, about: 'the workspace name (name in provisio.yaml)' },
  kind: { type: 'text', required: true, about: 'the kind of the message, e.g. APPROVAL_REQUESTED' },
}

export const required = (type: FieldType, about: string): FieldSpec => ({ type, required: true, about })
export const optional = (type: FieldType, about: string): FieldSpec => ({ type, required: false, about })

import { ACCESS_REQUEST_KINDS } from './access-request-kinds.js'
import { CERTIFICATION_KINDS } from './certification-kinds.js'
import type { FieldSpecs } from './notification-fields.js'

/**
 * A kind of message: who gets it and when, the data its template can name, and its default template
 * (Handlebars; a workspace replaces it with `notification-templates/<KIND>.yaml`).
 */
export interface KindDefinition {
  readonly about: string
  readonly fields: FieldSpecs
  readonly subject: string
  /** Plain text. */
  readonly body: string
}

/** Every kind of message, by name. A new kind is one entry in one of these tables. */
export const NOTIFICATION_KINDS = {
  ...ACCESS_REQUEST_KINDS,
  ...CERTIFICATION_KINDS,
} as const satisfies Record<string, KindDefinition>

export type NotificationKind = keyof typeof NOTIFICATION_KINDS

export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[]

export function isNotificationKind(name: string): name is NotificationKind {
  return Object.hasOwn(NOTIFICATION_KINDS, name)
}

export function kindDefinition(kind: NotificationKind): KindDefinition {
  return NOTIFICATION_KINDS[kind]
}

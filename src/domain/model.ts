/** Attribute values as sources report them: single strings (or numbers, booleans) and lists. */
export type AttributeValue = string | number | boolean | null | readonly string[]
export type Attributes = Readonly<Record<string, AttributeValue>>

/** An account as a source reports it, before it is stored or correlated. */
export interface SourceAccount {
  readonly nativeIdentity: string
  readonly displayName: string | null
  readonly attributes: Attributes
  readonly disabled?: boolean
  readonly locked?: boolean
}

/** A stored account (the reference `Account`). */
export interface Account extends SourceAccount {
  readonly id: string
  readonly sourceId: string
  readonly sourceName: string
  readonly identityId: string | null
  readonly authoritative: boolean
  readonly disabled: boolean
  readonly locked: boolean
  readonly manuallyCorrelated: boolean
  readonly created: string
  readonly modified: string
}

/** A grantable value of a multi-valued account attribute (a group). */
export interface Entitlement {
  readonly id: string
  readonly sourceId: string
  readonly sourceName: string
  readonly attribute: string
  readonly value: string
  readonly displayName: string | null
  /** Whether people may ask for it in an access request (false until someone says so, as the reference). */
  readonly requestable: boolean
  /** The identity who owns it (approves requests for it where the approval schemes ask its owner). */
  readonly ownerId: string | null
  readonly ownerName: string | null
  readonly created: string
  /** When `requestable` or the owner last changed; its creation before that. */
  readonly modified: string
}

/** A person, built from an authoritative account by an identity profile. */
export interface Identity {
  readonly id: string
  readonly name: string
  readonly identityProfile: string
  readonly attributes: Readonly<Record<string, string | null>>
  readonly lifecycleState: string | null
  readonly managerId: string | null
  readonly managerName?: string | null
  /** When the authoritative account disappeared; the identity is kept, flagged, for review. */
  readonly authoritativeAccountRemoved: string | null
  readonly processingState: 'OK' | 'ERROR'
  readonly processingError: string | null
  readonly created: string
  readonly modified: string
}

/** Counts every long operation reports at its end. */
export interface RunCounts {
  created: number
  updated: number
  unchanged: number
  deleted: number
  errors: number
}

export function emptyCounts(): RunCounts {
  return { created: 0, updated: 0, unchanged: 0, deleted: 0, errors: 0 }
}

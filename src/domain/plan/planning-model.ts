import type { CompiledTransform } from '../transforms/transform-types.js'
import type { PlanAssignment } from './assignment.js'
import type { PlanReason } from './plan-item.js'

/**
 * The configuration as the planner needs it: resolved references, compiled criteria and transforms.
 * Built once per run from the workspace, so planning an identity does no lookups by name.
 */
export interface PlanningModel {
  readonly sources: ReadonlyMap<string, PlanSource>
  readonly accessProfiles: ReadonlyMap<string, PlanAccessProfile>
  readonly roles: readonly PlanRole[]
  /** The roles an identity meets, every role's criteria checked in one pass (what bulk planning uses). */
  readonly memberOf: (subject: MembershipSubject) => readonly PlanRole[]
  /** Lifecycle states per identity profile name, by technical name. */
  readonly lifecycleStates: ReadonlyMap<string, ReadonlyMap<string, PlanLifecycleState>>
  /**
   * Every enabled role by id, for assignments: a role given by hand needs no membership criteria.
   * Absent: the roles with membership only.
   */
  readonly assignableRoles?: ReadonlyMap<string, AssignableRole>
  /** References the model could not resolve (entitlements given by an unknown id): said, not guessed. */
  readonly unresolved?: readonly string[]
}

export interface PlanSource {
  readonly id: string
  readonly name: string
  /** The account attribute that holds the account id (the schema's identityAttribute). */
  readonly accountIdAttribute: string
  /** Multi-valued attributes whose values are entitlements (groups). */
  readonly entitlementAttributes: readonly string[]
  /** An identity profile's authoritative source (or marked `authoritative`): its accounts are the identities' records. */
  readonly authoritative?: boolean
  /** The Create Account profile's fields, in order; absent when the source has no CREATE policy. */
  readonly createFields?: readonly PlanField[]
  /**
   * The Update Account profile: its fields are added to every change the plan makes to an account, except
   * values the account already has (as the reference does with UPDATE provisioning policies).
   */
  readonly updatePolicy?: { readonly name: string; readonly fields: readonly PlanField[] }
  /** Attribute sync: identity attribute → account attribute, for the enabled, single-valued mappings. */
  readonly syncedAttributes: readonly {
    readonly identityAttribute: string
    readonly accountAttribute: string
  }[]
}

export interface PlanField {
  readonly name: string
  readonly transform: CompiledTransform | null
  readonly isRequired: boolean
  readonly secret: boolean
  readonly multiValued: boolean
  readonly maxSize?: number
}

export interface PlanEntitlement {
  readonly attribute: string
  readonly value: string
}

export interface PlanAccessProfile {
  readonly id: string
  readonly name: string
  readonly sourceId: string
  readonly entitlements: readonly PlanEntitlement[]
  /** Picks the account among several on the source; absent = nothing decides. */
  readonly selectAccount?: (account: { readonly attributes: Readonly<Record<string, unknown>> }) => boolean
}

/** What a role's membership check reports: matched, and the explanation to print. */
export interface MembershipResult {
  readonly matched: boolean
  readonly detail: string
}

export interface PlanRole {
  readonly id: string
  readonly name: string
  /** How membership is decided, printed: the criteria, or "identity list". */
  readonly detail: string
  readonly origin: 'ROLE_CRITERIA' | 'IDENTITY_LIST'
  /** One role's verdict (explain); bulk planning uses `PlanningModel.memberOf`. */
  readonly membership: (subject: MembershipSubject) => MembershipResult
  /** Each criterion with the value it saw, for `explain`. */
  readonly explain?: (subject: MembershipSubject) => string
  readonly accessProfileIds: readonly string[]
  /** Entitlements granted directly, each on its source. */
  readonly entitlements: readonly (PlanEntitlement & { readonly sourceId: string })[]
  /** Everything a member is granted (the role, its access profiles, their entitlements), built once. */
  readonly grants: readonly KeyedGrant[]
}

/** What a role grants when it is assigned rather than met. */
export type AssignableRole = Pick<PlanRole, 'id' | 'name' | 'accessProfileIds' | 'entitlements'>

export interface MembershipSubject {
  readonly identityId: string
  readonly identity: Readonly<Record<string, unknown>>
  readonly accounts: readonly PlanAccount[]
}

export interface PlanLifecycleState {
  readonly technicalName: string
  readonly name: string
  readonly accessProfileIds: readonly string[]
  readonly accountActions: readonly {
    readonly action: 'ENABLE' | 'DISABLE' | 'DELETE'
    /** Source ids, or 'all' (allSources), minus `excludeSourceIds`. */
    readonly sourceIds: readonly string[] | 'all'
    readonly excludeSourceIds: readonly string[]
  }[]
  readonly removeAllAccess: boolean
  readonly identityState: 'ACTIVE' | 'INACTIVE_SHORT_TERM' | 'INACTIVE_LONG_TERM' | null
  /** What being in the state grants (its access profiles and their entitlements), built once. */
  readonly grants: readonly KeyedGrant[]
}

/** An account as the planner sees it. */
export interface PlanAccount {
  readonly sourceId: string
  readonly nativeIdentity: string
  readonly disabled: boolean
  readonly attributes: Readonly<Record<string, unknown>>
}

/** An identity and what the planner compares against: its accounts and what it was granted before. */
export interface PlanIdentity {
  readonly id: string
  readonly name: string
  readonly identityProfile: string
  readonly attributes: Readonly<Record<string, unknown>>
  readonly lifecycleState: string | null
  /** The lifecycle state the last applied plan saw: account actions run when it changes. */
  readonly previousLifecycleState: string | null
  readonly accounts: readonly PlanAccount[]
  /**
   * Access granted by earlier applied plans: what is no longer granted is revoked. The computed grants
   * (a set shared with other identities), and apart what the identity's assignments granted.
   */
  readonly previousGrants: readonly Grant[]
  readonly previousAssignedGrants?: readonly Grant[]
  /** Access the identity was given (absent: none); merged on top of what policy computes. */
  readonly assignments?: readonly PlanAssignment[]
}

/** One access item the identity should have, and why. */
export interface Grant {
  readonly kind: 'ROLE' | 'ACCESS_PROFILE' | 'ENTITLEMENT'
  readonly id: string
  readonly name: string
  /** What decided it: policy (criteria, a list, the state, a role) or an assignment's origin. */
  readonly origin:
    | 'ROLE_CRITERIA'
    | 'IDENTITY_LIST'
    | 'LIFECYCLE_STATE'
    | 'ROLE'
    | 'ACCESS_REQUEST'
    | 'ADMIN'
    | 'CERTIFICATION'
  /** For entitlements: where it is. */
  readonly sourceId?: string
  readonly attribute?: string
  readonly value?: string
  readonly reasons: readonly PlanReason[]
}

/**
 * A grant with the key it merges on (`R:`, `AP:` or `E:` and the id). Shared, immutable: every
 * identity a role grants gets the same objects, copied only when a second assignment adds a reason.
 */
export interface KeyedGrant {
  readonly key: string
  readonly grant: Grant
}

/** An entitlement as the store holds it (aggregated), for references that give only its id. */
export interface StoredEntitlement {
  readonly sourceId: string
  readonly attribute: string
  readonly value: string
}

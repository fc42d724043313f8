/** A transform as written in configuration: the reference product's `{type, name, attributes}`. */
export interface TransformDefinition {
  readonly type: string
  readonly name?: string
  readonly id?: string
  readonly attributes?: Readonly<Record<string, unknown>>
  readonly requiresPeriodicRefresh?: boolean
}

/** The value a transform yields: a string, or null when there is none. */
export type TransformValue = string | null

/** One account of the identity, as transforms see it (`accountAttribute`, `getEndOfString`…). */
export interface TransformAccount {
  readonly sourceName: string
  readonly sourceId?: string
  readonly nativeIdentity: string
  readonly displayName?: string | null
  /** ISO-8601; `accountAttribute` picks the oldest account by this when several match. */
  readonly created?: string
  readonly entitlements?: readonly string[]
  readonly attributes: Readonly<Record<string, unknown>>
}

/** Everything a transform may read while it is evaluated. Every member is optional. */
export interface TransformContext {
  /** The implicit input (the attribute mapped in the identity profile or account profile). */
  readonly input?: unknown
  /** The identity's attributes (already computed ones, for `identityAttribute` and Velocity `$identity`). */
  readonly identity?: Readonly<Record<string, unknown>>
  /** The identity's accounts, on every source. */
  readonly accounts?: readonly TransformAccount[]
  /** The manager's identity attributes (`getReferenceIdentityAttribute` with uid `manager`). */
  readonly manager?: Readonly<Record<string, unknown>> | null
  /** Finds another identity's attributes by its uid (`getReferenceIdentityAttribute`). */
  readonly findIdentity?: (uid: string) => Readonly<Record<string, unknown>> | undefined
  /** Values of fields evaluated earlier in the same account profile, visible to Velocity by name. */
  readonly fields?: Readonly<Record<string, unknown>>
  /** Is this candidate account id free? Used by `usernameGenerator`; absent means "always unique". */
  readonly isUnique?: (value: string) => boolean
  /** Injectable clock and randomness, for tests. */
  readonly now?: () => Date
  readonly random?: () => number
}

/** A transform compiled once (templates parsed, regexes built, references resolved) and evaluated many times. */
export interface CompiledTransform {
  readonly type: string
  evaluate(ctx: TransformContext): TransformValue
}

/** Resolves the named transforms of the workspace, for `reference`. */
export type TransformResolver = (id: string) => TransformDefinition | undefined

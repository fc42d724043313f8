import type { ObjectRef } from '../../domain/config/schema-primitives.js'

/**
 * What the v3 presenters of configuration objects need to name other objects the reference's way,
 * `{type, id, name}`: Provisio's YAML usually names them (`owner: joan.goldwasser`, `source: HR`), the v3
 * API gives both. Filled by the route before presenting, so presenters stay synchronous and pure.
 */
export interface ConfigRefs {
  /** An identity (an owner) by the reference's id or name; what the store does not know stays as written. */
  identity(ref: ObjectRef): { readonly id?: string; readonly name?: string }
  /** A configured source by name or id. */
  source(nameOrId: string): { readonly id: string; readonly name: string } | undefined
  /** A configured access profile by name or id. */
  accessProfile(nameOrId: string): { readonly id: string; readonly name: string } | undefined
}

/** `{type: IDENTITY, id, name}` for an owner reference. */
export function identityRefJson(refs: ConfigRefs, ref: ObjectRef): object {
  const found = refs.identity(ref)
  const id = found.id ?? ref.id
  const name = found.name ?? ref.name
  return { type: 'IDENTITY', ...(id !== undefined ? { id } : {}), ...(name !== undefined ? { name } : {}) }
}

/** `{type, id, name}` for a reference to a configured object, by what the reference names. */
export function objectRefJson(
  type: string,
  ref: ObjectRef,
  find: (nameOrId: string) => { readonly id: string; readonly name: string } | undefined,
): object {
  const found =
    (ref.name !== undefined ? find(ref.name) : undefined) ?? (ref.id !== undefined ? find(ref.id) : undefined)
  const id = found?.id ?? ref.id
  const name = found?.name ?? ref.name
  return { type, ...(id !== undefined ? { id } : {}), ...(name !== undefined ? { name } : {}) }
}

import { createHash } from 'node:crypto'
import type { ConfigProblem } from '../errors.js'
import type { Located } from './workspace-config.js'

/**
 * Stable ids of configuration objects. The API, the published versions and assignments refer to an object
 * by its id, so the id must outlive edits of everything else. An object should carry its own (`id:` in its
 * YAML, 32 hex digits as the reference writes them); one written without gets a derived id, the first 32 hex
 * digits of sha256(kind + ':' + key), where the key is its name (for a lifecycle state: its profile's id, a
 * slash and its technical name). A derived id is stable until the object is renamed; `provisio validate`
 * warns about every object that relies on one.
 */
export function derivedId(kind: string, key: string): string {
  return createHash('sha256').update(`${kind}:${key}`).digest('hex').slice(0, 32)
}

/** An object kind that carries ids, as problems name it, and the key its derived id is made from. */
export interface IdentifiedKind<T> {
  readonly kind: string
  readonly key: (value: T) => string | undefined
  /** Objects nested in this one that have ids of their own (a profile's lifecycle states). */
  readonly nested?: NestedKind<T>
}

export interface NestedKind<T> {
  readonly kind: string
  readonly field: string & keyof T
  readonly key: (value: Record<string, unknown>, parentId: string) => string | undefined
  readonly label: (value: Record<string, unknown>) => string
}

type WithId = { readonly id?: string | undefined }

/** Where an id was met, to name both places of a duplicate. */
interface Seen {
  readonly file: string
  readonly object: string
  readonly explicit: boolean
  readonly key: string | undefined
}

/** Collects the ids of one configuration, kind by kind, and the problems they raise. */
export class IdRegistry {
  private readonly seen = new Map<string, Map<string, Seen>>()
  readonly problems: ConfigProblem[] = []

  /** The objects with an id each: their own, else the derived one (warned about); duplicates are errors. */
  identify<T extends WithId>(kind: IdentifiedKind<T>, objects: readonly Located<T>[]): Located<T>[] {
    return objects.map((o) => {
      const key = kind.key(o.value)
      const label = `${kind.kind} ${key !== undefined ? `"${key}"` : ''}`.trim()
      const id = this.idOf(kind.kind, o.value, key, { file: o.file, object: label, path: 'id' })
      let value: T = id === o.value.id ? o.value : { ...o.value, id }
      const nested = kind.nested
      if (nested && id !== undefined) {
        const children = value[nested.field]
        if (Array.isArray(children)) {
          const identified = (children as Record<string, unknown>[]).map((child, i) => {
            const own = typeof child['id'] === 'string' ? child['id'] : undefined
            const childId = this.idOf(nested.kind, { id: own }, nested.key(child, id), {
              file: o.file,
              object: label,
              path: `${nested.field}[${i}].id`,
              label: `${nested.kind} "${nested.label(child)}"`,
            })
            return childId === own ? child : { ...child, id: childId }
          })
          value = { ...value, [nested.field]: identified }
        }
      }
      return value === o.value ? o : { ...o, value }
    })
  }

  private idOf(
    kind: string,
    value: WithId,
    key: string | undefined,
    at: { file: string; object: string; path: string; label?: string },
  ): string | undefined {
    const site = { file: at.file, object: at.object, path: at.path }
    let id = value.id
    const explicit = id !== undefined
    if (id === undefined) {
      // Without a key (a transform without a name) there is nothing stable to derive from; checkReferences
      // reports the missing name.
      if (key === undefined) return undefined
      id = derivedId(kind, key)
      this.problems.push({
        ...site,
        severity: 'warning',
        message:
          `no id: the derived id ${id} is used, which changes if the object is renamed; ` +
          `write "id: ${id}" to keep it`,
      })
    }
    const ofKind = this.seen.get(kind) ?? new Map<string, Seen>()
    this.seen.set(kind, ofKind)
    const here = { file: at.file, object: at.label ?? at.object, explicit, key }
    const before = ofKind.get(id)
    // An id derived from the same name as another object's is that name's duplicate, which checkReferences
    // reports; otherwise two objects with one id are an error of their own.
    if (before && ((explicit && before.explicit) || before.key !== key)) {
      this.problems.push({
        ...site,
        message: `duplicate id "${id}": ${before.object} in ${before.file} has it too`,
      })
    } else ofKind.set(id, here)
    return id
  }
}

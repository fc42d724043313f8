import { stableStringify } from '../stable-hash.js'
import { flattenSnapshot, type ConfigObjectRecord, type ConfigSnapshot } from './config-snapshot.js'
import { joinPath } from './zod-problems.js'

/** An object named in a diff. */
export interface DiffedObject {
  readonly kind: string
  readonly id: string
  readonly name: string
}

export interface ChangedObject extends DiffedObject {
  /** The fields that differ, as paths (`schemas[0].attributes[2].type`); a renamed object lists `name`. */
  readonly fields: readonly string[]
}

export interface SnapshotDiff {
  readonly added: readonly DiffedObject[]
  readonly removed: readonly DiffedObject[]
  readonly changed: readonly ChangedObject[]
}

/**
 * What changed from one configuration to another, object by object. Objects are matched by kind and id, so
 * a renamed object with an explicit id is one changed object, while one with a derived id is removed and
 * added (its id changed with its name).
 */
export function diffSnapshots(from: ConfigSnapshot, to: ConfigSnapshot): SnapshotDiff {
  const key = (o: ConfigObjectRecord): string => `${o.kind}\u0000${o.id}`
  const before = new Map(flattenSnapshot(from).map((o) => [key(o), o]))
  const after = flattenSnapshot(to)
  const afterKeys = new Set(after.map(key))
  const added: DiffedObject[] = []
  const changed: ChangedObject[] = []
  for (const o of after) {
    const old = before.get(key(o))
    if (!old) added.push(named(o))
    else {
      const fields = changedFields(old.value, o.value, [])
      if (fields.length > 0) changed.push({ ...named(o), fields })
    }
  }
  const removed = [...before.values()].filter((o) => !afterKeys.has(key(o))).map(named)
  return { added, removed, changed }
}

function named(o: ConfigObjectRecord): DiffedObject {
  return { kind: o.kind, id: o.id, name: o.name }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** The paths where two values differ, down to the first level where they stop being both maps or both lists. */
function changedFields(a: unknown, b: unknown, path: readonly (string | number)[]): string[] {
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    return keys.flatMap((k) => changedFields(a[k], b[k], [...path, k]))
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const out: string[] = []
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      out.push(...changedFields(a[i] as unknown, b[i] as unknown, [...path, i]))
    }
    return out
  }
  return stableStringify(a) === stableStringify(b) ? [] : [joinPath('', path)]
}

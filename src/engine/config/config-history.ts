import type { ConfigSnapshot } from '../../domain/config/config-snapshot.js'
import { diffSnapshots, type SnapshotDiff } from '../../domain/config/diff-snapshots.js'
import { InputError, NotFoundError } from '../../domain/errors.js'
import {
  getConfigVersion,
  listConfigVersions,
  newestConfigVersion,
  type ConfigVersion,
  type ConfigVersionSummary,
} from '../../store/config-versions.js'
import type { Db } from '../../store/db.js'

export type { ConfigVersion, ConfigVersionSummary } from '../../store/config-versions.js'

/** The published versions, newest first. */
export function configHistory(db: Db): Promise<ConfigVersionSummary[]> {
  return listConfigVersions(db)
}

/** What changed between two published versions, each a number or `latest`. */
export interface VersionDiff extends SnapshotDiff {
  readonly from: number
  readonly to: number
}

export async function diffConfigVersions(db: Db, from: string, to: string): Promise<VersionDiff> {
  const a = await versionNamed(db, from)
  const b = await versionNamed(db, to)
  return {
    from: a.number,
    to: b.number,
    ...diffSnapshots(a.objects as ConfigSnapshot, b.objects as ConfigSnapshot),
  }
}

/** One published version with its objects, by number or `latest`; NotFoundError when there is none. */
export async function versionNamed(db: Db, name: string): Promise<ConfigVersion> {
  if (name === 'latest') {
    const newest = await newestConfigVersion(db)
    if (!newest) throw new NotFoundError('no configuration version has been published yet')
    return newest
  }
  if (!/^[1-9]\d*$/.test(name)) throw new InputError(`a version is a number or "latest", not "${name}"`)
  const found = await getConfigVersion(db, Number(name))
  if (!found) throw new NotFoundError(`no configuration version ${name}`)
  return found
}

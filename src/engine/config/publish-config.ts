import { userInfo } from 'node:os'
import {
  configFromSnapshot,
  configSnapshot,
  objectCounts,
  snapshotHash,
  type ConfigSnapshot,
} from '../../domain/config/config-snapshot.js'
import type { WorkspaceConfig } from '../../domain/config/workspace-config.js'
import { NotFoundError } from '../../domain/errors.js'
import { newestConfigVersion, publishConfigVersion } from '../../store/config-versions.js'
import type { Db } from '../../store/db.js'

/** The version a process runs with. */
export interface PublishedVersion {
  readonly number: number
  readonly hash: string
  /** False when the newest version already held this configuration. */
  readonly created: boolean
}

/**
 * Publishes the configuration a process is about to run with as a numbered version (nothing new when the
 * newest version has the same content). The author is the one given, else `PROVISIO_AUTHOR`, else the
 * operating-system user.
 */
export async function publishConfig(
  db: Db,
  config: WorkspaceConfig,
  options: {
    readonly now?: Date
    readonly env?: NodeJS.ProcessEnv
    /** Who changed the configuration, when a program did (the API's caller); else configAuthor's. */
    readonly author?: string
  } = {},
): Promise<PublishedVersion> {
  const snapshot = configSnapshot(config)
  const hash = snapshotHash(snapshot)
  const { number, created } = await publishConfigVersion(db, {
    hash,
    author: options.author ?? configAuthor(options.env ?? process.env),
    created: options.now ?? new Date(),
    counts: objectCounts(snapshot),
    objects: snapshot,
  })
  return { number, hash, created }
}

/** Who publishes: `PROVISIO_AUTHOR`, else the operating-system user, else "unknown". */
export function configAuthor(env: NodeJS.ProcessEnv): string {
  const named = env['PROVISIO_AUTHOR']?.trim()
  if (named) return named
  try {
    return userInfo().username || 'unknown'
  } catch {
    // A container may run as a user id with no name.
    return 'unknown'
  }
}

/**
 * The newest published configuration, for a process that shares the database but has no workspace folder;
 * `dir` is where it runs (relative paths, such as a key ring's, resolve there).
 */
export async function loadPublishedConfig(
  db: Db,
  dir: string,
): Promise<{ readonly config: WorkspaceConfig; readonly version: PublishedVersion }> {
  const newest = await newestConfigVersion(db)
  if (!newest) {
    throw new NotFoundError(
      'no configuration has been published to this database yet: run "provisio config publish" ' +
        '(or any command that uses the database) in the workspace folder with the same DATABASE_URL',
    )
  }
  return {
    config: configFromSnapshot(newest.objects as ConfigSnapshot, dir),
    version: { number: newest.number, hash: newest.hash, created: false },
  }
}

import { existsSync, readFileSync } from 'node:fs'
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createApiClient, revokeCredential } from '../engine/auth/credentials.js'
import type { OpenEngine } from './open-engine.js'

/** Where `serve` leaves the way in for the CLI of other processes: its address and an administrator client. */
export function localApiFile(workspaceDir: string): string {
  return join(workspaceDir, '.provisio', 'serve-api.json')
}

/** What the file holds (mode 600: the secret is an ORG_ADMIN credential). */
export interface LocalApiAccess {
  readonly url: string
  readonly pid: number
  readonly clientId: string
  readonly clientSecret: string
}

/** The file's content, or undefined when there is none or it cannot be read. */
export function readLocalApiAccess(workspaceDir: string): LocalApiAccess | undefined {
  const file = localApiFile(workspaceDir)
  if (!existsSync(file)) return undefined
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalApiAccess>
    if (
      typeof v.url === 'string' &&
      typeof v.pid === 'number' &&
      typeof v.clientId === 'string' &&
      typeof v.clientSecret === 'string'
    ) {
      return v as LocalApiAccess
    }
  } catch {
    // A torn or foreign file: as if there were none.
  }
  return undefined
}

/**
 * Makes an API client with ORG_ADMIN for the command line of this machine and writes it, with the API's
 * address, to `.provisio/serve-api.json` (mode 600: readable by the workspace's owner only). A client left
 * by an earlier serve that did not stop cleanly is revoked first. `remove` revokes it and deletes the file.
 */
export async function publishLocalApiAccess(
  engine: OpenEngine,
  url: string,
): Promise<{ remove: () => Promise<void> }> {
  const file = localApiFile(engine.config.dir)
  const stale = readLocalApiAccess(engine.config.dir)
  if (stale) await revokeCredential(engine, stale.clientId).catch(() => undefined)
  const client = await createApiClient(engine, {
    name: `provisio serve, process ${process.pid} (the local command line)`,
    capabilities: ['ORG_ADMIN'],
  })
  const access: LocalApiAccess = { url, pid: process.pid, ...client }
  await mkdir(join(engine.config.dir, '.provisio'), { recursive: true })
  await rm(file, { force: true })
  await writeFile(file, JSON.stringify(access, null, 2) + '\n', { mode: 0o600, flag: 'wx' })
  await chmod(file, 0o600)
  return {
    remove: async () => {
      await rm(file, { force: true })
      await revokeCredential(engine, client.clientId).catch(() => undefined)
    },
  }
}

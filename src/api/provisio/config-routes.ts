import { z } from 'zod'
import { CONFIG_FOLDERS, type ConfigFolderName } from '../../domain/config/config-kinds.js'
import { InputError } from '../../domain/errors.js'
import { configHistory, versionNamed } from '../../engine/config/config-history.js'
import type { ConfigChange } from '../../engine/config/config-repository.js'
import { previewConfigChange } from '../../engine/config/preview-config-change.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import {
  configPreviewJson,
  configVersionJson,
  configVersionSummaryJson,
} from '../presenters/config-version-json.js'

const FOLDERS = Object.keys(CONFIG_FOLDERS) as ConfigFolderName[]

/** A kind as the folder map names it (`accessProfiles`), as objects name it (`access profile`), or its folder. */
function folderOf(kind: string): ConfigFolderName | undefined {
  return FOLDERS.find((f) => f === kind || CONFIG_FOLDERS[f].kind === kind || CONFIG_FOLDERS[f].dir === kind)
}

const kind = z.string().refine((k) => folderOf(k) !== undefined, {
  error: `must be one of ${FOLDERS.join(', ')} (or source, role, access profile…)`,
})

/**
 * One candidate change: an object written as its YAML would say it (`{kind, object}`: replacing the one with
 * its id, else its name, else new), or an object removed (`{kind, remove: id}`).
 */
const changeBody = z.union([
  z.strictObject({ kind, object: z.record(z.string(), z.unknown()) }),
  z.strictObject({ kind, remove: z.string().min(1) }),
])

const previewBody = z.union([changeBody, z.array(changeBody).min(1).max(100)])

/** `/provisio/v1/config/…`: the published versions, and what a change would do before it is made. */
export function configRoutes(api: Api, ctx: ApiContext): void {
  api.get('/provisio/v1/config/versions', async () =>
    (await configHistory(ctx.engine.db)).map(configVersionSummaryJson),
  )

  api.get(
    '/provisio/v1/config/versions/:number',
    { schema: { params: z.strictObject({ number: z.string().max(20) }) } },
    async (request) => configVersionJson(await versionNamed(ctx.engine.db, request.params.number)),
  )

  // Nothing is written or published; the audit log records the call as every POST, with no before or after.
  api.post('/provisio/v1/config/preview', { schema: { body: previewBody } }, async (request) => {
    request.auditDetail = { action: 'CONFIG_PREVIEWED', targetType: 'CONFIGURATION' }
    const changes = (Array.isArray(request.body) ? request.body : [request.body]).map((c): ConfigChange => {
      const folder = folderOf(c.kind)
      if (folder === undefined) throw new InputError(`no kind of configuration object "${c.kind}"`)
      return 'object' in c
        ? { action: 'write', folder, object: c.object }
        : { action: 'remove', folder, id: c.remove }
    })
    return configPreviewJson(await previewConfigChange(ctx.engine, changes))
  })
}

import { z } from 'zod'
import { ConflictError } from '../../domain/errors.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'

const body = z.strictObject({
  /** The command's arguments after `provisio` (`["aggregate", "HR", "--json"]`), workspace options removed. */
  argv: z.array(z.string().max(4096)).min(1).max(200),
})

/**
 * `POST /provisio/v1/cli`: runs a command of the CLI inside this process, on its open engine, and answers
 * what it printed and its exit code. The CLI of another process calls it when `serve` holds the
 * workspace's embedded database (docs/api.md). ORG_ADMIN only: it is the administrator's command line.
 */
export function cliRoutes(api: Api, ctx: ApiContext): void {
  api.post('/provisio/v1/cli', { schema: { body } }, async (request) => {
    if (ctx.runCli === undefined) throw new ConflictError('this server does not run commands of the CLI')
    const argv = request.body.argv
    const result = await ctx.runCli(argv)
    request.auditDetail = {
      action: 'CLI_COMMAND',
      targetType: 'COMMAND',
      targetName: argv.slice(0, 2).join(' '),
      after: { exitCode: result.exitCode },
    }
    return result
  })
}

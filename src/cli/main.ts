#!/usr/bin/env node
import { Command } from 'commander'
import { exitCodeFor } from './exit-code.js'
import {
  accountsCommand,
  entitlementsCommand,
  identitiesCommand,
  identityCommand,
} from './commands/list-commands.js'
import { aggregateCommand, processCommand } from './commands/aggregate-command.js'
import { applyCommand, explainCommand, planCommand } from './commands/plan-commands.js'
import { serveCommand } from './commands/serve-command.js'
import { initCommand, transformPreviewCommand, validateCommand } from './commands/workspace-commands.js'

const program = new Command()
  .name('provisio')
  .description('Identity provisioning engine: sources, accounts, identities, transforms.')
  .option('-w, --workspace <dir>', 'the workspace folder', process.env['PROVISIO_WORKSPACE'] ?? '.')
  .showHelpAfterError()

const ws = (): string => program.opts<{ workspace: string }>().workspace

program
  .command('init')
  .argument('[dir]', 'folder to create the workspace in', '.')
  .option('--force', 'overwrite an existing workspace')
  .description('write a working demo workspace (sources, identity profile, transforms, sample HR data)')
  .action((dir: string, o: { force?: boolean }) => initCommand(dir, o))

program
  .command('validate')
  .description('check the workspace configuration; every problem is listed with file, object and field')
  .action(() => validateCommand(ws()))

program
  .command('aggregate')
  .argument('<source>', 'source name')
  .option('--file <path>', 'read this file instead of the configured one')
  .option('--json', 'print the result as JSON')
  .description("read a source's accounts and entitlements, correlate them, and process identities")
  .action((source: string, o: { file?: string; json?: boolean }) => aggregateCommand(ws(), source, o))

program
  .command('process')
  .alias('refresh')
  .option('--full', 'process and plan every identity, not only those whose inputs changed')
  .option('--json', 'print the result as JSON')
  .description(
    'identity refresh: attributes, lifecycle state and managers; with provisioning: automatic, applies the plan',
  )
  .action((o: { full?: boolean; json?: boolean }) => processCommand(ws(), o))

program
  .command('identities')
  .option('--json', 'print JSON')
  .description('list identities')
  .action((o: { json?: boolean }) => identitiesCommand(ws(), o))

program
  .command('identity')
  .argument('<id>', 'identity id or name')
  .option('--json', 'print JSON')
  .description('show one identity: attributes, lifecycle state, manager, accounts')
  .action((id: string, o: { json?: boolean }) => identityCommand(ws(), id, o))

program
  .command('accounts')
  .argument('<source>', 'source name')
  .option('--json', 'print JSON')
  .description('list the accounts of a source')
  .action((source: string, o: { json?: boolean }) => accountsCommand(ws(), source, o))

program
  .command('entitlements')
  .argument('<source>', 'source name')
  .option('--json', 'print JSON')
  .description('list the entitlements of a source')
  .action((source: string, o: { json?: boolean }) => entitlementsCommand(ws(), source, o))

program
  .command('plan')
  .option('--identity <id>', 'plan one identity (id or name)')
  .option('--source <name>', 'show only the changes on this source')
  .option('--config <dir>', 'plan against the configuration in <dir> (simulation: nothing is enabled)')
  .option('--json', 'print the plan as JSON (docs/plan.md)')
  .description('preview the account changes that would make access match policy, each with its reasons')
  .action((o: { identity?: string; source?: string; config?: string; json?: boolean }) =>
    planCommand(ws(), o),
  )

program
  .command('explain')
  .argument('<identity>', 'identity id or name')
  .description('why an identity has, or will get, its access: lifecycle state, roles, desired versus actual')
  .action((id: string) => explainCommand(ws(), id))

program
  .command('apply')
  .option('--identity <id>', 'apply the plan of one identity')
  .option('--json', 'print JSON')
  .description('turn the plan into pending account requests (executed by the execution milestone)')
  .action((o: { identity?: string; json?: boolean }) => applyCommand(ws(), o))

const transform = program.command('transform').description('work with transforms')
transform
  .command('preview')
  .argument('<file>', 'a transform object (JSON or YAML)')
  .option('--context <file>', 'JSON: {"input", "identity", "accounts": {"<source>": {...}}, "manager"}')
  .description('evaluate a transform and print its value as JSON')
  .action((file: string, o: { context?: string }) => transformPreviewCommand(file, { ...o, workspace: ws() }))

program
  .command('serve')
  .option('--demo <dir>', 'create the demo workspace in <dir> if needed, and serve it')
  .option('--port <port>', 'health endpoint port (default: server.port of provisio.yaml)')
  .description('run the configured schedules and the health endpoint until stopped')
  .action((o: { demo?: string; port?: string }) => serveCommand(ws(), o))

program.parseAsync(process.argv).catch((err: unknown) => {
  const { code, message } = exitCodeFor(err)
  process.stderr.write(`provisio: ${message}\n`)
  process.exit(code)
})

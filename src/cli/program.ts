import { Command } from 'commander'
import { packageVersion } from './package-version.js'
import type { CampaignCreateOptions } from './commands/campaign-commands.js'
import type { ReviewOptions } from './commands/review-commands.js'

// a command loads only what it uses (the database, connectors, the queue...).
const listCommands = () => import('./commands/list-commands.js')
const aggregateCommands = () => import('./commands/aggregate-command.js')
const memoryCommands = () => import('./commands/memory-command.js')
const sourceCommands = () => import('./commands/source-command.js')
const workerCommands = () => import('./commands/worker-command.js')
const executionCommands = () => import('./commands/execution-commands.js')
const planCommands = () => import('./commands/plan-commands.js')
const serveCommands = () => import('./commands/serve-command.js')
const workspaceCommands = () => import('./commands/workspace-commands.js')
const keysCommands = () => import('./commands/keys-command.js')
const configCommands = () => import('./commands/config-command.js')
const assignCommands = () => import('./commands/assign-commands.js')
const taskCommands = () => import('./commands/task-commands.js')
const tokenCommands = () => import('./commands/token-commands.js')
const signInCommands = () => import('./commands/sign-in-commands.js')
const capabilityCommands = () => import('./commands/capability-commands.js')
const auditCommands = () => import('./commands/audit-command.js')
const requestCommands = () => import('./commands/request-commands.js')
const notificationCommands = () => import('./commands/notification-commands.js')
const campaignCommands = () => import('./commands/campaign-commands.js')
const reviewCommands = () => import('./commands/review-commands.js')

/**
 * Commands that cannot run inside another process: they are processes of their own, or (`password`)
 * read a secret from this process's terminal and send it to serve themselves. `serve` runs every other
 * command handed to it by the CLI of another process (forward-to-serve.ts), and refuses these.
 */
export const OWN_PROCESS_COMMANDS: ReadonlySet<string> = new Set([
  'serve',
  'worker',
  'init',
  'ldap',
  'memory',
  'password',
])

/**
 * The whole command line, a new one each call: `main.ts` parses the process's arguments with it, and
 * `serve` parses the arguments another process's CLI handed over, each with a program of its own.
 */
export function buildProgram(): Command {
  const program = new Command()
    .name('provisio')
    .description('Identity provisioning engine: sources, accounts, identities, transforms.')
    .option('-w, --workspace <dir>', 'the workspace folder', process.env['PROVISIO_WORKSPACE'] ?? '.')
    .version(packageVersion(), '-V, --version', 'print the version of provisio')
    .showHelpAfterError()
    // Usage errors (unknown option, missing argument…) end through the one exit-code map: code 2.
    .exitOverride()

  const ws = (): string => program.opts<{ workspace: string }>().workspace

  program
    .command('init')
    .argument('[dir]', 'folder to create the workspace in', '.')
    .option('--force', 'overwrite an existing workspace')
    .option('--with-ldap', 'also set up a real OpenLDAP directory (slapd) on this machine and an LDAP source')
    .description('write a working demo workspace (sources, identity profile, transforms, sample HR data)')
    .action(async (dir: string, o: { force?: boolean; withLdap?: boolean }) =>
      (await workspaceCommands()).initCommand(dir, o),
    )

  const ldap = program
    .command('ldap')
    .description('the local OpenLDAP directory of a workspace made with init --with-ldap')
  ldap
    .command('start')
    .description('start it (it keeps running after init; start it again after a reboot or a stop)')
    .action(async () => (await workspaceCommands()).ldapCommand(ws(), 'start'))
  ldap
    .command('stop')
    .description('stop it, by its pid')
    .action(async () => (await workspaceCommands()).ldapCommand(ws(), 'stop'))

  program
    .command('validate')
    .description('check the workspace configuration; every problem is listed with file, object and field')
    .action(async () => (await workspaceCommands()).validateCommand(ws()))

  program
    .command('aggregate')
    .argument('<source>', 'source name')
    .option('--file <path>', 'read this file instead of the configured one')
    .option('--json', 'print the result as JSON')
    .option(
      '--async',
      'queue it as a background task and print its id; a running serve or worker runs it (see provisio task)',
    )
    .description(
      "read a source's accounts and entitlements, correlate them, process identities, and with " +
        'provisioning: automatic apply the plan',
    )
    .action(async (source: string, o: { file?: string; json?: boolean; async?: boolean }) =>
      o.async
        ? (await taskCommands()).aggregateAsyncCommand(ws(), source, o)
        : (await aggregateCommands()).aggregateCommand(ws(), source, o),
    )

  const task = program
    .command('task')
    .description('background tasks (source aggregations queued with aggregate --async) and their status')
  task
    .command('status')
    .argument('<id>', 'task id')
    .option('--json', "print the reference's task-status JSON")
    .description('one task: state, progress, counts and messages')
    .action(async (id: string, o: { json?: boolean }) =>
      (await taskCommands()).taskStatusCommand(ws(), id, o),
    )
  task
    .command('list')
    .option('--open', 'only tasks not completed yet (pending or running)')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', "print the reference's task-status JSON of each")
    .description('tasks, newest first')
    .action(async (o: { open?: boolean; limit?: string; json?: boolean }) =>
      (await taskCommands()).taskListCommand(ws(), o),
    )

  program
    .command('process')
    .alias('refresh')
    .option('--full', 'process and plan every identity, not only those whose inputs changed')
    .option('--json', 'print the result as JSON')
    .description(
      'identity refresh: attributes, lifecycle state and managers; with provisioning: automatic, applies the plan',
    )
    .action(async (o: { full?: boolean; json?: boolean }) =>
      (await aggregateCommands()).processCommand(ws(), o),
    )

  program
    .command('identities')
    .option('--json', 'print JSON')
    .description('list identities')
    .action(async (o: { json?: boolean }) => (await listCommands()).identitiesCommand(ws(), o))

  program
    .command('identity')
    .argument('<id>', 'identity id or name')
    .option('--json', 'print JSON')
    .description('show one identity: attributes, lifecycle state, manager, accounts')
    .action(async (id: string, o: { json?: boolean }) => (await listCommands()).identityCommand(ws(), id, o))

  program
    .command('accounts')
    .argument('<source>', 'source name')
    .option('--json', 'print JSON')
    .description('list the accounts of a source')
    .action(async (source: string, o: { json?: boolean }) =>
      (await listCommands()).accountsCommand(ws(), source, o),
    )

  program
    .command('entitlements')
    .argument('<source>', 'source name')
    .option('--json', 'print JSON')
    .description('list the entitlements of a source')
    .action(async (source: string, o: { json?: boolean }) =>
      (await listCommands()).entitlementsCommand(ws(), source, o),
    )

  program
    .command('plan')
    .option('--identity <id>', 'plan one identity (id or name)')
    .option('--source <name>', 'show only the changes on this source')
    .option(
      '--config <dir>',
      'simulation: plan against the configuration in <dir>, a candidate made by copying the workspace folder ' +
        '(cp -r) and editing the copy; the stored identities are used and nothing is enabled',
    )
    .option('--json', 'print the plan as JSON (docs/plan.md)')
    .description('preview the account changes that would make access match policy, each with its reasons')
    .action(async (o: { identity?: string; source?: string; config?: string; json?: boolean }) =>
      (await planCommands()).planCommand(ws(), o),
    )

  program
    .command('explain')
    .argument('<identity>', 'identity id or name')
    .option('--json', 'print JSON (docs/plan.md)')
    .description(
      'why an identity has, or will get, its access: lifecycle state, roles, desired versus actual',
    )
    .action(async (id: string, o: { json?: boolean }) => (await planCommands()).explainCommand(ws(), id, o))

  const itemOptions = (c: Command): Command =>
    c
      .option('--role <name>', 'a role (name or id)')
      .option('--access-profile <name>', 'an access profile (name or id)')
      .option(
        '--entitlement <source:attribute:value>',
        'an aggregated entitlement, e.g. "Corporate Directory:groups:ops-team" (SOURCE:VALUE when the source has one entitlement attribute)',
      )

  itemOptions(
    program
      .command('assign')
      .argument('<identity>', 'identity id or name')
      .description(
        'give an identity a role, access profile or entitlement by hand (origin ADMIN); the next apply provisions it (docs/assignments.md)',
      ),
  )
    .option('--start <date>', 'grant from this date (YYYY-MM-DD, UTC, or an ISO 8601 time)')
    .option('--end <date>', 'remove on this date (YYYY-MM-DD, UTC, or an ISO 8601 time)')
    .option('--json', 'print the assignment as JSON')
    .action(
      async (
        id: string,
        o: {
          role?: string
          accessProfile?: string
          entitlement?: string
          start?: string
          end?: string
          json?: boolean
        },
      ) => (await assignCommands()).assignCommand(ws(), id, o),
    )

  itemOptions(
    program
      .command('unassign')
      .argument('<identity>', 'identity id or name')
      .description(
        "remove an identity's manual assignment; what it granted is revoked unless something else still grants it",
      ),
  )
    .option('--json', 'print the removed assignment as JSON')
    .action(
      async (
        id: string,
        o: { role?: string; accessProfile?: string; entitlement?: string; json?: boolean },
      ) => (await assignCommands()).unassignCommand(ws(), id, o),
    )

  program
    .command('apply')
    .option('--identity <id>', 'apply the plan of one identity')
    .option('--source <name>', "apply only this source's plan (the other sources' changes stay to apply)")
    .option('--wait', 'execute the requests now and wait until each is finished, failed, retrying or manual')
    .option('--json', 'print JSON')
    .description('turn the plan into account requests (activities) for the executor')
    .action(async (o: { identity?: string; source?: string; wait?: boolean; json?: boolean }) =>
      (await planCommands()).applyCommand(ws(), o),
    )

  program
    .command('activities')
    .option('--identity <id>', 'only this identity (id or name)')
    .option('--source <name>', 'only this source')
    .option('--status <status>', 'PENDING, COMMITED, FINISHED, FAILED, RETRY, UNVERIFIABLE or CANCELED')
    .option('--json', 'print JSON (the reference account-activity shape)')
    .description('list account activities: what was requested of which system, and how it went')
    .action(async (o: { identity?: string; source?: string; status?: string; json?: boolean }) =>
      (await executionCommands()).activitiesCommand(ws(), o),
    )

  program
    .command('retry')
    .argument('[activity]', 'the id of a FAILED or RETRY account activity')
    .option('--failed', 'every FAILED or RETRY activity (with --source: of that source)')
    .option('--source <name>', 'with --failed: only this source')
    .option('--json', 'print JSON')
    .description('retry now, with a fresh set of attempts, and wait for the outcome')
    .action(async (id: string | undefined, o: { failed?: boolean; source?: string; json?: boolean }) =>
      (await executionCommands()).retryCommand(ws(), id, o),
    )

  program
    .command('execute')
    .option('--source <name>', 'only this source')
    .option(
      '--lease <seconds>',
      'how long a claim is held before another worker may take it over (default 60)',
    )
    .option('--json', 'print JSON')
    .description('execute the account activities due now, here, until none is left; print what happened')
    .action(async (o: { source?: string; lease?: string; json?: boolean }) =>
      (await workerCommands()).executeCommand(ws(), o),
    )

  program
    .command('worker')
    .option('--poll <seconds>', 'how often to look for due work (default 1)')
    .option(
      '--lease <seconds>',
      'how long a claim is held before another worker may take it over (default 60)',
    )
    .option('--sources <n>', 'sources worked on at once (default 4)')
    .option(
      '--published',
      "run from the newest configuration published to DATABASE_URL's server, not a workspace folder (the default when the folder has none)",
    )
    .description('execute account activities from the durable queue until stopped; workers share the work')
    .action(async (o: { poll?: string; lease?: string; sources?: string; published?: boolean }) =>
      (await workerCommands()).workerCommand(ws(), o),
    )

  const config = program
    .command('config')
    .description('published configuration versions: every configuration the engine runs with is one')
  config
    .command('publish')
    .option('--json', 'print JSON')
    .description("publish the workspace's configuration to the database (every command that opens it does)")
    .action(async (o: { json?: boolean }) => (await configCommands()).configPublishCommand(ws(), o))
  config
    .command('history')
    .option('--json', 'print JSON')
    .description('list the published versions: number, time, author, hash, objects')
    .action(async (o: { json?: boolean }) => (await configCommands()).configHistoryCommand(ws(), o))
  config
    .command('diff')
    .argument('<from>', 'a version number, or latest')
    .argument('<to>', 'a version number, or latest')
    .option('--json', 'print JSON')
    .description('show which objects were added, removed or changed between two versions, and which fields')
    .action(async (from: string, to: string, o: { json?: boolean }) =>
      (await configCommands()).configDiffCommand(ws(), from, to, o),
    )

  const source = program.command('source').description('work with sources')
  source
    .command('test')
    .argument('<name>', 'a directly connected source')
    .option('--json', 'print JSON')
    .description("check that the source's system can be reached with its configuration")
    .action(async (name: string, o: { json?: boolean }) =>
      (await sourceCommands()).sourceTestCommand(ws(), name, o),
    )

  const memory = program
    .command('memory')
    .description(
      'fault injection for in-memory sources (connector: memory), e.g. to watch retries in the demo',
    )
  memory
    .command('break')
    .argument('<source>', 'an in-memory source with a state file')
    .option('--operation <op>', 'create, update, delete, enable, disable, read, list, test, or * (default)')
    .option(
      '--mode <mode>',
      'NETWORK (default), HOST_UNREACHABLE, TIMEOUT, SCHEMA, ALREADY_EXISTS, NOT_FOUND, GENERIC, SLOW',
    )
    .option('--latency <ms>', 'for SLOW: how long each operation takes')
    .option('--message <text>', 'the failure message (e.g. to match a retryableErrors pattern)')
    .description('make an operation of the system fail (or be slow) until healed')
    .action(
      async (source: string, o: { operation?: string; mode?: string; latency?: string; message?: string }) =>
        (await memoryCommands()).memoryCommand(ws(), 'break', source, o),
    )
  memory
    .command('heal')
    .argument('<source>', 'an in-memory source with a state file')
    .description('every operation of the system works again')
    .action(async (source: string) => (await memoryCommands()).memoryCommand(ws(), 'heal', source, {}))

  const tasks = program
    .command('tasks')
    .option('--owner <name>', "only this owner's")
    .option('--all', 'closed ones too')
    .option('--json', 'print JSON (secret values masked)')
    .description('manual work items for flat-file sources: what their owners must do by hand')
    .action(async (o: { owner?: string; all?: boolean; json?: boolean }) =>
      (await executionCommands()).tasksCommand(ws(), o),
    )
  tasks
    .command('show')
    .argument('<id>', 'work item id')
    .option('--json', 'print JSON')
    .description("one work item in full, secret values included (for its owner's eyes)")
    .action(async (id: string, o: { json?: boolean }) =>
      (await executionCommands()).taskShowCommand(ws(), id, o),
    )
  tasks
    .command('complete')
    .argument('<id>', 'work item id')
    .option('--comment <text>', 'a note')
    .description('the work is done: its request is committed, and the next aggregation verifies it')
    .action(async (id: string, o: { comment?: string }) =>
      (await executionCommands()).taskCompleteCommand(ws(), id, o),
    )
  tasks
    .command('reject')
    .argument('<id>', 'work item id')
    .option('--comment <text>', 'why (required)')
    .description('the work will not be done: its request fails with the comment')
    .action(async (id: string, o: { comment?: string }) =>
      (await executionCommands()).taskRejectCommand(ws(), id, o),
    )

  program
    .command('keys')
    .description("the keys that encrypt the secrets of pending tasks, and that sign the API's access tokens")
    .command('rotate')
    .option(
      '--secrets',
      "only the secrets' key: encrypt them again with a new key (PROVISIO_SECRETS_KEY: its first key), drop unused ones",
    )
    .option(
      '--signing',
      "only the tokens' signing key: a new one signs, the old one verifies until its tokens expire",
    )
    .description('rotate both keys (or the one a flag names); docs/authentication.md')
    .action(async (o: { secrets?: boolean; signing?: boolean }) =>
      (await keysCommands()).keysRotateCommand(ws(), o),
    )

  const token = program
    .command('token')
    .description(
      'personal access tokens and API clients: client id/secret pairs for the API (docs/authentication.md)',
    )
  token
    .command('create')
    .option('--identity <id>', 'the identity (id or name) a personal access token acts as')
    .option('--name <name>', "the token's name (unique among the identity's tokens)")
    .option('--scope <scope...>', 'scopes (default sp:scopes:all)')
    .option('--api-client', 'an API client (no identity) instead of a personal access token')
    .option('--capability <capability...>', "an API client's capabilities (ORG_ADMIN, SOURCE_ADMIN, …)")
    .option('--expires <date>', "a personal access token's end date (ISO 8601; default: in six months)")
    .option('--json', 'print {clientId, clientSecret} as JSON')
    .description('create a credential and print its client id and secret (the secret is shown once)')
    .action(
      async (o: {
        identity?: string
        name?: string
        scope?: string[]
        apiClient?: boolean
        capability?: string[]
        expires?: string
        json?: boolean
      }) => (await tokenCommands()).tokenCreateCommand(ws(), o),
    )
  token
    .command('list')
    .option('--identity <id>', "only this identity's personal access tokens")
    .option('--json', 'print the credentials as JSON (never a secret)')
    .description('list the credentials, revoked ones too')
    .action(async (o: { identity?: string; json?: boolean }) =>
      (await tokenCommands()).tokenListCommand(ws(), o),
    )
  token
    .command('revoke')
    .argument('<client-id>', "the credential's client id")
    .description('revoke a credential: no new tokens, and the tokens issued with it stop verifying')
    .action(async (id: string) => (await tokenCommands()).tokenRevokeCommand(ws(), id))

  program
    .command('password')
    .description('local passwords of identities, for signing in to the API (docs/authentication.md)')
    .command('set')
    .argument('<identity>', 'the identity (id or name)')
    .description(
      "set an identity's password, typed at the prompt or piped on standard input (never an argument); its sessions end",
    )
    .action(async (identity: string) => (await signInCommands()).passwordSetCommand(ws(), identity))

  program
    .command('sessions')
    .description("people's browser sessions (docs/authentication.md)")
    .command('end')
    .argument('<identity>', 'the identity (id or name)')
    .description('end every open session of an identity (its access tokens stop verifying)')
    .action(async (identity: string) => (await signInCommands()).sessionsEndCommand(ws(), identity))

  program
    .command('invite')
    .argument('<identity>', 'the identity (id or name)')
    .option('--hours <n>', 'how long the link works (default signIn.invitationHours, 72)')
    .option('--json', 'print {identity, url, expires} as JSON')
    .description('print a one-time link with which the person sets their own password')
    .action(async (identity: string, o: { hours?: string; json?: boolean }) =>
      (await signInCommands()).inviteCommand(ws(), identity, o),
    )

  const capabilities = program
    .command('capabilities')
    .description(
      "capabilities of the API granted to identities, in provisio.yaml's capabilities: (docs/api.md)",
    )
  capabilities
    .command('grant')
    .argument('<identity>', 'the identity (id or name)')
    .argument('<capability...>', 'ORG_ADMIN, SOURCE_ADMIN, ROLE_ADMIN, CERT_ADMIN, HELPDESK, REPORT_ADMIN')
    .option('--json', 'print the identity and its capabilities as JSON')
    .description('grant capabilities to an identity (its next access token carries them)')
    .action(async (identity: string, caps: string[], o: { json?: boolean }) =>
      (await capabilityCommands()).capabilitiesChangeCommand(ws(), identity, caps, 'grant', o),
    )
  capabilities
    .command('revoke')
    .argument('<identity>', 'the identity (id or name)')
    .argument('<capability...>', 'capabilities to take away')
    .option('--json', 'print the identity and its capabilities as JSON')
    .description('revoke capabilities of an identity')
    .action(async (identity: string, caps: string[], o: { json?: boolean }) =>
      (await capabilityCommands()).capabilitiesChangeCommand(ws(), identity, caps, 'revoke', o),
    )
  capabilities
    .command('list')
    .option('--json', 'print the grants as JSON')
    .description('who holds which capabilities')
    .action(async (o: { json?: boolean }) => (await capabilityCommands()).capabilitiesListCommand(ws(), o))

  program
    .command('audit')
    .option(
      '--filters <expression>',
      'the API\'s filter grammar: action eq "TOKEN_ISSUED", at gt 2026-12-01T00:00:00Z …',
    )
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--offset <n>', 'skip this many')
    .option('--json', 'print the events as JSON')
    .description('the audit log, newest first: writes, sign-ins and token issues through the API')
    .action(async (o: { filters?: string; limit?: string; offset?: string; json?: boolean }) =>
      (await auditCommands()).auditCommand(ws(), o),
    )

  // Access requests (docs/access-requests.md). The CLI acts as the workspace's administrator; --as names
  // the person it acts for (the requester, the approver).
  const request = program.command('request').description('make an access request (or preview one)')
  for (const kind of ['grant', 'revoke'] as const) {
    request
      .command(kind)
      .argument('<identity...>', 'who it is for (ids or names; a revoke is for one)')
      .option('--role <name>', 'a requestable role')
      .option('--access-profile <name>', 'a requestable access profile')
      .option('--entitlement <ref>', 'SOURCE:ATTRIBUTE:VALUE (or SOURCE:VALUE)')
      .option('--comment <text>', 'why (required for a revoke, and where the item says so)')
      .option('--start <date>', kind === 'grant' ? 'grant it from this date (sunrise)' : 'not for a revoke')
      .option('--end <date>', kind === 'grant' ? 'remove it on this date (sunset)' : 'revoke it on this date')
      .option(
        '--account <nativeIdentity>',
        'the account to receive it, for an identity with several on the source',
      )
      .option('--as <identity>', 'the person asking (default: the administrator)')
      .option('--preview', 'show who would approve and what would change; request nothing')
      .option('--json', 'print the result as JSON')
      .description(
        kind === 'grant'
          ? 'request access for identities'
          : 'request the removal of access an identity was given',
      )
      .action(async (identities: string[], o: Record<string, string | boolean | undefined>) =>
        (await requestCommands()).requestCommand(ws(), kind, identities, o),
      )
  }
  program
    .command('requests')
    .option('--identity <identity>', 'only requests for or by this identity')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--json', "print them as JSON (the API's access-request-status)")
    .description('access requests with their states, newest first')
    .action(async (o: { identity?: string; limit?: string; json?: boolean }) =>
      (await requestCommands()).requestsCommand(ws(), o),
    )
  program
    .command('approvals')
    .option('--as <identity>', "this person's approvals (default: everyone's)")
    .option('--completed', 'the decided ones instead of the pending')
    .option('--json', 'print them as JSON')
    .description('approvals of access requests')
    .action(async (o: { as?: string; completed?: boolean; json?: boolean }) =>
      (await requestCommands()).approvalsCommand(ws(), o),
    )
  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(decision)
      .argument(
        decision === 'approve' ? '<approvals...>' : '<approval>',
        decision === 'approve'
          ? 'approval ids (provisio approvals); several are approved together, all or none'
          : 'the approval id (provisio approvals)',
      )
      .requiredOption('--as <identity>', 'the approver deciding it')
      .option(
        '--comment <text>',
        decision === 'reject' ? 'why (required where the item says so)' : 'a comment',
      )
      .option('--json', 'print the request status as JSON')
      .description(`${decision} a step of an access request`)
      .action(async (ids: string | string[], o: { as?: string; comment?: string; json?: boolean }) =>
        (await requestCommands()).decideCommand(ws(), decision, ([] as string[]).concat(ids), o),
      )
  }
  program
    .command('forward')
    .argument('<approval>', 'the approval id')
    .requiredOption('--to <identity>', 'who gets it')
    .requiredOption('--comment <text>', 'why')
    .option('--as <identity>', 'the approver handing it on (default: the administrator)')
    .option('--json', 'print the request status as JSON')
    .description('hand an approval to someone else')
    .action(async (id: string, o: { to: string; comment: string; as?: string; json?: boolean }) =>
      (await requestCommands()).forwardCommand(ws(), id, o),
    )
  // Certification campaigns (docs/certifications.md). As for access requests, the CLI acts as the
  // workspace's administrator; --as names the person acting (the reviewer deciding, signing off).
  const campaign = program
    .command('campaign')
    .description('certification campaigns: who reviews what access, by when')
  campaign
    .command('create')
    .argument('[file]', "a campaign (the API's body) as YAML or JSON; options override its fields")
    .option('--name <name>', 'the campaign name')
    .option('--description <text>', 'what it is for, as reviewers read it')
    .option('--type <type>', 'MANAGER, SOURCE_OWNER, SEARCH or ROLE_COMPOSITION')
    .option('--deadline <date>', 'when reviewers must be done (YYYY-MM-DD or an ISO time)')
    .option('--source <name...>', 'SOURCE_OWNER: the sources whose owners review their access')
    .option(
      '--query <filters>',
      'SEARCH: the identities (ROLE_COMPOSITION: the roles), as a filter (name sw "a")',
    )
    .option('--identity <name...>', 'SEARCH: these identities')
    .option('--role <name...>', 'ROLE_COMPOSITION: these roles (default: every role)')
    .option('--remediator <name>', 'ROLE_COMPOSITION: who the changes to the roles are attributed to')
    .option(
      '--reviewer <name>',
      "SEARCH, ROLE_COMPOSITION: the one reviewer (default: each identity's manager, each role's owner)",
    )
    .option('--owner <name>', "the campaign's owner, who reviews what nobody else may (default: --as)")
    .option('--auto-complete <decision>', 'past the deadline, complete it deciding APPROVE or REVOKE')
    .option('--as <identity>', 'the person creating it')
    .option('--json', 'print the campaign and what was generated as JSON')
    .description('create a campaign and generate its certifications (STAGED until activated)')
    .action(async (file: string | undefined, o: CampaignCreateOptions) =>
      (await campaignCommands()).campaignCreateCommand(ws(), file, o),
    )
  campaign
    .command('activate')
    .argument('<campaign>', 'the campaign id')
    .option('--as <identity>', 'the person activating it')
    .option('--json', 'print the campaign as JSON')
    .description('open a staged campaign to its reviewers, who are told')
    .action(async (id: string, o: { as?: string; json?: boolean }) =>
      (await campaignCommands()).campaignActivateCommand(ws(), id, o),
    )
  campaign
    .command('status')
    .argument('[campaign]', 'a campaign id (none: list campaigns)')
    .option('--status <status>', 'list only campaigns in this status (STAGED, ACTIVE, COMPLETED…)')
    .option('--as <identity>', 'the person asking')
    .option('--json', 'print JSON')
    .description('campaigns; or one with its deadline, progress by reviewer and remediation')
    .action(async (id: string | undefined, o: { status?: string; as?: string; json?: boolean }) =>
      (await campaignCommands()).campaignStatusCommand(ws(), id, o),
    )
  campaign
    .command('complete')
    .argument('<campaign>', 'the campaign id')
    .option('--decision <decision>', 'past due: what undecided items get, APPROVE (default) or REVOKE')
    .option('--as <identity>', 'the person completing it')
    .option('--json', 'print the completion as JSON')
    .description('complete a past-due campaign: undecided items are decided, open certifications signed off')
    .action(async (id: string, o: { decision?: string; as?: string; json?: boolean }) =>
      (await campaignCommands()).campaignCompleteCommand(ws(), id, o),
    )
  campaign
    .command('report')
    .argument('<campaign>', 'the campaign id')
    .option('--csv [part]', 'CSV: decisions (one row per item, the default) or reviewers')
    .option('--out <file>', 'write the report to this file')
    .option('--as <identity>', 'the person asking')
    .option('--json', 'print the report as JSON')
    .description("a campaign's progress by reviewer, every decision and its remediation")
    .action(async (id: string, o: { csv?: string | boolean; out?: string; as?: string; json?: boolean }) =>
      (await campaignCommands()).campaignReportCommand(ws(), id, o),
    )
  program
    .command('certifications')
    .option('--campaign <campaign>', "only this campaign's")
    .option('--reviewer <identity>', "only this reviewer's")
    .option('--open', 'only those not signed off yet')
    .option('--as <identity>', "this person's own (with --reviewer: as this person)")
    .option('--json', 'print them as JSON')
    .description("reviewers' certifications: items decided, signed off")
    .action(
      async (o: { campaign?: string; reviewer?: string; open?: boolean; as?: string; json?: boolean }) =>
        (await reviewCommands()).certificationsCommand(ws(), o),
    )
  program
    .command('review')
    .argument('<certification>', 'the certification id (provisio certifications)')
    .option('--approve <item...>', 'approve these items')
    .option('--revoke <item...>', 'revoke these items (removed at sign-off)')
    .option('--all-approve', 'approve every item still undecided (but those revoked here)')
    .option('--comment <text>', 'a comment with each decision')
    .option('--end-date <date>', 'with --revoke: end the access on this date instead of at sign-off')
    .option('--preview', 'what revoking the named items (or the page) would do; decide nothing')
    .option('--limit <n>', 'items per page (default 250)')
    .option('--offset <n>', 'skip this many items')
    .option('--as <identity>', 'the reviewer deciding')
    .option('--json', 'print JSON')
    .description('the items of a certification, each with why it is held; or decide them')
    .action(async (id: string, o: ReviewOptions) => (await reviewCommands()).reviewCommand(ws(), id, o))
  program
    .command('sign-off')
    .argument('<certification>', 'the certification id')
    .option('--as <identity>', 'the reviewer signing off')
    .option('--no-wait', "queue the revocations for the remediation job (serve's, every minute) instead")
    .option('--json', 'print the certification and remediation as JSON')
    .description('make the decisions final and carry out the revocations')
    .action(async (id: string, o: { as?: string; wait?: boolean; json?: boolean }) =>
      (await reviewCommands()).signOffCommand(ws(), id, o),
    )
  program
    .command('reassign')
    .argument('<certification>', 'the certification id')
    .requiredOption('--to <identity>', 'the new reviewer')
    .requiredOption('--reason <text>', 'why (the new reviewer is told)')
    .option('--item <item...>', 'only these items')
    .option('--identity <identity...>', "only these identities' items")
    .option('--as <identity>', 'the reviewer handing it on')
    .option('--json', 'print the certifications as JSON')
    .description('give a certification, or some of its items, to another reviewer')
    .action(
      async (
        id: string,
        o: { to: string; reason: string; item?: string[]; identity?: string[]; as?: string; json?: boolean },
      ) => (await reviewCommands()).reassignCommand(ws(), id, o),
    )
  const notifications = program
    .command('notifications')
    .option('--identity <identity>', "only this recipient's (id or name)")
    .option('--state <state>', 'only OUTBOX, PENDING, SENT or FAILED ones')
    .option('--filters <expression>', 'the API\'s filter grammar: kind eq "APPROVAL_REQUESTED" …')
    .option('--limit <n>', 'at most this many (default 50)')
    .option('--offset <n>', 'skip this many')
    .option('--json', 'print the notifications as JSON')
    .description('email notifications, newest first: sent, waiting, failed, or kept in the outbox')
    .action(
      async (o: {
        identity?: string
        state?: string
        filters?: string
        limit?: string
        offset?: string
        json?: boolean
      }) => (await notificationCommands()).notificationsCommand(ws(), o),
    )
  notifications
    .command('show')
    .argument('<id>', 'notification id')
    .option('--json', 'print JSON')
    .description('one notification in full: recipient, subject, body, attempts and error')
    .action(async (id: string, o: { json?: boolean }) =>
      (await notificationCommands()).notificationShowCommand(ws(), id, o),
    )
  notifications
    .command('send')
    .option('--json', 'print the counts as JSON')
    .description(
      'send the notifications due now through the configured SMTP server (serve and worker do it on their own)',
    )
    .action(async (o: { json?: boolean }) => (await notificationCommands()).notificationsSendCommand(ws(), o))
  notifications
    .command('retry')
    .argument('[ids...]', 'notification ids (FAILED, or kept in the OUTBOX)')
    .option('--failed', 'every FAILED message')
    .option('--outbox', 'every message kept in the outbox while no SMTP server was configured')
    .option('--json', 'print what was requeued as JSON')
    .description('send messages again once the cause is fixed (needs notifications.smtp)')
    .action(async (ids: string[], o: { failed?: boolean; outbox?: boolean; json?: boolean }) =>
      (await notificationCommands()).notificationsRetryCommand(ws(), ids, o),
    )
  notifications
    .command('kinds')
    .option('--json', 'print JSON')
    .description('the kinds of notification and the fields their templates can use')
    .action(async (o: { json?: boolean }) => (await notificationCommands()).notificationKindsCommand(o))

  const transform = program.command('transform').description('work with transforms')
  transform
    .command('preview')
    .argument('<file>', 'a transform object (JSON or YAML)')
    .option('--context <file>', 'JSON: {"input", "identity", "accounts": {"<source>": {...}}, "manager"}')
    .description('evaluate a transform and print its value as JSON')
    .action(async (file: string, o: { context?: string }) =>
      (await workspaceCommands()).transformPreviewCommand(file, { ...o, workspace: ws() }),
    )

  program
    .command('serve')
    .option('--demo <dir>', 'create the demo workspace in <dir> if needed, and serve it')
    .option('--port <port>', 'API and health port (default: server.port of provisio.yaml)')
    .description('run the configured schedules and the health endpoint until stopped')
    .action(async (o: { demo?: string; port?: string }) => (await serveCommands()).serveCommand(ws(), o))

  return program
}

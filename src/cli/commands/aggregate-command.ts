import { relative } from 'node:path'
import { flatRefreshResult, type AggregateThenProcessResult } from '../../engine/aggregate-then-process.js'
import type { ProcessResult } from '../../engine/process-identities.js'
import { processIdentities } from '../../engine/process-identities.js'
import { refreshSource } from '../../engine/refresh-source.js'
import { EXIT } from '../exit-code.js'
import { withEngine } from '../../app/open-engine.js'
import { printJson } from '../print-table.js'
import { terminalProgress } from '../progress.js'

export async function aggregateCommand(
  workspace: string,
  source: string,
  options: { file?: string; json?: boolean },
): Promise<void> {
  const result = flatRefreshResult(
    await withEngine(
      workspace,
      (engine) => refreshSource(engine, source, options.file ? { file: options.file } : {}),
      terminalProgress(),
    ),
  )
  // Rows that were refused do not stop the run, but a scheduled job must notice them: a distinct exit code.
  const rejected = result.rowErrors.length > 0 || result.accounts.errors > 0
  if (rejected) process.exitCode = EXIT.rowsRejected
  if (options.json) return printJson(result)
  const file = relative(process.cwd(), result.file) || result.file
  for (const e of result.rowErrors) {
    const lines = e.endLine !== undefined && e.endLine !== e.line ? `${e.line}-${e.endLine}` : `${e.line}`
    process.stderr.write(`${file}:${lines}: ${e.message}\n`)
  }
  process.stdout.write(aggregateSummary(result) + '\n')
  if (rejected) {
    const n = Math.max(result.rowErrors.length, result.accounts.errors)
    process.stderr.write(
      `${n} row${n === 1 ? '' : 's'} rejected (exit code ${EXIT.rowsRejected}); the others were aggregated\n`,
    )
  }
}

export function aggregateSummary(r: AggregateThenProcessResult): string {
  const a = r.accounts
  return (
    `aggregated "${r.source}": accounts created ${a.created}, updated ${a.updated}, unchanged ${a.unchanged}, ` +
    `deleted ${a.deleted}, errors ${a.errors}; entitlements new ${r.entitlementsDiscovered}; ` +
    (r.uncorrelated > 0 || r.correlated > 0
      ? `correlated ${r.correlated}, uncorrelated ${r.uncorrelated}; `
      : '') +
    (r.withdrawn > 0 ? `pending creates withdrawn (account found) ${r.withdrawn}; ` : '') +
    (r.verified.finished + r.verified.unverifiable > 0
      ? `manual work confirmed ${r.verified.finished}, not confirmed ${r.verified.unverifiable}; `
      : '') +
    `${identitySummary(r.identities)}; ${seconds(r.durationMs)}`
  )
}

export function identitySummary(p: ProcessResult): string {
  const c = p.identities
  return (
    `identities created ${c.created}, updated ${c.updated}, unchanged ${c.unchanged}, errors ${c.errors}` +
    (p.authoritativeAccountRemoved > 0
      ? `, authoritative account removed ${p.authoritativeAccountRemoved}`
      : '') +
    (p.plan
      ? `; planned ${p.plan.identities} identit${p.plan.identities === 1 ? 'y' : 'ies'}` +
        `${p.plan.full ? ' (everyone)' : ''}, account requests ${p.plan.accountRequests}` +
        (p.plan.summary.errors > 0 ? `, plan errors ${p.plan.summary.errors}` : '')
      : '')
  )
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

export async function processCommand(
  workspace: string,
  options: { full?: boolean; json?: boolean },
): Promise<void> {
  const result = await withEngine(
    workspace,
    (engine) => processIdentities(engine, { full: options.full === true }),
    terminalProgress(),
  )
  if (options.json) return printJson(result)
  process.stdout.write(
    `processed${options.full ? ' (full refresh)' : result.incremental ? ' (changed identities)' : ''}: ` +
      `${identitySummary(result)}; ` +
      `managers changed ${result.managersChanged}; ${seconds(result.durationMs)}\n`,
  )
}

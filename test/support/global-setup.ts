import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Every temporary folder a test run makes (workspaces, slapd servers, connector bundles, the CLI's) goes
 * in one folder, removed when the run ends: thousands of them would otherwise fill a developer's /tmp.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-tests-'))
  process.env['TMPDIR'] = dir
  return () => rmSync(dir, { recursive: true, force: true })
}

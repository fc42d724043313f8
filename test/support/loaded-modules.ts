import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CLI } from './run-cli.js'
import { tempDir } from './temp-workspace.js'

// A module-loading hook (it runs on Node's loader thread) that writes every module URL it resolves to a file.
const HOOK = `import { appendFileSync } from 'node:fs'
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context)
  appendFileSync(process.env.PROVISIO_TEST_MODULE_LOG, resolved.url + '\\n')
  return resolved
}
`

// The same for CommonJS modules (require() does not go through the hook above on this Node version).
const CJS_HOOK = `const Module = require('node:module')
const { appendFileSync } = require('node:fs')
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args)
  appendFileSync(process.env.PROVISIO_TEST_MODULE_LOG, resolved + '\\n')
  return resolved
}
`

/**
 * Runs the built CLI with `args` and returns the packages (node_modules names) it loaded, the modules
 * of those packages (their paths under node_modules) and its exit status: what a command pulls in,
 * without measuring time.
 */
export function packagesLoadedBy(args: readonly string[]): {
  status: number | null
  packages: Set<string>
  packageModules: Set<string>
} {
  const dir = tempDir('provisio-modules-')
  const hook = join(dir, 'hook.mjs')
  const register = join(dir, 'register.mjs')
  const log = join(dir, 'modules.log')
  const cjsHook = join(dir, 'cjs-hook.cjs')
  writeFileSync(hook, HOOK)
  writeFileSync(cjsHook, CJS_HOOK)
  writeFileSync(
    register,
    `import { register } from 'node:module'\nregister(${JSON.stringify(pathToFileURL(hook).href)})\n`,
  )
  writeFileSync(log, '')
  const r = spawnSync(
    process.execPath,
    ['--require', cjsHook, '--import', pathToFileURL(register).href, CLI, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', PROVISIO_TEST_MODULE_LOG: log },
    },
  )
  if (r.status !== 0) throw new Error(`provisio ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  const packages = new Set<string>()
  const packageModules = new Set<string>()
  for (const url of readFileSync(log, 'utf8').split('\n')) {
    const m = /\/node_modules\/(((?:@[^/]+\/)?[^/]+)\/.*)$/.exec(url)
    if (m?.[1] && m[2]) {
      packages.add(m[2])
      packageModules.add(m[1])
    }
  }
  return { status: r.status, packages, packageModules }
}

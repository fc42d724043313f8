import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { tempDir } from './temp-workspace.js'

type Ncc = (
  entry: string,
  options: Record<string, unknown>,
) => Promise<{ code: string; assets?: Record<string, { source: string | Buffer }> }>

const bundles = new Map<string, Promise<string>>()

/**
 * Builds a connector the way SailPoint connectors are shipped (`ncc build`: one index.js embedding its own
 * copy of the SDK, beside connector-spec.json) into a temporary folder, once per test file; returns the
 * folder. Nothing of it is kept in the repository.
 */
export function bundleSdkConnector(fixtureDir: string): Promise<string> {
  let bundle = bundles.get(fixtureDir)
  if (bundle === undefined) {
    bundle = build(fixtureDir)
    bundles.set(fixtureDir, bundle)
  }
  return bundle
}

async function build(fixtureDir: string): Promise<string> {
  const ncc = createRequire(import.meta.url)('@vercel/ncc') as Ncc
  const { code, assets = {} } = await ncc(join(fixtureDir, 'index.js'), { quiet: true, minify: false })
  const out = tempDir('provisio-sdk-bundle-')
  writeFileSync(join(out, 'index.js'), code)
  for (const [name, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(out, name)), { recursive: true })
    writeFileSync(join(out, name), asset.source)
  }
  const spec = join(fixtureDir, 'connector-spec.json')
  if (existsSync(spec)) copyFileSync(spec, join(out, 'connector-spec.json'))
  return out
}

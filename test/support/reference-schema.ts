import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { expect } from 'vitest'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

// A copy of ../shared/reference's document, kept in the repository: a clean clone (CI) has no ../shared.
const DOCUMENT = join(import.meta.dirname, '..', 'fixtures', 'reference', 'sailpoint-api-v3.openapi.json')

let ajv: Ajv | undefined
let document: Record<string, unknown> | undefined
const compiled = new Map<string, ValidateFunction>()

/** OpenAPI 3.0's `nullable: true` in JSON Schema's words: `null` is one more type the value may have. */
function jsonSchemaOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(jsonSchemaOf)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable') out[k] = jsonSchemaOf(v)
  if ((node as Record<string, unknown>)['nullable'] !== true) return out
  if (typeof out['type'] === 'string') return { ...out, type: [out['type'], 'null'] }
  return { anyOf: [out, { type: 'null' }] }
}

function loaded(): { ajv: Ajv; document: Record<string, unknown> } {
  if (ajv === undefined || document === undefined) {
    // OpenAPI 3.0 schemas: `nullable`, `discriminator`, and keywords such as `example` that JSON Schema lacks.
    ajv = new Ajv({ strict: false, allErrors: true, discriminator: true })
    addFormats(ajv)
    document = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as Record<string, unknown>
    const paths = document['paths']
    ajv.addSchema({ ...(jsonSchemaOf(document) as object), paths }, 'v3')
  }
  return { ajv, document }
}

function validatorFor(pointer: string): ValidateFunction {
  const { ajv } = loaded()
  let v = compiled.get(pointer)
  if (v === undefined) {
    v = ajv.compile({ $ref: `v3#${pointer}` })
    compiled.set(pointer, v)
  }
  return v
}

const escape = (s: string): string => s.replaceAll('~', '~0').replaceAll('/', '~1')

/**
 * Checks a response body against the reference's OpenAPI document: the schema of that operation's
 * response (`path` as the document writes it, without `/v3`: `/accounts/{id}`).
 */
export function expectReferenceShape(method: string, path: string, status: number, body: unknown): void {
  const { document } = loaded()
  const operation = (document['paths'] as Record<string, Record<string, unknown>>)[path]?.[
    method.toLowerCase()
  ]
  const response = (operation as { responses?: Record<string, { $ref?: string }> } | undefined)?.responses?.[
    String(status)
  ]
  if (response === undefined) throw new Error(`the reference has no ${status} response for ${method} ${path}`)
  // A shared response (`#/components/responses/404`) is referred to, not repeated.
  const base =
    response.$ref !== undefined
      ? response.$ref.slice(1)
      : `/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`
  const pointer = `${base}/content/application~1json/schema`
  const validate = validatorFor(pointer)
  const ok = validate(body)
  expect(
    ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
  ).toEqual([])
}

/** Checks a body against one of the document's named schemas (`Account`, `Source`…). */
export function expectReferenceSchema(name: string, body: unknown): void {
  const validate = validatorFor(`/components/schemas/${escape(name)}`)
  const ok = validate(body)
  expect(
    ok ? [] : validate.errors?.map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`),
  ).toEqual([])
}

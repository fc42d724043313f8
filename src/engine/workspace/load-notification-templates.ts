import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { parseDocument } from 'yaml'
import { hint } from '../../domain/config/unknown-fields.js'
import type { Located } from '../../domain/config/workspace-config.js'
import type { ConfigProblem } from '../../domain/errors.js'
import {
  isNotificationKind,
  NOTIFICATION_KINDS,
  NOTIFICATION_KIND_NAMES,
} from '../../domain/notifications/notification-kinds.js'
import { checkTemplate, type WorkspaceTemplate } from '../../domain/notifications/notification-template.js'

/** The folder of a workspace's notification templates: one `<KIND>.yaml` file per kind it changes. */
export const TEMPLATES_DIR = 'notification-templates'

const FIELDS = ['subject', 'body', 'html'] as const

/**
 * Reads and checks the workspace's notification templates. Each file is YAML with `subject` and `body`
 * (and optionally `html`), Handlebars text each, checked against its kind's fields: a misspelt variable,
 * an unknown helper or a syntax error is a problem naming the file, the part and its line.
 */
export async function loadNotificationTemplates(
  files: { readonly root: string; readonly overlay: ReadonlyMap<string, string> },
  problems: ConfigProblem[],
): Promise<Located<WorkspaceTemplate>[]> {
  const dir = join(files.root, TEMPLATES_DIR)
  const listed = existsSync(dir) ? await readdir(dir) : []
  const added = [...files.overlay.keys()]
    .filter((f) => f.startsWith(`${TEMPLATES_DIR}/`) && !f.slice(TEMPLATES_DIR.length + 1).includes('/'))
    .map((f) => f.slice(TEMPLATES_DIR.length + 1))
  const names = [...new Set([...listed, ...added])].filter((f) => !f.startsWith('.')).sort()
  const out: Located<WorkspaceTemplate>[] = []
  const seen = new Map<string, string>()
  for (const name of names) {
    const file = join(TEMPLATES_DIR, name)
    const ext = extname(name)
    const kind = name.slice(0, name.length - ext.length)
    if (ext !== '.yaml' && ext !== '.yml') {
      problems.push({
        file,
        path: '',
        message:
          'a notification template is a YAML file <KIND>.yaml with subject: and body: (docs/notifications.md)',
        // A stray README is harmless; a template written in the wrong form must not be mistaken for one in use.
        ...(ext === '.hbs' || isNotificationKind(kind) ? {} : { severity: 'warning' as const }),
      })
      continue
    }
    if (!isNotificationKind(kind)) {
      problems.push({
        file,
        path: '',
        message: `unknown notification kind "${kind}"${hint(kind, NOTIFICATION_KIND_NAMES)}`,
      })
      continue
    }
    const other = seen.get(kind)
    if (other !== undefined) {
      problems.push({ file, path: '', message: `a second template for ${kind}: ${other} is one already` })
      continue
    }
    seen.set(kind, file)
    const text =
      files.overlay.get(`${TEMPLATES_DIR}/${name}`) ?? (await readFile(join(files.root, file), 'utf8'))
    const template = readTemplate(text, file, kind, problems)
    if (template !== undefined) out.push({ file, value: template })
  }
  return out
}

function readTemplate(
  text: string,
  file: string,
  kind: keyof typeof NOTIFICATION_KINDS,
  problems: ConfigProblem[],
): WorkspaceTemplate | undefined {
  const object = `notification template ${kind}`
  const doc = parseDocument(text)
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]
      problems.push({
        file,
        path: line ? `line ${line.line}, column ${line.col}` : '',
        message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
      })
    }
    return undefined
  }
  const value: unknown = doc.toJS()
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({ file, object, path: '', message: 'must be a mapping with subject: and body:' })
    return undefined
  }
  const fields = value as Record<string, unknown>
  const before = problems.length
  for (const key of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push({ file, object, path: key, message: `unknown field${hint(key, FIELDS)}` })
    }
  }
  for (const key of FIELDS) {
    const v = fields[key]
    if (v === undefined && key === 'html') continue
    if (typeof v !== 'string' || v.trim() === '') {
      problems.push({
        file,
        object,
        path: key,
        message: v === undefined ? 'required: Handlebars text' : 'must be non-empty text',
      })
    }
  }
  if (problems.length > before) return undefined
  const template: WorkspaceTemplate = {
    kind,
    subject: fields['subject'] as string,
    body: fields['body'] as string,
    ...(typeof fields['html'] === 'string' ? { html: fields['html'] } : {}),
  }
  for (const p of checkTemplate(template, NOTIFICATION_KINDS[kind].fields)) {
    problems.push({
      file,
      object,
      path: p.line !== undefined ? `${p.part} (line ${p.line})` : p.part,
      message: p.message,
    })
  }
  return problems.length > before ? undefined : template
}

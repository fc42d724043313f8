import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Document, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml'
import { derivedId } from '../../domain/config/config-ids.js'
import { CONFIG_FOLDERS, type ConfigFolderName } from '../../domain/config/config-kinds.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import {
  loadWorkspaceWithWarnings,
  SETTINGS_FILE,
  type LoadedWorkspace,
} from '../workspace/load-workspace.js'

/** What a write did. */
export interface WrittenObject {
  /** The file, relative to the workspace, `/`-separated. */
  readonly file: string
  readonly id: string
  readonly created: boolean
  /** The whole workspace as it loads after the write, with its warnings. */
  readonly workspace: LoadedWorkspace
}

/** Where an object is written in the workspace. */
interface Place {
  readonly file: string
  /** Its index in a file holding a list; undefined for a file holding one object. */
  readonly index: number | undefined
  readonly text: string
}

/**
 * The one way to read and change the configuration of a workspace folder, for the API and the UI: reading
 * validates with exactly the rules of `provisio validate`, and a write is checked with those rules against
 * the workspace as it would be before anything touches the disk. A write replaces one object's text in its
 * file and leaves every other byte of the file alone (other objects' comments and formatting), and lands
 * atomically: a temporary file renamed over the old one.
 */
export class ConfigRepository {
  readonly dir: string

  constructor(dir: string) {
    this.dir = resolve(dir)
  }

  /** The workspace and its warnings; a ConfigError with every problem when it does not validate. */
  read(): Promise<LoadedWorkspace> {
    return loadWorkspaceWithWarnings(this.dir)
  }

  /**
   * Writes one object of a kind (`sources`, `roles`…) as the YAML of its file would say it. It replaces the
   * object with the same id, else the same name; else it is added in a new file named after it. An object
   * given without an id keeps the one it had (a new object gets a new one), so objects written here always
   * carry their id. Throws a ConfigError, and writes nothing, when the workspace would not validate.
   */
  async write(
    folderName: ConfigFolderName,
    object: Readonly<Record<string, unknown>>,
  ): Promise<WrittenObject> {
    const folder = CONFIG_FOLDERS[folderName]
    if (folder === undefined) throw new InputError(`no kind of configuration object named "${folderName}"`)
    const name = typeof object['name'] === 'string' ? object['name'] : undefined
    const givenId = typeof object['id'] === 'string' ? object['id'] : undefined
    if (name === undefined && givenId === undefined) throw new InputError(`a ${folder.kind} needs a name`)
    const found = await this.find(folder.dir, folder.kind, givenId, name)
    const id = givenId ?? found?.id ?? randomUUID().replaceAll('-', '')
    const value = plain({ ...object, id }) as Record<string, unknown>
    const place = found?.place ?? (await this.newPlace(folder.dir, name ?? id))
    const text = place.text === '' ? new Document(value).toString() : replaceObject(place, value)
    // Checked with exactly validate's rules, the changed file read from memory: an invalid change writes nothing.
    const workspace = await loadWorkspaceWithWarnings(this.dir, { overlay: new Map([[place.file, text]]) })
    await this.replaceFile(place, text)
    return { file: place.file, id, created: found === undefined, workspace }
  }

  /**
   * Changes `provisio.yaml` through its YAML document (so its comments stay): `change` edits the document,
   * the result is validated with validate's rules, then written atomically. A ConfigError writes nothing.
   */
  async updateSettings(change: (doc: Document) => void): Promise<LoadedWorkspace> {
    const file = SETTINGS_FILE
    const text = await readFile(join(this.dir, file), 'utf8')
    const doc = parseDocument(text)
    if (doc.errors.length > 0) return this.read()
    change(doc)
    const next = doc.toString()
    const workspace = await loadWorkspaceWithWarnings(this.dir, { overlay: new Map([[file, next]]) })
    await this.replaceFile({ file, index: undefined, text }, next)
    return workspace
  }

  /** The object of this kind with the id (its own or derived), else with the name. */
  private async find(
    dir: string,
    kind: string,
    id: string | undefined,
    name: string | undefined,
  ): Promise<{ id: string; place: Place } | undefined> {
    let byName: { id: string; place: Place } | undefined
    for (const f of await this.filesOf(dir)) {
      const file = `${dir}/${f}`
      const text = await readFile(join(this.dir, file), 'utf8')
      const doc = parseDocument(text)
      // A file that does not parse is left to validation; its objects cannot be matched.
      if (doc.errors.length > 0) continue
      const value: unknown = doc.toJS()
      const list = Array.isArray(value) ? value : [value]
      for (const [i, v] of list.entries()) {
        if (v === null || typeof v !== 'object') continue
        const o = v as Record<string, unknown>
        const ownName = typeof o['name'] === 'string' ? o['name'] : undefined
        const ownId =
          typeof o['id'] === 'string' ? o['id'] : ownName !== undefined ? derivedId(kind, ownName) : undefined
        if (ownId === undefined) continue
        const place = { file, index: Array.isArray(value) ? i : undefined, text }
        if (id !== undefined && ownId === id) return { id: ownId, place }
        if (byName === undefined && name !== undefined && ownName === name) byName = { id: ownId, place }
      }
    }
    // Given an id nobody has, the object is new, even if another with its name exists (validation says so).
    return id === undefined ? byName : undefined
  }

  private async filesOf(dir: string): Promise<string[]> {
    const path = join(this.dir, dir)
    if (!existsSync(path)) return []
    return (await readdir(path)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
  }

  /** A new file for a new object, named after it: `sources/corporate-directory.yaml`. */
  private async newPlace(dir: string, name: string): Promise<Place> {
    const base =
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'object'
    const taken = new Set(await this.filesOf(dir))
    let file = `${base}.yaml`
    for (let n = 2; taken.has(file); n++) file = `${base}-${n}.yaml`
    return { file: `${dir}/${file}`, index: undefined, text: '' }
  }

  /**
   * Temporary file, then rename: a reader sees the old file or the new one, never half of one. The file is
   * read again first, so a change made meanwhile (by hand, by another writer) is refused, not overwritten.
   */
  private async replaceFile(place: Place, text: string): Promise<void> {
    const path = join(this.dir, place.file)
    const now = existsSync(path) ? await readFile(path, 'utf8') : ''
    if (now !== place.text) {
      throw new ConflictError(
        `${place.file} changed while it was being written; nothing was written, try again`,
      )
    }
    await mkdir(join(path, '..'), { recursive: true })
    const temp = join(
      path,
      '..',
      `.${place.file.split('/').pop() ?? 'object'}.${process.pid}.${randomUUID()}.tmp`,
    )
    try {
      await writeFile(temp, text)
      await rename(temp, path)
    } catch (err) {
      await rm(temp, { force: true })
      throw err
    }
  }
}

/** A value as JSON has it: no undefined fields, so they are not written as empty keys. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown
}

/**
 * The file's text with one object replaced: only that object's range of the text is rewritten, from its
 * node patched in place (so its own comments and untouched fields keep their form where the YAML library
 * can keep them); everything before and after it stays byte for byte.
 */
function replaceObject(place: Place, value: Record<string, unknown>): string {
  const doc = parseDocument(place.text)
  const contents = doc.contents
  const node =
    place.index === undefined ? contents : isSeq(contents) ? contents.items[place.index] : undefined
  if (!node || !isNode(node) || !node.range) {
    throw new Error(`${place.file}: object #${place.index ?? 0} not found`)
  }
  const [start, end] = node.range
  const patched = patch(doc, node, value)
  const column = start - (place.text.lastIndexOf('\n', start - 1) + 1)
  const old = place.text.slice(start, end)
  return place.text.slice(0, start) + render(patched, column, old.endsWith('\n')) + place.text.slice(end)
}

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && 'range' in v
}

/** The node, changed where the value differs from it; a node of another shape is replaced by a new one. */
function patch(doc: Document, node: unknown, value: unknown): Node {
  if (isMap(node) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key
      if (typeof key !== 'string' || !Object.hasOwn(v, key)) node.delete(pair.key)
      else pair.value = patch(doc, pair.value, v[key])
    }
    for (const [k, x] of Object.entries(v)) if (!node.has(k)) node.add(doc.createPair(k, x))
    return node
  }
  if (isSeq(node) && Array.isArray(value)) {
    node.items = value.map((x, i) =>
      i < node.items.length ? patch(doc, node.items[i], x) : doc.createNode(x),
    )
    return node
  }
  // A scalar keeps its style and comment when only its value changes within the same type.
  if (isScalar(node) && (value === null || typeof value !== 'object') && typeof node.value === typeof value) {
    if (node.value !== value) node.value = value
    return node
  }
  return doc.createNode(value)
}

/** A node's YAML, indented to the column its text starts at (a list item's), without what precedes it. */
function render(node: Node, column: number, newline: boolean): string {
  const before = { commentBefore: node.commentBefore, spaceBefore: node.spaceBefore }
  // The comment above a node lies outside its range, where it stays.
  node.commentBefore = null
  node.spaceBefore = false
  const text = new Document(node).toString().replace(/\n$/, '')
  node.commentBefore = before.commentBefore
  node.spaceBefore = before.spaceBefore
  const indent = ' '.repeat(column)
  const lines = text.split('\n').map((l, i) => (i === 0 || l === '' ? l : indent + l))
  return lines.join('\n') + (newline ? '\n' : '')
}

import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Document, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml'
import { derivedId } from '../../domain/config/config-ids.js'
import { CONFIG_FOLDERS, type ConfigFolderName } from '../../domain/config/config-kinds.js'
import { ConfigError, ConflictError, InputError, NotFoundError } from '../../domain/errors.js'
import {
  loadWorkspaceWithWarnings,
  SETTINGS_FILE,
  type FileOverlay,
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

/** What a removal did. */
export interface RemovedObject {
  /** The file the object was in, relative to the workspace, `/`-separated. */
  readonly file: string
  readonly id: string
  /** Whether the file went with it (it held nothing else). */
  readonly fileRemoved: boolean
  /** The whole workspace as it loads after the removal, with its warnings. */
  readonly workspace: LoadedWorkspace
}

/** One change to the configuration: an object written (created or replaced), or removed by its id. */
export type ConfigChange =
  | {
      readonly action: 'write'
      readonly folder: ConfigFolderName
      readonly object: Readonly<Record<string, unknown>>
    }
  | { readonly action: 'remove'; readonly folder: ConfigFolderName; readonly id: string }

/** An object as its file says it (no defaults filled in, an id only if the file writes one). */
export interface RawObject {
  readonly file: string
  /** Its id: its own, else the derived one. */
  readonly id: string
  readonly value: Readonly<Record<string, unknown>>
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
 * validates with exactly the rules of `provisio validate`, and a change is checked with those rules against
 * the workspace as it would be before anything touches the disk. A write replaces one object's text in its
 * file and leaves every other byte of the file alone (other objects' comments and formatting), and lands
 * atomically: a temporary file renamed over the old one. A removal cuts the object's text out of its file
 * the same way, or removes the file when it held nothing else.
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

  /** The object of a kind with this id as its file says it; undefined when there is none. */
  async raw(folderName: ConfigFolderName, id: string): Promise<RawObject | undefined> {
    const folder = folderOf(folderName)
    const found = await new Draft(this.dir).find(folder.dir, folder.kind, id, undefined)
    if (!found) return undefined
    const doc = parseDocument(found.place.text).toJS() as unknown
    const value = found.place.index === undefined ? doc : (doc as unknown[])[found.place.index]
    return { file: found.place.file, id: found.id, value: value as Record<string, unknown> }
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
    const draft = new Draft(this.dir)
    const put = await draft.put(folderName, object)
    const workspace = await loadWorkspaceWithWarnings(this.dir, { overlay: draft.overlay() })
    await draft.commit()
    return { ...put, workspace }
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
    const draft = new Draft(this.dir)
    draft.replace({ file, index: undefined, text }, doc.toString())
    const workspace = await loadWorkspaceWithWarnings(this.dir, { overlay: draft.overlay() })
    await draft.commit()
    return workspace
  }

  /**
   * Sets one top-level section of `provisio.yaml` (`accessRequestConfig:`) to this value, or removes it
   * (undefined). Only the section's own text is rewritten: a section already there is patched in place
   * (comments of what stays keep their place), a new one is appended; every other byte of the file stays.
   * Validated with validate's rules, then written atomically; a ConfigError writes nothing.
   */
  async setSettingsSection(
    key: string,
    value: Readonly<Record<string, unknown>> | undefined,
  ): Promise<LoadedWorkspace> {
    const file = SETTINGS_FILE
    const text = await readFile(join(this.dir, file), 'utf8')
    const doc = parseDocument(text)
    if (doc.errors.length > 0) return this.read()
    const draft = new Draft(this.dir)
    draft.replace(
      { file, index: undefined, text },
      withSection(text, doc, key, value === undefined ? undefined : plain(value)),
    )
    const workspace = await loadWorkspaceWithWarnings(this.dir, { overlay: draft.overlay() })
    await draft.commit()
    return workspace
  }

  /**
   * Removes the object of a kind with this id (its own or derived): NotFoundError when there is none. Checked
   * first with validate's rules: an object others still refer to (a source a role names) is not removed, and
   * the ConfigError names every object that refers to it, by file and field.
   */
  async remove(folderName: ConfigFolderName, id: string): Promise<RemovedObject> {
    const draft = new Draft(this.dir)
    const removed = await draft.delete(folderName, id)
    const workspace = await loadWorkspaceWithWarnings(this.dir, { overlay: draft.overlay() }).catch(
      (err: unknown) => {
        if (!(err instanceof ConfigError)) throw err
        throw new ConfigError(
          err.problems,
          err.warnings,
          `cannot remove ${folderOf(folderName).kind} ${removed.label}: the configuration would not validate without it`,
        )
      },
    )
    await draft.commit()
    return { file: removed.file, id: removed.id, fileRemoved: removed.fileRemoved, workspace }
  }

  /**
   * The workspace as it would load after these changes, in order, checked with validate's rules (a
   * ConfigError when it would not validate), with nothing written: what a preview plans against.
   */
  async preview(changes: readonly ConfigChange[]): Promise<LoadedWorkspace> {
    const draft = new Draft(this.dir)
    for (const change of changes) {
      if (change.action === 'write') await draft.put(change.folder, change.object)
      else await draft.delete(change.folder, change.id)
    }
    return loadWorkspaceWithWarnings(this.dir, { overlay: draft.overlay() })
  }
}

function folderOf(folderName: ConfigFolderName): (typeof CONFIG_FOLDERS)[ConfigFolderName] {
  const folder = Object.hasOwn(CONFIG_FOLDERS, folderName) ? CONFIG_FOLDERS[folderName] : undefined
  if (folder === undefined) throw new InputError(`no kind of configuration object named "${folderName}"`)
  return folder
}

/**
 * Changes to the workspace's files held in memory: the files as they would be (a removed file as null),
 * read through by later changes, handed to validation as an overlay, and written only by `commit`.
 */
class Draft {
  /** Changed files: their new text, or null when removed. */
  private readonly changed = new Map<string, string | null>()
  /** The text each changed file had on disk when it was first read ('' when it did not exist). */
  private readonly original = new Map<string, string>()

  constructor(private readonly dir: string) {}

  /** Writes one object into the draft (see ConfigRepository.write). */
  async put(
    folderName: ConfigFolderName,
    object: Readonly<Record<string, unknown>>,
  ): Promise<{ file: string; id: string; created: boolean }> {
    const folder = folderOf(folderName)
    const name = typeof object['name'] === 'string' ? object['name'] : undefined
    const givenId = typeof object['id'] === 'string' ? object['id'] : undefined
    if (name === undefined && givenId === undefined) throw new InputError(`a ${folder.kind} needs a name`)
    const found = await this.find(folder.dir, folder.kind, givenId, name)
    const id = givenId ?? found?.id ?? randomUUID().replaceAll('-', '')
    const value = plain({ ...object, id }) as Record<string, unknown>
    const place = found?.place ?? (await this.newPlace(folder.dir, name ?? id))
    const text = place.text === '' ? new Document(value).toString() : replaceObject(place, value)
    this.set(place, text)
    return { file: place.file, id, created: found === undefined }
  }

  /** Removes one object, by its id, from the draft (see ConfigRepository.remove). */
  async delete(
    folderName: ConfigFolderName,
    id: string,
  ): Promise<{ file: string; id: string; label: string; fileRemoved: boolean }> {
    const folder = folderOf(folderName)
    const found = await this.find(folder.dir, folder.kind, id, undefined)
    if (!found) throw new NotFoundError(`no ${folder.kind} with id "${id}"`)
    const text = found.place.index === undefined ? null : removeItem(found.place)
    this.set(found.place, text)
    const label = found.name !== undefined ? `"${found.name}"` : `with id "${found.id}"`
    return { file: found.place.file, id: found.id, label, fileRemoved: text === null }
  }

  /** The files as they would be, for validation: a removed file reads as an empty one (no objects). */
  overlay(): FileOverlay {
    return new Map([...this.changed].map(([file, text]) => [file, text ?? '']))
  }

  /**
   * Writes the changed files, each atomically: a temporary file renamed over the old one (a reader sees the
   * old file or the new one, never half of one), or the file removed. Each is read again first, so a change
   * made meanwhile (by hand, by another writer) is refused, not overwritten.
   */
  async commit(): Promise<void> {
    for (const [file, original] of this.original) {
      const path = join(this.dir, file)
      const now = existsSync(path) ? await readFile(path, 'utf8') : ''
      if (now !== original) {
        throw new ConflictError(`${file} changed while it was being written; nothing was written, try again`)
      }
    }
    for (const [file, text] of this.changed) {
      const path = join(this.dir, file)
      if (text === null) {
        await rm(path, { force: true })
        continue
      }
      await mkdir(join(path, '..'), { recursive: true })
      const temp = join(
        path,
        '..',
        `.${file.split('/').pop() ?? 'object'}.${process.pid}.${randomUUID()}.tmp`,
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

  /** The object of this kind with the id (its own or derived), else with the name. */
  async find(
    dir: string,
    kind: string,
    id: string | undefined,
    name: string | undefined,
  ): Promise<{ id: string; name: string | undefined; place: Place } | undefined> {
    let byName: { id: string; name: string | undefined; place: Place } | undefined
    for (const f of await this.filesOf(dir)) {
      const file = `${dir}/${f}`
      const text = await this.text(file)
      if (text === undefined) continue
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
        if (id !== undefined && ownId === id) return { id: ownId, name: ownName, place }
        if (byName === undefined && name !== undefined && ownName === name) {
          byName = { id: ownId, name: ownName, place }
        }
      }
    }
    // Given an id nobody has, the object is new, even if another with its name exists (validation says so).
    return id === undefined ? byName : undefined
  }

  /** A file's text as the draft has it; undefined when it does not exist (or was removed). */
  private async text(file: string): Promise<string | undefined> {
    if (this.changed.has(file)) return this.changed.get(file) ?? undefined
    const path = join(this.dir, file)
    return existsSync(path) ? readFile(path, 'utf8') : undefined
  }

  private async filesOf(dir: string): Promise<string[]> {
    const path = join(this.dir, dir)
    const onDisk = existsSync(path) ? await readdir(path) : []
    const names = new Set(onDisk)
    for (const [file, text] of this.changed) {
      if (!file.startsWith(`${dir}/`)) continue
      const name = file.slice(dir.length + 1)
      if (text === null) names.delete(name)
      else names.add(name)
    }
    return [...names].filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
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

  /** A file's whole new text (or null: removed), given the text it was read with. */
  replace(place: Place, text: string | null): void {
    this.set(place, text)
  }

  private set(place: Place, text: string | null): void {
    if (!this.original.has(place.file)) this.original.set(place.file, place.text)
    this.changed.set(place.file, text)
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
  const patched = patchYamlNode(doc, node, value)
  const column = start - (place.text.lastIndexOf('\n', start - 1) + 1)
  const old = place.text.slice(start, end)
  return place.text.slice(0, start) + render(patched, column, old.endsWith('\n')) + place.text.slice(end)
}

/** A settings file's text with one top-level section set (a value) or removed (undefined). See setSettingsSection. */
function withSection(text: string, doc: Document, key: string, value: unknown): string {
  const root = doc.contents
  const pair = isMap(root)
    ? root.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key)
    : undefined
  if (!isMap(root)) {
    // An empty file, or one that is not a map (validation says so): written through the document.
    if (value === undefined) doc.delete(key)
    else doc.set(key, value)
    return doc.toString()
  }
  if (!pair) {
    if (value === undefined) return text
    return text + (text === '' || text.endsWith('\n') ? '' : '\n') + new Document({ [key]: value }).toString()
  }
  const keyNode = pair.key
  const node = pair.value
  if (!isNode(keyNode) || !keyNode.range) throw new Error(`${SETTINGS_FILE}: ${key} has no place in the text`)
  if (value === undefined) {
    // The key's lines through the end of its value; a comment above the section goes with it.
    let start = text.lastIndexOf('\n', keyNode.range[0] - 1) + 1
    const comment = /(?:^|\n)((?:[ \t]*#[^\n]*\n)+)$/.exec(text.slice(0, start))
    if (comment?.[1] !== undefined && root.items[0] !== pair) start -= comment[1].length
    const last = isNode(node) && node.range ? node.range[1] : keyNode.range[1]
    const newline = text.indexOf('\n', Math.max(last - 1, 0))
    return text.slice(0, start) + (newline === -1 ? '' : text.slice(newline + 1))
  }
  if (isMap(node) && !node.flow && node.range) {
    const [start, end] = node.range
    const patched = patchYamlNode(doc, node, value)
    const column = start - (text.lastIndexOf('\n', start - 1) + 1)
    return (
      text.slice(0, start) + render(patched, column, text.slice(start, end).endsWith('\n')) + text.slice(end)
    )
  }
  // A section written another way (`{…}` on one line, or empty): through the document.
  doc.set(key, value)
  return doc.toString()
}

function isNode(v: unknown): v is Node {
  return v !== null && typeof v === 'object' && 'range' in v
}

/**
 * The node, changed where the value differs from it; a node of another shape is replaced by a new one. A
 * map or list is changed in place, so the comments of what stays keep their place.
 */
export function patchYamlNode(doc: Document, node: unknown, value: unknown): Node {
  if (isMap(node) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>
    for (const pair of [...node.items]) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key
      if (typeof key !== 'string' || !Object.hasOwn(v, key)) node.delete(pair.key)
      else pair.value = patchYamlNode(doc, pair.value, v[key])
    }
    for (const [k, x] of Object.entries(v)) if (!node.has(k)) node.add(doc.createPair(k, x))
    return node
  }
  if (isSeq(node) && Array.isArray(value)) {
    node.items = value.map((x, i) =>
      i < node.items.length ? patchYamlNode(doc, node.items[i], x) : doc.createNode(x),
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

/**
 * The text of a file holding a list, without one of its items: the item's own lines are cut out, and every
 * other byte stays, comments around it included. Null when the list would be empty (the file goes). A list
 * written in flow style (`[ {...}, {...} ]`) is written again without the item.
 */
function removeItem(place: Place): string | null {
  const doc = parseDocument(place.text)
  const list = doc.contents
  if (!isSeq(list) || place.index === undefined) throw new Error(`${place.file}: not a list`)
  if (list.items.length <= 1) return null
  const node = list.items[place.index]
  if (!isNode(node) || !node.range) throw new Error(`${place.file}: object #${place.index} not found`)
  const lineStart = place.text.lastIndexOf('\n', node.range[0] - 1) + 1
  if (list.flow || !/^\s*-\s*$/.test(place.text.slice(lineStart, node.range[0]))) {
    list.items.splice(place.index, 1)
    return doc.toString()
  }
  let end = node.range[2]
  if (end > 0 && place.text[end - 1] !== '\n') {
    const newline = place.text.indexOf('\n', end)
    end = newline === -1 ? place.text.length : newline + 1
  }
  return place.text.slice(0, lineStart) + place.text.slice(end)
}

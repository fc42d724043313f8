import { describe, expect, it } from 'vitest'
import { GroupCommit } from './group-commit.js'

/** A key's writes, and a gate that holds the first write in flight until released. */
function recorder(fail: (values: readonly string[]) => boolean = () => false) {
  const writes: { key: string; values: string[] }[] = []
  let release: () => void = () => undefined
  const gate = new Promise<void>((r) => (release = r))
  const commit = new GroupCommit<string>(async (key, values) => {
    writes.push({ key, values: [...values] })
    if (writes.length === 1) await gate
    if (fail(values)) throw new Error(`refused ${values.join(',')}`)
  }, 3)
  return { writes, commit, release }
}

describe('GroupCommit', () => {
  it('writes alone when idle, and together what arrives while a write to the same key is in flight', async () => {
    const { writes, commit, release } = recorder()
    const done = ['a', 'b', 'c', 'd', 'e', 'f'].map((v) => commit.submit('g1', v))
    const other = commit.submit('g2', 'x')
    release()
    await Promise.all([...done, other])
    expect(writes).toEqual([
      { key: 'g1', values: ['a'] },
      { key: 'g2', values: ['x'] },
      { key: 'g1', values: ['b', 'c', 'd'] },
      { key: 'g1', values: ['e', 'f'] },
    ])
  })

  it('a failed batch is retried value by value: only the bad value fails, to its own caller', async () => {
    const { commit, release } = recorder((values) => values.includes('bad'))
    const first = commit.submit('g', 'a')
    const results = ['b', 'bad', 'c'].map((v) =>
      commit.submit('g', v).then(
        () => 'ok',
        (err: Error) => err.message,
      ),
    )
    release()
    await first
    expect(await Promise.all(results)).toEqual(['ok', 'refused bad', 'ok'])
  })

  it('a key is free again after a failure', async () => {
    const { commit, release } = recorder((values) => values.includes('bad'))
    release()
    await expect(commit.submit('g', 'bad')).rejects.toThrow('refused bad')
    await expect(commit.submit('g', 'fine')).resolves.toBeUndefined()
  })
})

/**
 * Group commit for changes that pile up on one entry: while a change to a key (a group's DN) is in
 * flight, later changes to the same key wait and then go together in one operation. An idle key costs
 * nothing extra; a busy one — every new account joining the same group — turns N modifies of an entry
 * that grows with each into a few. A batch that fails is retried one value at a time, so one bad value
 * fails only its own caller.
 */
export class GroupCommit<T> {
  readonly #pending = new Map<string, Waiting<T>[]>()
  readonly #busy = new Set<string>()
  readonly #apply: (key: string, values: readonly T[]) => Promise<void>
  readonly #maxBatch: number

  /** `apply` writes several values to one key in one operation; at most `maxBatch` values go together. */
  constructor(apply: (key: string, values: readonly T[]) => Promise<void>, maxBatch = 500) {
    this.#apply = apply
    this.#maxBatch = maxBatch
  }

  /** Resolves when `value` is written to `key` (alone or with others). */
  submit(key: string, value: T): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.#pending.get(key) ?? []
      queue.push({ value, resolve, reject })
      this.#pending.set(key, queue)
      if (!this.#busy.has(key)) void this.#drain(key)
    })
  }

  async #drain(key: string): Promise<void> {
    this.#busy.add(key)
    try {
      for (;;) {
        const queue = this.#pending.get(key)
        if (!queue || queue.length === 0) break
        const batch = queue.splice(0, this.#maxBatch)
        if (queue.length === 0) this.#pending.delete(key)
        await this.#write(key, batch)
      }
    } finally {
      this.#busy.delete(key)
    }
  }

  async #write(key: string, batch: readonly Waiting<T>[]): Promise<void> {
    try {
      await this.#apply(
        key,
        batch.map((w) => w.value),
      )
      for (const w of batch) w.resolve()
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err)
        return
      }
      // Which value failed is not known: each goes alone, and only its own caller sees its failure.
      for (const w of batch) {
        try {
          await this.#apply(key, [w.value])
          w.resolve()
        } catch (e) {
          w.reject(e)
        }
      }
    }
  }
}

interface Waiting<T> {
  readonly value: T
  readonly resolve: () => void
  readonly reject: (err: unknown) => void
}

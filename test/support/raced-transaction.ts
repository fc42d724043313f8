import type { EngineContext } from '../../src/engine/engine-context.js'

/**
 * `ctx` whose first transaction runs `race` just before it begins: what a request from another process
 * does between a use case's reads and its writes. `raced()` says whether it ran.
 */
export function racedBeforeTransaction(
  ctx: EngineContext,
  race: () => Promise<unknown>,
): { ctx: EngineContext; raced: () => boolean } {
  let raced = false
  const db = new Proxy(ctx.db, {
    get(target, key) {
      if (key !== 'transaction' || raced) {
        const value: unknown = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      }
      return async <T>(fn: (tx: EngineContext['db']) => Promise<T>): Promise<T> => {
        raced = true
        await race()
        return target.transaction(fn)
      }
    },
  })
  return { ctx: { ...ctx, db }, raced: () => raced }
}

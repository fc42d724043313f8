import type { Progress } from '../engine/engine-context.js'

/** A one-line progress display on stderr, only when it is a terminal (logs and pipes stay clean). */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress | undefined {
  if (!stream.isTTY) return undefined
  let last = 0
  return (phase, done, total) => {
    const now = Date.now()
    if (done < total && now - last < 100) return
    last = now
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100
    stream.write(
      `\r\x1b[K${phase}: ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} (${pct}%)`,
    )
    if (done >= total) stream.write('\r\x1b[K')
  }
}

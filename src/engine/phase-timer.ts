/** Records how long each phase of a run took (milliseconds), for summaries and benchmarks. */
export function phaseTimer(): { lap(phase: string): void; readonly phases: Record<string, number> } {
  const phases: Record<string, number> = {}
  let last = performance.now()
  return {
    phases,
    lap(phase) {
      const now = performance.now()
      phases[phase] = Math.round((phases[phase] ?? 0) + now - last)
      last = now
    },
  }
}

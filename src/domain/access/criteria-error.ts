import { InputError } from '../errors.js'

/**
 * Criteria that cannot be compiled. Every problem is kept (as `path: message`), not only the first, so a
 * workspace validation can show them all; it is an InputError, so the CLI's one error map already knows it.
 */
export class CriteriaError extends InputError {
  readonly problems: readonly string[]
  constructor(what: string, problems: readonly string[]) {
    super(`invalid ${what}:\n${problems.map((p) => '  ' + p).join('\n')}`)
    this.problems = problems
  }
}

import { ProvisioError } from '../errors.js'

/**
 * Too many failed sign-ins for an account or from an address: no password is checked until
 * `retryAfterSeconds` have passed. The API answers it with 429 and Retry-After.
 */
export class SignInLockedError extends ProvisioError {
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number) {
    super(message)
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** Object ids in the reference product's shape: 32 lowercase hex characters. */
export function newId(): string {
  return globalThis.crypto.randomUUID().replaceAll('-', '')
}

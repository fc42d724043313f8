/** "Create account on source 'Badge System'", "Modify account 'B1002' on source 'Badge System'". */
export function describeTask(
  a: { operation: string; nativeIdentity: string | null },
  sourceName: string,
): string {
  const account =
    a.operation === 'Create' || a.nativeIdentity === null ? 'account' : `account '${a.nativeIdentity}'`
  return `${a.operation} ${account} on source '${sourceName}'`
}

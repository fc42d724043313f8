import type { Connector, ConnectorAccount } from '../../connectors/connector.js'
import { classifyError } from '../../domain/execution/classify-error.js'

/**
 * The account as the system has it now, or undefined when it has none. Read before an in-doubt activity
 * (an earlier worker died while executing it, so it may have reached the system) is applied again.
 */
export async function readBack(
  connector: Connector,
  nativeIdentity: string,
  retryable: readonly string[],
): Promise<ConnectorAccount | undefined> {
  try {
    return await connector.readAccount(nativeIdentity)
  } catch (err) {
    if (classifyError(err, retryable).kind === 'NOT_FOUND') return undefined
    throw err
  }
}

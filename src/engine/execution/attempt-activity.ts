import type { AttributeChange } from '../../connectors/connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { unappliedItems } from '../../domain/execution/account-activity.js'
import type { ClaimedActivity } from '../../store/activity-claims.js'
import { accountGone, finishedWith, type AttemptResult } from './attempt-result.js'
import { createAttributes } from './create-attributes.js'
import { readBack } from './read-back.js'
import { settleFailure } from './settle-failure.js'
import type { SourceScope } from './source-scope.js'

/** One attempt at a claimed activity through the source's connector; never throws, a failure is an outcome. */
export async function attemptActivity(scope: SourceScope, a: ClaimedActivity): Promise<AttemptResult> {
  try {
    return await dispatch(scope, a)
  } catch (err) {
    return settleFailure(scope, a, err)
  }
}

async function dispatch(scope: SourceScope, a: ClaimedActivity): Promise<AttemptResult> {
  const c = scope.connector
  const id = a.nativeIdentity
  // In doubt: an earlier worker died while executing it, so it may have reached the system. Read back
  // first, and apply only what the account does not show yet: nothing is done twice.
  const current = a.inDoubt && id !== null ? await readBack(c, id, scope.retryable) : undefined
  switch (a.operation) {
    case 'Create': {
      if (current) {
        return finishedWith(scope, a, current)
      }
      const attributes = await createAttributes(scope, a)
      return finishedWith(scope, a, await c.createAccount(id, attributes))
    }
    case 'Modify': {
      const target = required(id)
      const items = current ? unappliedItems(current, a.items) : a.items
      if (current && items.length === 0) {
        return finishedWith(scope, a, { ...current, nativeIdentity: target })
      }
      const changes: AttributeChange[] = items.map((i) => ({
        op: i.operation,
        attribute: i.attribute,
        value: i.value,
      }))
      const updated = await c.updateAccount(target, changes)
      return finishedWith(scope, a, { ...updated, nativeIdentity: target })
    }
    case 'Enable':
    case 'Disable': {
      const target = required(id)
      const wantDisabled = a.operation === 'Disable'
      if (current && (current.disabled ?? false) === wantDisabled) {
        return finishedWith(scope, a, { ...current, nativeIdentity: target, disabled: wantDisabled })
      }
      const after = wantDisabled ? await c.disableAccount(target) : await c.enableAccount(target)
      return finishedWith(scope, a, {
        ...after,
        nativeIdentity: target,
        disabled: after.disabled ?? wantDisabled,
      })
    }
    case 'Delete': {
      const target = required(id)
      if (a.inDoubt && current === undefined) return accountGone(scope, a, target, 'FINISHED')
      await c.deleteAccount(target)
      return accountGone(scope, a, target, 'FINISHED')
    }
  }
}

function required(nativeIdentity: string | null): string {
  if (nativeIdentity === null) throw new ConnectorError('TERMINAL', 'the request names no account')
  return nativeIdentity
}

import { z } from 'zod'
import { entitlementAttributesOf, findSource } from '../../../domain/config/workspace-config.js'
import type { Account } from '../../../domain/model.js'
import { listAccounts } from '../../../engine/queries/list-accounts.js'
import { getAccount } from '../../../engine/queries/get-account.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, engineQuery, sendCollection } from '../../http/collection-query.js'
import { accountV3Json } from '../../presenters/account-v3-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** The v3 presenter with the account's source's entitlement attributes (for `hasEntitlements`). */
export function presentAccount(ctx: ApiContext): (a: Account) => object {
  const attributes = new Map<string, string[]>()
  return (a) => {
    let names = attributes.get(a.sourceId)
    if (names === undefined) {
      const source = findSource(ctx.engine.config, a.sourceId) ?? findSource(ctx.engine.config, a.sourceName)
      names = source ? entitlementAttributesOf(source) : []
      attributes.set(a.sourceId, names)
    }
    return accountV3Json(a, names)
  }
}

/** `/v3/accounts`: list (filters, sorters, paging) and get. */
export function accountRoutes(api: Api, ctx: ApiContext): void {
  api.get('/v3/accounts', { schema: { querystring: collectionQuery } }, async (request, reply) => {
    const result = await listAccounts(ctx.engine, engineQuery(request.query))
    return sendCollection(reply, result, presentAccount(ctx))
  })

  api.get('/v3/accounts/:id', { schema: { params: idParams } }, async (request) =>
    presentAccount(ctx)(await getAccount(ctx.engine, request.params.id)),
  )
}

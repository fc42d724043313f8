import {
  compileProvisioningCriteria,
  type CompiledProvisioningCriteria,
  type ProvisioningAccount,
  type ProvisioningCriteria,
} from './provisioning-criteria.js'

/**
 * Which account gets an access profile's entitlements. `ambiguous` is not an error: the caller turns it
 * into an explicit account-selection item (a work item, or a choice at request time), never a guess.
 */
export type AccountSelection<A> =
  { readonly account: A } | { readonly ambiguous: readonly A[] } | { readonly none: true }

/**
 * The reference's "Multiple Account Options" rule, for the accounts an identity has on the profile's
 * source:
 * - no account: `none` (the caller creates one);
 * - one account: it, whatever the criteria say — the criteria only choose between several accounts;
 * - several: the one account the criteria match; `none` when they match none; `ambiguous` (with the
 *   accounts still in the running) when they match several, or when there are no criteria.
 */
export function selectAccount<A extends ProvisioningAccount>(
  criteria: ProvisioningCriteria | CompiledProvisioningCriteria | undefined,
  accounts: readonly A[],
): AccountSelection<A> {
  const [first] = accounts
  if (first === undefined) return { none: true }
  if (accounts.length === 1) return { account: first }
  if (criteria === undefined) return { ambiguous: accounts }
  const compiled = 'matches' in criteria ? criteria : compileProvisioningCriteria(criteria)
  const matching = accounts.filter((a) => compiled.matches(a))
  const [only] = matching
  if (only === undefined) return { none: true }
  return matching.length === 1 ? { account: only } : { ambiguous: matching }
}

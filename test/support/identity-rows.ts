import type { IdentityWrite } from '../../src/store/identity-processing.js'

/** An identity row as processing writes it, for tests that seed identities directly; `fields` override. */
export function identityRow(id: string, name: string, fields: Partial<IdentityWrite> = {}): IdentityWrite {
  const attributes = fields.attributes ?? {}
  return {
    id,
    name,
    identityProfile: 'Employees',
    attributes,
    attributesJson: JSON.stringify(attributes),
    lifecycleState: null,
    managerId: null,
    processingError: null,
    inputsHash: 'x',
    stateHash: 'x',
    managerKey: null,
    matchKey: null,
    ...fields,
  }
}

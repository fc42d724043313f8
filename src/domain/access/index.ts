export { CriteriaError } from './criteria-error.js'
export {
  ROLE_CRITERIA_KEY_TYPES,
  ROLE_CRITERIA_LEAF_OPERATIONS,
  normaliseProperty,
  validateRoleCriteria,
  type CriteriaGroupOperation,
  type RoleCriteria,
  type RoleCriteriaKey,
  type RoleCriteriaKeyType,
  type RoleCriteriaLeafOperation,
  type RoleCriteriaLevel1,
  type RoleCriteriaLevel2,
  type RoleCriteriaLevel3,
  type RoleCriteriaOperation,
} from './role-criteria.js'
export {
  compileRoleCriteria,
  type CompiledCriteria,
  type CriteriaAccount,
  type CriteriaEntitlement,
  type CriteriaResult,
  type CriteriaSubject,
  type ExplainedAccount,
  type ExplainedGroup,
  type ExplainedKey,
  type ExplainedLeaf,
  type ExplainedNode,
} from './compile-role-criteria.js'
export { compileCriteriaBatch, type CriteriaBatch, type CriteriaBatchOptions } from './criteria-batch.js'
export { describeCriteria, formatExplanation, type DescribeOptions } from './describe-criteria.js'
export {
  PROVISIONING_LEAF_OPERATIONS,
  compileProvisioningCriteria,
  validateProvisioningCriteria,
  type CompiledProvisioningCriteria,
  type ProvisioningAccount,
  type ProvisioningCriteria,
  type ProvisioningCriteriaLevel1,
  type ProvisioningCriteriaLevel2,
  type ProvisioningCriteriaLevel3,
  type ProvisioningCriteriaOperation,
  type ProvisioningLeafOperation,
} from './provisioning-criteria.js'
export { selectAccount, type AccountSelection } from './select-account.js'

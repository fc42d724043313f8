import { describe, expect, it } from 'vitest'
import {
  ACCESS_REQUEST_CONFIG_DEFAULTS,
  parseGrantRequestApprovalSchemes,
  tenantAccessRequestConfigSchema,
} from './access-request-config-schema.js'

describe('the tenant access request configuration', () => {
  it('reads grantRequestApprovalSchemes into steps, in order', () => {
    expect(
      parseGrantRequestApprovalSchemes('entitlementOwner, sourceOwner,manager , workgroup:2c91'),
    ).toEqual({
      steps: [
        { type: 'entitlementOwner' },
        { type: 'sourceOwner' },
        { type: 'manager' },
        { type: 'workgroup', id: '2c91' },
      ],
      problems: [],
    })
    expect(parseGrantRequestApprovalSchemes('')).toEqual({ steps: [], problems: [] })
    expect(parseGrantRequestApprovalSchemes('manager,').problems).toEqual([
      'part 2 is empty: write the schemes separated by commas, e.g. "manager, sourceOwner"',
    ])
    expect(parseGrantRequestApprovalSchemes('owner').problems[0]).toContain(
      '"owner" is not an approval scheme',
    )
  })

  it('fills every default, and reads null as the default scheme', () => {
    expect(tenantAccessRequestConfigSchema.parse({})).toEqual(ACCESS_REQUEST_CONFIG_DEFAULTS)
    const nulls = tenantAccessRequestConfigSchema.parse({
      entitlementRequestConfig: { grantRequestApprovalSchemes: null },
      approvalReminderAndEscalationConfig: { fallbackApproverRef: { id: 'x' } },
    })
    expect(nulls.entitlementRequestConfig.grantRequestApprovalSchemes).toBe('sourceOwner')
    expect(nulls.approvalReminderAndEscalationConfig.fallbackApproverRef).toEqual({
      type: 'IDENTITY',
      id: 'x',
    })
    // An empty string is no approval at all, as the reference says.
    expect(
      tenantAccessRequestConfigSchema.parse({ entitlementRequestConfig: { grantRequestApprovalSchemes: '' } })
        .entitlementRequestConfig.grantRequestApprovalSchemes,
    ).toBe('')
  })
})

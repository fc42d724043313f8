import { optional, required, type FieldSpecs } from './notification-fields.js'
import type { KindDefinition } from './notification-kinds.js'

/** What every message about a requested item can name. */
const REQUEST_FIELDS: FieldSpecs = {
  requestId: required('text', 'the access request id'),
  item: required('item', 'what was requested: {type, id, name, typeName}'),
  requestedFor: required('identity', 'who the access is for'),
  requestedBy: required('identity', 'who asked for it'),
  requestType: {
    type: 'text',
    required: false,
    default: 'GRANT_ACCESS',
    about: 'GRANT_ACCESS (the default) or REVOKE_ACCESS',
  },
  comment: optional('text', "the requester's comment"),
  startDate: optional('date', 'when the access starts (sunrise)'),
  removeDate: optional('date', 'when the access ends (sunset)'),
  link: optional('text', 'where to act on it or follow it: a URL, or a path made absolute against baseUrl'),
}

const APPROVAL_FIELDS: FieldSpecs = {
  ...REQUEST_FIELDS,
  approvalId: required('text', 'the approval work item id'),
}

// Pieces the default templates share (a workspace template is one whole text: no partials).
const WHAT = `{{#if (eq requestType "REVOKE_ACCESS")}}removal of{{else}}access to{{/if}} the {{item.typeName}} "{{item.name}}"`
const FOR_WHOM = `{{requestedFor.displayName}} ({{requestedFor.name}})`
const DETAILS = `{{#if comment}}

Comment from {{requestedBy.displayName}}: {{comment}}
{{/if}}
{{#if startDate}}
Starts: {{startDate}}
{{/if}}
{{#if removeDate}}
Ends: {{removeDate}}
{{/if}}`
const LINK = `{{#if link}}

{{link}}
{{/if}}`
const FOOTER = `
--
Access request {{requestId}} · {{tenant}} (Provisio)
`

/** The messages of an access request's life (docs/notifications.md, "Kinds"). */
export const ACCESS_REQUEST_KINDS = {
  APPROVAL_REQUESTED: {
    about: 'to an approver, when an approval step of a requested item reaches them',
    fields: APPROVAL_FIELDS,
    subject: 'Approval needed: {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

{{requestedBy.displayName}} requests ${WHAT} for ${FOR_WHOM}. Please approve or reject it.
${DETAILS}${LINK}
${FOOTER}`,
  },
  APPROVAL_REMINDER: {
    about: 'to an approver who has not decided yet, on the days the reminders are configured for',
    fields: {
      ...APPROVAL_FIELDS,
      pendingSince: optional('date', 'when the approval reached the approver'),
      reminder: optional('number', 'which reminder this is: 1 for the first'),
    },
    subject: 'Reminder: approval needed for {{item.name}} ({{requestedFor.displayName}})',
    body: `Hello {{recipient.displayName}},

A request waits for your decision{{#if pendingSince}} since {{pendingSince}}{{/if}}: {{requestedBy.displayName}} requests ${WHAT} for ${FOR_WHOM}.
${DETAILS}${LINK}
${FOOTER}`,
  },
  APPROVAL_ESCALATED: {
    about: 'to the fallback approver, when an approval was not decided in time and passes to them',
    fields: {
      ...APPROVAL_FIELDS,
      previousApprover: optional('identity', 'the approver who did not decide in time'),
    },
    subject: 'Escalated to you: approval of {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

An approval was not decided in time{{#if previousApprover}} by {{previousApprover.displayName}}{{/if}} and now waits for you: {{requestedBy.displayName}} requests ${WHAT} for ${FOR_WHOM}.
${DETAILS}${LINK}
${FOOTER}`,
  },
  REQUEST_APPROVED: {
    about: 'to the requester and the person it is for, when every approval step of an item approved it',
    fields: {
      ...REQUEST_FIELDS,
      approver: optional('identity', 'who approved the last step'),
      approverComment: optional('text', "the approver's comment"),
    },
    subject: 'Approved: {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

The request for ${WHAT} for ${FOR_WHOM} was approved{{#if approver}} by {{approver.displayName}}{{/if}}. It is being provisioned now{{#if startDate}}, or on its start date{{/if}}.
{{#if approverComment}}

Comment: {{approverComment}}
{{/if}}${LINK}
${FOOTER}`,
  },
  REQUEST_REJECTED: {
    about: 'to the requester and the person it is for, when an approver rejected an item',
    fields: {
      ...REQUEST_FIELDS,
      approver: optional('identity', 'who rejected it'),
      approverComment: optional('text', "the approver's comment: why"),
    },
    subject: 'Rejected: {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

The request for ${WHAT} for ${FOR_WHOM} was rejected{{#if approver}} by {{approver.displayName}}{{/if}}. Nothing was changed.
{{#if approverComment}}

Comment: {{approverComment}}
{{/if}}${LINK}
${FOOTER}`,
  },
  REQUEST_COMPLETED: {
    about: "to the requester and the person it is for, when an item's provisioning finished",
    fields: REQUEST_FIELDS,
    subject: 'Done: {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

The request for ${WHAT} for ${FOR_WHOM} is complete: {{#if (eq requestType "REVOKE_ACCESS")}}the access was removed{{else}}the access is granted{{/if}}.
{{#if removeDate}}
It ends on {{removeDate}}.
{{/if}}${LINK}
${FOOTER}`,
  },
  REQUEST_FAILED: {
    about: "to the requester and the person it is for, when an item's provisioning failed for good",
    fields: {
      ...REQUEST_FIELDS,
      status: optional('text', 'PROVISIONING_FAILED or NOT_ALL_ITEMS_PROVISIONED'),
      error: optional('text', "the connected system's message"),
    },
    subject: 'Failed: {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

The request for ${WHAT} for ${FOR_WHOM} was approved, but provisioning it failed{{#if status}} ({{status}}){{/if}}.
{{#if error}}

The system said: {{error}}
{{/if}}

An administrator can retry it once the cause is fixed.
${LINK}
${FOOTER}`,
  },
  REQUEST_CANCELLED: {
    about: 'to the requester, the person it is for and pending approvers, when an item was cancelled',
    fields: {
      ...REQUEST_FIELDS,
      cancelledBy: optional('identity', 'who cancelled it'),
      reason: optional('text', 'why, when they said'),
    },
    subject: 'Cancelled: {{item.name}} for {{requestedFor.displayName}}',
    body: `Hello {{recipient.displayName}},

The request for ${WHAT} for ${FOR_WHOM} was cancelled{{#if cancelledBy}} by {{cancelledBy.displayName}}{{/if}}. No decision is needed any more and nothing was changed.
{{#if reason}}

Reason: {{reason}}
{{/if}}${LINK}
${FOOTER}`,
  },
} as const satisfies Record<string, KindDefinition>

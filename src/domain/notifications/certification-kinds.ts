import { optional, required, type FieldSpecs } from './notification-fields.js'
import type { KindDefinition } from './notification-kinds.js'

/** What every message about a certification can name. */
const CERTIFICATION_FIELDS: FieldSpecs = {
  campaignId: required('text', 'the campaign id'),
  campaignName: required('text', 'the campaign name'),
  certificationId: optional('text', "the reviewer's certification id"),
  description: optional('text', "the campaign's description"),
  dueDate: optional('date', 'when the decisions are due'),
  link: optional('text', 'where to review: a URL, or a path made absolute against baseUrl'),
}

const FOOTER = `
--
Campaign {{campaignId}} · {{tenant}} (Provisio)
`
const LINK = `{{#if link}}

{{link}}
{{/if}}`

/** The messages of a certification campaign (adding a kind is one entry here: its fields and template). */
export const CERTIFICATION_KINDS = {
  CERTIFICATION_ACTIVATED: {
    about: 'to a reviewer, when a campaign with access for them to review starts',
    fields: {
      ...CERTIFICATION_FIELDS,
      itemCount: optional('number', 'how many access items they review'),
    },
    subject: 'Access review: {{campaignName}}',
    body: `Hello {{recipient.displayName}},

The access review "{{campaignName}}" has started and you are a reviewer{{#if itemCount}}: {{itemCount}} access items wait for your decision{{/if}}. For each, keep it or revoke it{{#if dueDate}} by {{dueDate}}{{/if}}.
{{#if description}}

{{description}}
{{/if}}${LINK}
${FOOTER}`,
  },
  CERTIFICATION_REMINDER: {
    about: 'to a reviewer who has decisions left, on the days reminders are configured for',
    fields: {
      ...CERTIFICATION_FIELDS,
      itemsLeft: optional('number', 'how many items still wait for a decision'),
    },
    subject: 'Reminder: access review {{campaignName}}',
    body: `Hello {{recipient.displayName}},

Your access review "{{campaignName}}" is not finished{{#if itemsLeft}}: {{itemsLeft}} items still wait for your decision{{/if}}.{{#if dueDate}} It is due {{dueDate}}.{{/if}}
${LINK}
${FOOTER}`,
  },
  CERTIFICATION_DEADLINE_CHANGED: {
    about: "to a reviewer who has decisions left, when an active campaign's deadline was set or moved",
    fields: {
      ...CERTIFICATION_FIELDS,
      previousDueDate: optional('date', 'the deadline before (absent: there was none)'),
      itemsLeft: optional('number', 'how many items still wait for a decision'),
    },
    subject: 'New deadline: access review {{campaignName}}',
    body: `Hello {{recipient.displayName}},

The access review "{{campaignName}}" is now due {{dueDate}}{{#if previousDueDate}} instead of {{previousDueDate}}{{/if}}.{{#if itemsLeft}} {{itemsLeft}} items still wait for your decision.{{/if}}
${LINK}
${FOOTER}`,
  },
  CERTIFICATION_ESCALATED: {
    about: "to the escalation reviewer (or the reviewer's manager), when a review was not finished in time",
    fields: {
      ...CERTIFICATION_FIELDS,
      reviewer: optional('identity', 'the reviewer who did not finish in time'),
    },
    subject: 'Escalated to you: access review {{campaignName}}',
    body: `Hello {{recipient.displayName}},

The access review "{{campaignName}}" was not finished in time{{#if reviewer}} by {{reviewer.displayName}}{{/if}}{{#if dueDate}} (due {{dueDate}}){{/if}}, and now waits for you.
${LINK}
${FOOTER}`,
  },
  CERTIFICATION_REASSIGNED: {
    about: 'to the new reviewer, when a certification (or part of it) was reassigned to them',
    fields: {
      ...CERTIFICATION_FIELDS,
      previousReviewer: optional('identity', 'who reviewed it before'),
      reason: optional('text', 'why it was reassigned'),
      itemCount: optional('number', 'how many access items were reassigned'),
    },
    subject: 'Reassigned to you: access review {{campaignName}}',
    body: `Hello {{recipient.displayName}},

{{#if itemCount}}{{itemCount}} access items of {{/if}}the access review "{{campaignName}}" were reassigned to you{{#if previousReviewer}} from {{previousReviewer.displayName}}{{/if}}{{#if reason}}: {{reason}}{{/if}}.{{#if dueDate}} Decisions are due {{dueDate}}.{{/if}}
${LINK}
${FOOTER}`,
  },
} as const satisfies Record<string, KindDefinition>

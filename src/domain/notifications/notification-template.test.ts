import { describe, expect, it } from 'vitest'
import { readableDate, templateData, type IdentityView } from './notification-data.js'
import type { FieldSpecs } from './notification-fields.js'
import { NOTIFICATION_KIND_NAMES, NOTIFICATION_KINDS } from './notification-kinds.js'
import { checkTemplate, renderTemplate } from './notification-template.js'

const ADA: IdentityView = { id: 'a', name: 'ada', displayName: 'Ada Lovelace', email: 'ada@example.com' }
const identities = new Map([['a', ADA]])

/** Every field of a kind given a value (`all`), or only the required ones. */
function sample(fields: FieldSpecs, all: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, f] of Object.entries(fields)) {
    if (!all && !f.required) continue
    out[name] =
      f.type === 'identity'
        ? 'a'
        : f.type === 'item'
          ? { type: 'ACCESS_PROFILE', name: 'Badge' }
          : f.type === 'number'
            ? 2
            : f.type === 'date'
              ? '2027-01-31'
              : `the ${name}`
  }
  return out
}

function render(kind: (typeof NOTIFICATION_KIND_NAMES)[number], all: boolean) {
  const { fields } = NOTIFICATION_KINDS[kind]
  const data = templateData(kind, fields, sample(fields, all), identities)
  return renderTemplate(NOTIFICATION_KINDS[kind], {
    ...data,
    recipient: ADA,
    baseUrl: null,
    tenant: 'acme',
    kind,
  })
}

describe('the default templates', () => {
  it.each(NOTIFICATION_KIND_NAMES)(
    '%s passes the check and renders with every field, or only the required',
    (kind) => {
      const def = NOTIFICATION_KINDS[kind]
      expect(checkTemplate(def, def.fields)).toEqual([])
      for (const all of [true, false]) {
        const { subject, body, html } = render(kind, all)
        expect(subject).not.toMatch(/\n|^\s|\s$/)
        expect(body).toMatch(/^Hello Ada Lovelace,\n\n/)
        expect(body).not.toMatch(/\n\n\n|null|undefined|\{\{/)
        expect(html).toBeNull()
      }
    },
  )

  it('says which way a revocation goes', () => {
    const { fields } = NOTIFICATION_KINDS.APPROVAL_REQUESTED
    const data = templateData(
      'APPROVAL_REQUESTED',
      fields,
      { ...sample(fields, false), requestType: 'REVOKE_ACCESS' },
      identities,
    )
    const { body } = renderTemplate(NOTIFICATION_KINDS.APPROVAL_REQUESTED, {
      ...data,
      recipient: ADA,
      baseUrl: null,
      tenant: 't',
      kind: 'x',
    })
    expect(body).toContain('requests removal of the access profile "Badge"')
  })
})

describe('checkTemplate', () => {
  const fields = NOTIFICATION_KINDS.REQUEST_REJECTED.fields
  const check = (subject: string, body = 'x') =>
    checkTemplate({ subject, body }, fields).map((p) => p.message)

  it.each([
    ['{{requestedFor.nmae}}', '"requestedFor.nmae": requestedFor has no field "nmae" (did you mean "name"?)'],
    ['{{aprover.name}}', 'unknown variable "aprover" in {{aprover.name}} (did you mean "approver"?)'],
    ['{{item.name.first}}', '"item.name.first": item.name is a value, it has no field "first"'],
    ['{{@index}}', '@index is only known inside {{#each}}'],
    ['{{../tenant}}', '"../tenant" goes above the template\'s data'],
    ['{{> footer}}', 'partials ({{> name}}) are not supported: a template is one whole text'],
    ['{{#each item}}{{this}}{{/each}}{{upper tenant}}', 'unknown helper "upper": the helpers are eq, lookup'],
    [
      '{{#iff comment}}x{{/iff}}',
      'unknown block {{#iff}}: use {{#if}}, {{#unless}}, {{#with}} or {{#each}} (did you mean "if"?)',
    ],
    ['{{#if (eq requestTyp "X")}}x{{/if}}', 'unknown variable "requestTyp" (did you mean "requestType"?)'],
  ])('%s: %s', (subject, message) => {
    expect(check(subject)).toEqual([message])
  })

  it('accepts what the fields hold, `this`, `../` and @root inside blocks', () => {
    expect(
      check(
        '{{#with approver}}{{displayName}} {{../tenant}} {{@root.item.name}}{{/with}}{{#unless comment}}-{{/unless}}' +
          '{{#each item as |v k|}}{{k}}={{v}} {{@key}}{{/each}}{{lookup item "name"}}',
      ),
    ).toEqual([])
  })

  it('names the line of a syntax error', () => {
    expect(checkTemplate({ subject: 'x', body: 'a\nb {{#if comment}}\n' }, fields)).toEqual([
      { part: 'body', line: 3, message: expect.stringContaining('Parse error') },
    ])
  })
})

describe('renderTemplate', () => {
  it('leaves text alone in the subject and body, escapes the HTML body, keeps the subject on one line', () => {
    const rendered = renderTemplate(
      { subject: '{{a}}\n  and {{b}}', body: '{{a}}\n\n\n\n{{b}}   \n', html: '<p>{{a}}</p>' },
      { a: 'Tom & <Jerry>', b: 'x' },
    )
    expect(rendered).toEqual({
      subject: 'Tom & <Jerry> and x',
      body: 'Tom & <Jerry>\n\nx\n',
      html: '<p>Tom &amp; &lt;Jerry&gt;</p>',
    })
  })

  it('is strict: reaching into a missing value throws', () => {
    expect(() => renderTemplate({ subject: '{{approver.name}}', body: 'x' }, { approver: null })).toThrow(
      '"name" not defined in null',
    )
  })
})

describe('templateData', () => {
  it('fills absent optional fields with null (or their default) and shows dates as a person reads them', () => {
    const { fields } = NOTIFICATION_KINDS.REQUEST_COMPLETED
    const data = templateData(
      'REQUEST_COMPLETED',
      fields,
      {
        requestId: 'r',
        item: { type: 'ROLE', name: 'Eng' },
        requestedFor: 'a',
        requestedBy: { name: 'hr-bot' },
        removeDate: new Date('2027-01-31T00:00:00Z'),
      },
      identities,
    )
    expect(data).toEqual({
      requestId: 'r',
      item: { type: 'ROLE', id: null, name: 'Eng', typeName: 'role' },
      requestedFor: ADA,
      requestedBy: { id: null, name: 'hr-bot', displayName: 'hr-bot', email: null },
      requestType: 'GRANT_ACCESS',
      comment: null,
      startDate: null,
      removeDate: '2027-01-31',
      link: null,
    })
    expect(readableDate(new Date('2027-01-31T14:05:09Z'))).toBe('2027-01-31 14:05 UTC')
  })

  it('shows an identity id it cannot find by the id', () => {
    const { fields } = NOTIFICATION_KINDS.REQUEST_COMPLETED
    const data = templateData(
      'REQUEST_COMPLETED',
      fields,
      { ...sample(fields, false), requestedFor: 'gone' },
      identities,
    )
    expect(data['requestedFor']).toEqual({ id: 'gone', name: 'gone', displayName: 'gone', email: null })
  })
})

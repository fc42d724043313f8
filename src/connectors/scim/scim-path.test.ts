import { describe, expect, it } from 'vitest'
import { parseScimPath, readScimPath, selectorPathOf, writeScimPath, type ScimResource } from './scim-path.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

describe('parseScimPath', () => {
  it.each([
    ['userName', { attribute: 'userName' }],
    ['name.givenName', { attribute: 'name', subAttribute: 'givenName' }],
    [
      'emails[type eq "work"].value',
      { attribute: 'emails', filter: { attribute: 'type', value: 'work' }, subAttribute: 'value' },
    ],
    [
      'phoneNumbers[primary eq true].value',
      { attribute: 'phoneNumbers', filter: { attribute: 'primary', value: true }, subAttribute: 'value' },
    ],
    [`${ENTERPRISE}:employeeNumber`, { schema: ENTERPRISE, attribute: 'employeeNumber' }],
    [`${ENTERPRISE}:manager.value`, { schema: ENTERPRISE, attribute: 'manager', subAttribute: 'value' }],
  ])('%s', (text, expected) => {
    expect(parseScimPath(text)).toEqual({ text, ...expected })
  })

  it.each(['', 'emails[type eq "work"]', 'emails[type co "w"].value', 'a.b.c', 'name..x', '1st'])(
    'refuses %j',
    (text) => {
      expect(() => parseScimPath(text)).toThrow(/SCIM attribute path|sub-attribute/)
    },
  )
})

describe('reading and writing a path', () => {
  const user: ScimResource = {
    userName: 'jdoe',
    name: { givenName: 'John' },
    emails: [
      { type: 'Work', value: 'jdoe@example.com' },
      { type: 'home', value: 'john@home.example' },
    ],
    [ENTERPRISE]: { employeeNumber: '42' },
  }

  it.each([
    ['userName', 'jdoe'],
    ['USERNAME', 'jdoe'],
    ['name.givenName', 'John'],
    ['name.familyName', undefined],
    ['emails[type eq "work"].value', 'jdoe@example.com'],
    ['emails[type eq "other"].value', undefined],
    ['emails.value', ['jdoe@example.com', 'john@home.example']],
    [`${ENTERPRISE}:employeeNumber`, '42'],
  ])('reads %s', (text, expected) => {
    expect(readScimPath(user, parseScimPath(text))).toEqual(expected)
  })

  it('writes into a new resource what it reads back', () => {
    const built: ScimResource = {}
    const paths = ['userName', 'name.givenName', 'emails[type eq "work"].value', `${ENTERPRISE}:department`]
    for (const text of paths) writeScimPath(built, parseScimPath(text), `v:${text}`)
    expect(built).toEqual({
      userName: 'v:userName',
      name: { givenName: 'v:name.givenName' },
      emails: [{ type: 'work', value: 'v:emails[type eq "work"].value' }],
      [ENTERPRISE]: { department: `v:${ENTERPRISE}:department` },
    })
    for (const text of paths) expect(readScimPath(built, parseScimPath(text))).toBe(`v:${text}`)
  })

  it('names the whole selected value for a remove', () => {
    expect(selectorPathOf(parseScimPath('emails[type eq "work"].value'))).toBe('emails[type eq "work"]')
    expect(selectorPathOf(parseScimPath('name.givenName'))).toBe('name.givenName')
  })
})

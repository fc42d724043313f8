import { describe, expect, it } from 'vitest'
import { CriteriaError } from './criteria-error.js'
import {
  compileProvisioningCriteria,
  validateProvisioningCriteria,
  type ProvisioningAccount,
  type ProvisioningCriteria,
} from './provisioning-criteria.js'

const eq = { operation: 'EQUALS', attribute: 'type', value: 'admin' }

describe('validateProvisioningCriteria', () => {
  it.each<[string, unknown, string[]]>([
    ['a leaf', eq, []],
    ['HAS needs no value', { operation: 'HAS', attribute: 'mail' }, []],
    [
      'AND under AND is allowed here',
      { operation: 'AND', children: [{ operation: 'AND', children: [eq] }] },
      [],
    ],
    ['null fields are absent', { operation: 'OR', attribute: null, value: null, children: [eq] }, []],
    ['not an object', [], ['criteria: must be an object with an "operation"']],
    ['missing operation', { attribute: 'x' }, ['operation: required']],
    ['unknown operation', { operation: 'STARTS_WITH' }, ['operation: unknown operation "STARTS_WITH"']],
    ['missing attribute', { operation: 'EQUALS', value: 'x' }, ['attribute: required for EQUALS']],
    ['blank attribute on HAS', { operation: 'HAS', attribute: ' ' }, ['attribute: required for HAS']],
    ['missing value on EQUALS', { operation: 'EQUALS', attribute: 'a' }, ['value: required for EQUALS']],
    [
      'missing value on NOT_EQUALS',
      { operation: 'NOT_EQUALS', attribute: 'a' },
      ['value: required for NOT_EQUALS'],
    ],
    [
      'empty value on CONTAINS',
      { operation: 'CONTAINS', attribute: 'a', value: '' },
      ['value: must be a non-empty string'],
    ],
    ['value on HAS', { operation: 'HAS', attribute: 'a', value: 'x' }, ['value: not allowed on HAS']],
    ['children on a leaf', { ...eq, children: [eq] }, ['children: not allowed on EQUALS (a leaf)']],
    ['AND without children', { operation: 'AND' }, ['children: required for AND (at least one child)']],
    [
      'OR with empty children',
      { operation: 'OR', children: [] },
      ['children: required for OR (at least one child)'],
    ],
    [
      'attribute and value on a group',
      { operation: 'AND', attribute: 'a', value: 'b', children: [eq] },
      ['attribute: not allowed on AND nodes', 'value: not allowed on AND nodes'],
    ],
    [
      'more than 3 levels',
      { operation: 'OR', children: [{ operation: 'AND', children: [{ operation: 'OR', children: [eq] }] }] },
      ['children[0].children[0].children: too deep: at most 3 levels of criteria, including leaf nodes'],
    ],
    [
      'paths name the child',
      { operation: 'OR', children: [eq, { operation: 'CONTAINS', attribute: 'x' }] },
      ['children[1].value: required for CONTAINS'],
    ],
  ])('%s', (_name, criteria, expected) => {
    expect(validateProvisioningCriteria(criteria)).toEqual(expected)
  })
})

describe('compileProvisioningCriteria: matches', () => {
  const account: ProvisioningAccount = {
    nativeIdentity: 'CN=jdoe-adm,OU=Admins',
    attributes: {
      type: 'Admin',
      description: 'Privileged account for J Doe',
      groups: ['Domain Admins', 'Users'],
      uidNumber: 1001,
      enabled: true,
      blank: '  ',
      nothing: null,
      noGroups: [],
    },
  }
  it.each<[string, ProvisioningCriteria, boolean]>([
    ['EQUALS ignores case', { operation: 'EQUALS', attribute: 'type', value: 'admin' }, true],
    ['EQUALS other value', { operation: 'EQUALS', attribute: 'type', value: 'user' }, false],
    ['EQUALS attribute name ignoring case', { operation: 'EQUALS', attribute: 'TYPE', value: 'ADMIN' }, true],
    ['EQUALS multi-valued: some value', { operation: 'EQUALS', attribute: 'groups', value: 'users' }, true],
    ['EQUALS number converted', { operation: 'EQUALS', attribute: 'uidNumber', value: '1001.0' }, true],
    ['EQUALS boolean converted', { operation: 'EQUALS', attribute: 'enabled', value: 'TRUE' }, true],
    ['EQUALS missing attribute', { operation: 'EQUALS', attribute: 'nosuch', value: 'x' }, false],
    ['NOT_EQUALS other value', { operation: 'NOT_EQUALS', attribute: 'type', value: 'user' }, true],
    ['NOT_EQUALS same value', { operation: 'NOT_EQUALS', attribute: 'type', value: 'ADMIN' }, false],
    [
      'NOT_EQUALS multi-valued: one equals → false',
      { operation: 'NOT_EQUALS', attribute: 'groups', value: 'Users' },
      false,
    ],
    ['NOT_EQUALS missing → true', { operation: 'NOT_EQUALS', attribute: 'nothing', value: 'x' }, true],
    [
      'CONTAINS string: substring',
      { operation: 'CONTAINS', attribute: 'description', value: 'privileged' },
      true,
    ],
    [
      'CONTAINS multi-valued: an element equals',
      { operation: 'CONTAINS', attribute: 'groups', value: 'domain admins' },
      true,
    ],
    [
      'CONTAINS multi-valued: substring of an element is not enough',
      { operation: 'CONTAINS', attribute: 'groups', value: 'Domain' },
      false,
    ],
    ['CONTAINS number: equality', { operation: 'CONTAINS', attribute: 'uidNumber', value: '1001' }, true],
    [
      'CONTAINS number: not a substring test',
      { operation: 'CONTAINS', attribute: 'uidNumber', value: '10' },
      false,
    ],
    ['CONTAINS missing', { operation: 'CONTAINS', attribute: 'nosuch', value: 'x' }, false],
    ['HAS present', { operation: 'HAS', attribute: 'description' }, true],
    ['HAS number', { operation: 'HAS', attribute: 'uidNumber' }, true],
    ['HAS blank string', { operation: 'HAS', attribute: 'blank' }, false],
    ['HAS null', { operation: 'HAS', attribute: 'nothing' }, false],
    ['HAS empty list', { operation: 'HAS', attribute: 'noGroups' }, false],
    ['HAS missing', { operation: 'HAS', attribute: 'nosuch' }, false],
    [
      'nativeIdentity when no such attribute',
      { operation: 'CONTAINS', attribute: 'nativeIdentity', value: 'ou=admins' },
      true,
    ],
    [
      'AND',
      {
        operation: 'AND',
        children: [
          { operation: 'EQUALS', attribute: 'type', value: 'admin' },
          { operation: 'HAS', attribute: 'nosuch' },
        ],
      },
      false,
    ],
    [
      'OR of AND',
      {
        operation: 'OR',
        children: [
          { operation: 'HAS', attribute: 'nosuch' },
          {
            operation: 'AND',
            children: [
              { operation: 'EQUALS', attribute: 'type', value: 'admin' },
              { operation: 'CONTAINS', attribute: 'groups', value: 'Users' },
            ],
          },
        ],
      },
      true,
    ],
  ])('%s', (_name, criteria, expected) => {
    expect(compileProvisioningCriteria(criteria).matches(account)).toBe(expected)
  })

  it('throws a CriteriaError listing every problem', () => {
    const bad = { operation: 'OR', children: [{ operation: 'EQUALS' }] } as unknown as ProvisioningCriteria
    expect(() => compileProvisioningCriteria(bad)).toThrow(CriteriaError)
    expect(() => compileProvisioningCriteria(bad)).toThrow(
      'invalid provisioning criteria:\n  children[0].attribute: required for EQUALS\n  children[0].value: required for EQUALS',
    )
  })
})

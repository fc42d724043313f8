import { describe, expect, it } from 'vitest'
import { bindParameters, compileNamedStatement } from './compile-named-statement.js'

const ALL = ['id', 'value', 'attributes.*']

describe('compileNamedStatement', () => {
  it('numbers named parameters in order of first use, the same name keeping its number', () => {
    const s = compileNamedStatement(
      'UPDATE t SET mail = :attributes.mail, note = :value WHERE uid = :id OR alias = :id',
      ALL,
    )
    expect(s.text).toBe('UPDATE t SET mail = $1, note = $2 WHERE uid = $3 OR alias = $3')
    expect(s.parameters).toEqual(['attributes.mail', 'value', 'id'])
    expect(s.keyword).toBe('update')
    const values: Record<string, unknown> = { 'attributes.mail': 'a@b', id: 'x' }
    // An unbound name (here :value) is NULL.
    expect(bindParameters(s, (name) => values[name])).toEqual(['a@b', null, 'x'])
  })

  it('leaves casts, strings, quoted names, dollar quotes and comments alone', () => {
    const sql = [
      "SELECT :id::text, ':value', E'it\\'s :value', \"col:value\", $$ :value $$, $f$ :id $f$ -- :value",
      '/* :value /* nested :id */ */ FROM t WHERE a = :value',
    ].join('\n')
    const s = compileNamedStatement(sql, ALL)
    expect(s.parameters).toEqual(['id', 'value'])
    expect(s.text).toContain("$1::text, ':value', E'it\\'s :value', \"col:value\", $$ :value $$, $f$ :id $f$")
    expect(s.text).toContain('WHERE a = $2')
    expect(s.text).not.toContain('nested')
  })

  it('drops a trailing semicolon and refuses a second statement', () => {
    expect(compileNamedStatement('DELETE FROM t WHERE uid = :id; -- done', ALL).text).toBe(
      'DELETE FROM t WHERE uid = $1',
    )
    expect(() => compileNamedStatement('DELETE FROM t; DROP TABLE t', ALL)).toThrow(/one statement per entry/)
  })

  it('refuses unknown and numbered parameters, and unterminated text', () => {
    expect(() => compileNamedStatement('SELECT * FROM t WHERE uid = :uid', ['id'])).toThrow(
      'unknown parameter :uid (known: :id)',
    )
    expect(() => compileNamedStatement('SELECT :attributes.mail', ['id'])).toThrow(/unknown parameter/)
    expect(() => compileNamedStatement('SELECT :id', [])).toThrow('this statement takes none')
    expect(() => compileNamedStatement('SELECT * FROM t WHERE uid = $1', ALL)).toThrow(/named parameters/)
    expect(() => compileNamedStatement("SELECT 'open", ALL)).toThrow(/unterminated string/)
    expect(() => compileNamedStatement('SELECT 1 /* open', ALL)).toThrow(/unterminated comment/)
    expect(() => compileNamedStatement('  -- nothing\n', ALL)).toThrow(/empty/)
  })
})

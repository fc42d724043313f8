import { describe, expect, it } from 'vitest'
import { TransformError } from '../errors.js'
import { compileTransform } from './compile-transform.js'
import { compileTemplate } from './velocity-template.js'

const render = (source: string, vars: Record<string, unknown> = {}): string =>
  compileTemplate(source).render(vars)

const staticValue = (value: string, attributes: Record<string, unknown> = {}) =>
  compileTransform({ type: 'static', attributes: { ...attributes, value } })

describe('Velocity directives in the formal notation', () => {
  // The shape a published generator writes (moisesroth/isc_transform_generator).
  const chain = "#if($s == 'a')A#{elseif}($s == 'b')B#{elseif}($s == 'c')C#{else}other#{end}"
  it.each([
    ['a', 'A'],
    ['b', 'B'],
    ['c', 'C'],
    ['z', 'other'],
  ])('#{elseif} chain with %s → %s', (s, expected) => {
    expect(render(chain, { s })).toBe(expected)
  })

  it('#{if}, #{foreach}, #{set}, #{break} and #{stop} work like their plain forms', () => {
    expect(render('#{if}($s)yes#{end}', { s: 'x' })).toBe('yes')
    expect(render('#{foreach}($x in [1, 2, 3])$x#{if}($x == 2)#{break}#{end},#{end}')).toBe('1,2')
    expect(render('#{set}($n = 4)$n')).toBe('4')
    expect(render('a#{stop}b')).toBe('a')
    expect(render('#{foreach}($x in [1, 2])#{break}x#{end}')).toBe('')
  })

  it('comments, raw blocks and escapes keep braced text as written', () => {
    expect(render('#[[#{if}($s)]]#')).toBe('#{if}($s)')
    expect(render('\\#{elseif}(x)')).toBe('#{elseif}(x)')
    expect(render('## #{elseif}(\nok')).toBe('ok')
  })
})

describe('Velocity templates that do not parse', () => {
  it.each([
    ['#if($s)x', 'line 1, column 1: #if is never closed: #end is missing'],
    ['a\n  #foreach($x in $l)$x', 'line 2, column 3: #foreach is never closed: #end is missing'],
    ['a#end b', 'line 1, column 2: #end without an open #if, #foreach, #macro or #define'],
    ['x#else', 'line 1, column 2: #else without an open #if'],
    ['#foreach($x in [1])#else#end', 'line 1, column 20: #else without an open #if'],
    ['#if($s)x#else y#elseif($s)z#end', 'line 1, column 16: #elseif after the #else at line 1, column 9'],
    ['#if($s)a#{else}b#{else}c#end', 'line 1, column 17: #else after the #else at line 1, column 9'],
    ['#if($s', 'line 1, column 7: unexpected end of template'],
    ['#set($a = )', 'line 1, column 9: unexpected ")"'],
    ['  #{elseif}', 'line 1, column 3: #{elseif} must be followed by "("'],
    ['#{if}($s)x#{elseif}($t', 'line 1, column 23: unexpected end of template'],
  ])('%j', (source, message) => {
    expect(() => compileTemplate(source)).toThrow(message)
    // In a transform: a TransformError naming the attribute, found when compiling (so validate sees it).
    expect(() => staticValue(source)).toThrow(TransformError)
    expect(() => staticValue(source)).toThrow(
      `static: attributes.value is not a valid Velocity template: ${message}`,
    )
  })
})

describe('#break', () => {
  it('ends the innermost #foreach at once, as in Velocity 1.7', () => {
    expect(render("#foreach($x in ['a', 'b', 'c'])#if($x == 'b')#break#end$x;#end.")).toBe('a;.')
    expect(render('#foreach($x in [1, 2])#foreach($y in [1, 2])$x$y#break#end;#end')).toBe('11;21;')
  })
})

describe('Java methods on numbers', () => {
  it('Integer.parseInt through an Integer, as published transforms call it', () => {
    const max =
      '#set($max = -10)#set($list = [$max.parseInt($a), $max.parseInt($b)])' +
      '#foreach($v in $list)#if($v > $max)#set($max = $v)#end#end$max'
    expect(render(max, { a: '24032009', b: '25010616' })).toBe('25010616')
  })

  it.each([
    ['$n.parseInt("-42")', '-42'],
    ['$n.parseInt("ff", 16)', '255'],
    ['$n.parseLong("3000000000")', '3000000000'],
    ['$n.valueOf("7")', '7'],
    ['$n.max(3, 9) $n.min(3, 9) $n.compareTo(2) $n.intValue() $n.toString()', '9 3 1 5 5'],
    ['$d.intValue() $d.doubleValue()', '2 2.5'],
    ['$n.parseDouble("1.5e1")', '15'],
  ])('%s → %s', (source, expected) => {
    expect(render(source, { n: 5, d: 2.5 })).toBe(expected)
  })

  it.each([
    ['$n.parseInt("abc")', 'NumberFormatException: For input string: "abc"'],
    ['$n.parseInt("3000000000")', 'NumberFormatException: For input string: "3000000000"'],
    ['$n.parseInt("")', 'NumberFormatException: For input string: ""'],
    ['$n.parseInt($missing)', 'NumberFormatException: For input string: null'],
  ])('%s fails like Java: %s', (source, message) => {
    expect(() => staticValue(source, { n: '0' }).evaluate({})).toThrow(TransformError)
    expect(() => render(source, { n: 5 })).toThrow(message)
  })
})

describe('Java methods on lists and maps', () => {
  it('List.contains, isEmpty, indexOf; Map.containsKey', () => {
    expect(
      render('$l.contains("b") $l.isEmpty() $l.indexOf("b") $l.size() $m.containsKey("k") $m.isEmpty()', {
        l: ['a', 'b'],
        m: { k: 'v' },
      }),
    ).toBe('true false 1 2 true false')
  })
})

describe('unsupported methods and directives fail instead of rendering empty', () => {
  it.each([
    ['$s.frob()', '$s.frob() calls frob(), which is not supported on a string (java.lang.String)'],
    [
      '$s.getBytes()',
      '$s.getBytes() calls getBytes(), which is not supported on a string (java.lang.String)',
    ],
    [
      '#set($x = $n.frob())x',
      '$n.frob() calls frob(), which is not supported on a number (java.lang.Integer)',
    ],
    ['#if($l.frob())y#end', '$l.frob() calls frob(), which is not supported on a list (java.util.List)'],
    ['#include("header.vm")', '#include is not a supported directive or a macro defined in the template'],
    ['#noSuchMacro()', '#noSuchMacro is not a supported directive or a macro defined in the template'],
  ])('%s', (source, message) => {
    expect(() => render(source, { s: 'abc', n: 1, l: ['a'] })).toThrow(message)
  })

  it('in a transform, a TransformError naming the method', () => {
    expect(() => staticValue('$s.frob()', { s: 'abc' }).evaluate({})).toThrow(
      new TransformError(
        'static: value could not be rendered: $s.frob() calls frob(), which is not supported on a string (java.lang.String)',
      ),
    )
  })

  it('text parsed while rendering is checked too', () => {
    expect(() => render('#evaluate("#if($s)x")', { s: 'a' })).toThrow('#if is never closed')
    expect(() => render('#set($t = "a #else b")$t')).toThrow('#else without an open #if')
  })

  it('a macro defined in the template and #evaluate still work', () => {
    expect(render('#macro(hi $w)hi $w#end#hi("you")')).toBe('hi you')
    expect(render('#evaluate("#set($q = 1)$q")')).toBe('1')
  })
})

import { describe, expect, it } from 'vitest'
import { TransformError } from '../errors.js'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import type { TransformDefinition, TransformValue } from './transform-types.js'

interface Case {
  readonly name: string
  readonly def: TransformDefinition
  readonly input?: unknown
  readonly expected: TransformValue
}

const run = (def: TransformDefinition, input?: unknown): TransformValue => evaluateTransform(def, { input })

function cases(list: readonly Case[]): void {
  it.each(list.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(run(c.def, c.input)).toBe(c.expected)
  })
}

const st = (value: string): TransformDefinition => ({ type: 'static', attributes: { value } })

describe('lower / upper / trim', () => {
  cases([
    {
      name: 'lower — docs: "ACTIVE" → "active"',
      def: { type: 'lower', attributes: { input: st('ACTIVE') } },
      expected: 'active',
    },
    {
      name: 'lower — docs: "All-Access" → "all-access"',
      def: { type: 'lower', attributes: { input: st('All-Access') } },
      expected: 'all-access',
    },
    { name: 'lower — implicit input', def: { type: 'lower' }, input: 'MiXeD', expected: 'mixed' },
    { name: 'lower — null input gives null', def: { type: 'lower' }, input: null, expected: null },
    {
      name: 'upper — docs: "inactive" → "INACTIVE"',
      def: { type: 'upper', attributes: { input: st('inactive') } },
      expected: 'INACTIVE',
    },
    {
      name: 'upper — docs: "Everyone" → "EVERYONE"',
      def: { type: 'upper', attributes: { input: st('Everyone') } },
      expected: 'EVERYONE',
    },
    {
      name: 'trim — docs: " Vice President" → "Vice President"',
      def: { type: 'trim', attributes: { input: st(' Vice President') } },
      expected: 'Vice President',
    },
    {
      name: 'trim — docs: "Austin, Texas " → "Austin, Texas"',
      def: { type: 'trim', attributes: { input: st('Austin, Texas ') } },
      expected: 'Austin, Texas',
    },
    { name: 'trim — non-breaking spaces too', def: { type: 'trim' }, input: '\u00a0x\u00a0', expected: 'x' },
    { name: 'number input is converted to text', def: { type: 'upper' }, input: 42, expected: '42' },
    {
      name: 'a multi-valued input is joined with ","',
      def: { type: 'lower' },
      input: ['A', null, 'B'],
      expected: 'a,b',
    },
  ])
})

describe('base64Encode / base64Decode / decomposeDiacriticalMarks', () => {
  cases([
    {
      name: 'base64Encode — docs: 1234 → MTIzNA==',
      def: { type: 'base64Encode' },
      input: '1234',
      expected: 'MTIzNA==',
    },
    {
      name: 'base64Decode — docs: MTIzNA== → 1234',
      def: { type: 'base64Decode' },
      input: 'MTIzNA==',
      expected: '1234',
    },
    {
      name: 'base64 round trip of UTF-8',
      def: {
        type: 'base64Decode',
        attributes: { input: { type: 'base64Encode', attributes: { input: 'Zoë 😀' } } },
      },
      expected: 'Zoë 😀',
    },
    {
      name: 'base64Decode — URL-safe alphabet',
      def: { type: 'base64Decode' },
      input: 'Pz8-',
      expected: '??>',
    },
    {
      name: 'base64Encode — null gives null (docs)',
      def: { type: 'base64Encode' },
      input: null,
      expected: null,
    },
    {
      name: 'base64Decode — null gives null (docs)',
      def: { type: 'base64Decode' },
      input: undefined,
      expected: null,
    },
    {
      name: 'decomposeDiacriticalMarks — docs: "Āric" → "Aric"',
      def: { type: 'decomposeDiacriticalMarks' },
      input: 'Āric',
      expected: 'Aric',
    },
    {
      name: 'decomposeDiacriticalMarks — docs: "Dubçek" → "Dubcek"',
      def: { type: 'decomposeDiacriticalMarks' },
      input: 'Dubçek',
      expected: 'Dubcek',
    },
    {
      name: 'decomposeDiacriticalMarks — docs marks Ā Ĉ Ň Ŵ',
      def: { type: 'decomposeDiacriticalMarks' },
      input: 'ĀĈŇŴ',
      expected: 'ACNW',
    },
    {
      name: 'decomposeDiacriticalMarks — NFKD ligature, ø kept',
      def: { type: 'decomposeDiacriticalMarks' },
      input: 'ﬁøé',
      expected: 'fiøe',
    },
  ])

  it('base64Decode rejects text that is not Base64', () => {
    expect(() => run({ type: 'base64Decode' }, 'not base64!')).toThrow(
      /base64Decode: input is not valid Base64/,
    )
  })
})

describe('leftPad / rightPad', () => {
  cases([
    {
      name: 'leftPad — docs: "1234" length 8 padding "0" → "00001234"',
      def: { type: 'leftPad', attributes: { padding: '0', length: '8' } },
      input: '1234',
      expected: '00001234',
    },
    {
      name: 'leftPad — docs: "1234" length 7 padding "x" → "xxx1234"',
      def: { type: 'leftPad', attributes: { padding: 'x', length: '7', input: '1234' } },
      expected: 'xxx1234',
    },
    {
      name: 'rightPad — docs: "1234" length 8 padding "0" → "12340000"',
      def: { type: 'rightPad', attributes: { padding: '0', length: '8' } },
      input: '1234',
      expected: '12340000',
    },
    {
      name: 'rightPad — docs: "1234" length 7 padding "x" → "1234xxx"',
      def: { type: 'rightPad', attributes: { padding: 'x', length: 7 } },
      input: '1234',
      expected: '1234xxx',
    },
    {
      name: 'leftPad — default padding is a space',
      def: { type: 'leftPad', attributes: { length: 5 } },
      input: 'ab',
      expected: '   ab',
    },
    {
      name: 'leftPad — longer input is unchanged',
      def: { type: 'leftPad', attributes: { length: 2, padding: '0' } },
      input: '12345',
      expected: '12345',
    },
    {
      name: 'rightPad — a multi-character padding is repeated and cut',
      def: { type: 'rightPad', attributes: { length: 6, padding: 'ab' } },
      input: 'x',
      expected: 'xababa',
    },
    {
      name: 'leftPad — null input gives null (docs)',
      def: { type: 'leftPad', attributes: { length: 3 } },
      input: null,
      expected: null,
    },
  ])

  it('requires length', () => {
    expect(() => compileTransform({ type: 'leftPad', attributes: { padding: '0' } })).toThrow(
      'leftPad: missing required attribute attributes.length',
    )
  })
})

describe('substring', () => {
  cases([
    {
      name: 'docs: "abcdef" begin 2 end 4 → "cd"',
      def: { type: 'substring', attributes: { begin: 2, end: 4 } },
      input: 'abcdef',
      expected: 'cd',
    },
    {
      name: 'docs: "abcdef" begin 1 end 3 beginOffset 1 endOffset 2 → "cde"',
      def: { type: 'substring', attributes: { begin: 1, end: 3, beginOffset: 1, endOffset: 2 } },
      input: 'abcdef',
      expected: 'cde',
    },
    {
      name: 'docs: begin 4 only → rest of the string',
      def: { type: 'substring', attributes: { begin: 4 } },
      input: 'abcdef',
      expected: 'ef',
    },
    {
      name: 'begin -1 means 0 and ignores beginOffset',
      def: { type: 'substring', attributes: { begin: -1, beginOffset: 3, end: 2 } },
      input: 'abcdef',
      expected: 'ab',
    },
    {
      name: 'end -1 means the end and ignores endOffset',
      def: { type: 'substring', attributes: { begin: '1', end: '-1', endOffset: 5 } },
      input: 'abcdef',
      expected: 'bcdef',
    },
    {
      name: 'end past the input is clamped (first 8 of a short name)',
      def: { type: 'substring', attributes: { begin: 0, end: 8 } },
      input: 'Li',
      expected: 'Li',
    },
    {
      name: 'begin past the input gives an empty string',
      def: { type: 'substring', attributes: { begin: 5 } },
      input: 'Li',
      expected: '',
    },
    {
      name: 'null input gives null',
      def: { type: 'substring', attributes: { begin: 0, end: 1 } },
      input: null,
      expected: null,
    },
  ])

  it('refuses a begin after the end', () => {
    expect(() => run({ type: 'substring', attributes: { begin: 3, end: 1 } }, 'abcdef')).toThrow(
      'substring: begin 3 is after end 1',
    )
  })

  it('requires begin, an integer', () => {
    expect(() => compileTransform({ type: 'substring', attributes: { end: 2 } })).toThrow(
      'substring: missing required attribute attributes.begin',
    )
    expect(() => compileTransform({ type: 'substring', attributes: { begin: 'x' } })).toThrow(
      'substring: attributes.begin must be an integer',
    )
  })
})

describe('indexOf / lastIndexOf', () => {
  cases([
    {
      name: 'indexOf — docs: "admin_jsmith" / "admin_" → "0"',
      def: { type: 'indexOf', attributes: { substring: 'admin_' } },
      input: 'admin_jsmith',
      expected: '0',
    },
    {
      name: 'indexOf — docs: "abcabcabc" / "b" → "1"',
      def: { type: 'indexOf', attributes: { substring: 'b' } },
      input: 'abcabcabc',
      expected: '1',
    },
    {
      name: 'indexOf — not found → "-1" (docs)',
      def: { type: 'indexOf', attributes: { substring: 'z' } },
      input: 'abc',
      expected: '-1',
    },
    {
      name: 'lastIndexOf — docs: "admin_jsmith" / "admin_" → "0"',
      def: { type: 'lastIndexOf', attributes: { substring: 'admin_' } },
      input: 'admin_jsmith',
      expected: '0',
    },
    {
      name: 'lastIndexOf — docs: "abcabcabc" / "b" → "7"',
      def: { type: 'lastIndexOf', attributes: { substring: 'b' } },
      input: 'abcabcabc',
      expected: '7',
    },
    {
      name: 'lastIndexOf — null input gives null',
      def: { type: 'lastIndexOf', attributes: { substring: 'b' } },
      input: null,
      expected: null,
    },
  ])
})

describe('split', () => {
  cases([
    {
      name: 'docs: "abc:123" on ":" index 1 → "123"',
      def: { type: 'split', attributes: { delimiter: ':', index: 1 } },
      input: 'abc:123',
      expected: '123',
    },
    {
      name: 'docs: explicit input split on " " index 3 → "fox"',
      def: {
        type: 'split',
        attributes: {
          input: 'The quick brown fox jumped over 10 lazy dogs',
          delimiter: ' ',
          index: 3,
          throws: true,
        },
      },
      expected: 'fox',
    },
    {
      name: 'a one-character delimiter is literal, even "."',
      def: { type: 'split', attributes: { delimiter: '.', index: 1 } },
      input: 'john.smith',
      expected: 'smith',
    },
    {
      name: 'a longer delimiter is a regex',
      def: { type: 'split', attributes: { delimiter: '\\s*,\\s*', index: 2 } },
      input: 'a ,b,  c',
      expected: 'c',
    },
    {
      name: 'regex groups are not returned (Java split)',
      def: { type: 'split', attributes: { delimiter: '(-)', index: 1 } },
      input: 'a-b',
      expected: 'b',
    },
    {
      name: 'throws false: out of range gives null',
      def: { type: 'split', attributes: { delimiter: ',', index: 5, throws: 'false' } },
      input: 'a,b',
      expected: null,
    },
    {
      name: 'a leading empty element is kept',
      def: { type: 'split', attributes: { delimiter: ',', index: 0 } },
      input: ',a',
      expected: '',
    },
  ])

  it('index out of range throws IndexOutOfBoundsException by default (docs)', () => {
    expect(() => run({ type: 'split', attributes: { delimiter: ',', index: 5 } }, 'a,b')).toThrow(
      'split: IndexOutOfBoundsException: index 5 out of bounds for length 2',
    )
  })

  it('trailing empty strings are removed, as Java does', () => {
    expect(() => run({ type: 'split', attributes: { delimiter: ',', index: 2 } }, 'a,b,,')).toThrow(
      /length 2/,
    )
  })

  it('requires delimiter and index', () => {
    expect(() => compileTransform({ type: 'split', attributes: { index: 1 } })).toThrow(
      'split: missing required attribute attributes.delimiter',
    )
    expect(() => compileTransform({ type: 'split', attributes: { delimiter: ',' } })).toThrow(
      'split: missing required attribute attributes.index',
    )
  })
})

describe('replace / replaceAll', () => {
  cases([
    {
      name: 'replace — docs: "IIQ" → "IdentityNow"',
      def: { type: 'replace', attributes: { regex: 'IIQ', replacement: 'IdentityNow' } },
      input: 'Working with IIQ is fun',
      expected: 'Working with IdentityNow is fun',
    },
    {
      name: 'replace — docs: remove non-letters',
      def: {
        type: 'replace',
        attributes: {
          input: 'The quick brown fox jumped over 10 lazy dogs',
          regex: '[^a-zA-Z]',
          replacement: '',
        },
      },
      expected: 'Thequickbrownfoxjumpedoverlazydogs',
    },
    {
      name: 'replace — Java group references',
      def: { type: 'replace', attributes: { regex: '(\\w+)@(\\w+)', replacement: '$2\\$$1' } },
      input: 'jdoe@corp',
      expected: 'corp$jdoe',
    },
    {
      name: 'replace — an escaped dollar in a plain replacement',
      def: { type: 'replace', attributes: { regex: 'USD', replacement: 'US\\$' } },
      input: '5 USD',
      expected: '5 US$',
    },
    {
      name: 'replace — Java inline flag (?i)',
      def: { type: 'replace', attributes: { regex: '(?i)iiq', replacement: 'ISC' } },
      input: 'iiq IIQ',
      expected: 'ISC ISC',
    },
    {
      name: 'replace — POSIX class \\p{Punct}',
      def: { type: 'replace', attributes: { regex: '\\p{Punct}', replacement: '' } },
      input: "O'Brien-Smith.",
      expected: 'OBrienSmith',
    },
    {
      name: 'replaceAll — docs structure table: "-" → " ", "ñ" → "n"',
      def: { type: 'replaceAll', attributes: { table: { '-': ' ', '"': "'", ñ: 'n' } } },
      input: 'Enrique Jose-Piñon',
      expected: 'Enrique Jose Pinon',
    },
    {
      name: 'replaceAll — docs: "ad512.777.1234" → "512-777-1234"',
      def: { type: 'replaceAll', attributes: { table: { '[.]': '-', '[a-zA-z]': '' } } },
      input: 'ad512.777.1234',
      expected: '512-777-1234',
    },
    {
      name: 'replaceAll — no table returns the input',
      def: { type: 'replaceAll' },
      input: 'same',
      expected: 'same',
    },
    {
      name: 'replace — null input gives null',
      def: { type: 'replace', attributes: { regex: 'a', replacement: 'b' } },
      input: null,
      expected: null,
    },
  ])

  it('refuses an invalid regex when compiling', () => {
    expect(() => compileTransform({ type: 'replace', attributes: { regex: '(', replacement: '' } })).toThrow(
      'replace: attributes.regex is not a valid regex "("',
    )
  })

  it('requires regex and replacement', () => {
    expect(() => compileTransform({ type: 'replace', attributes: { regex: 'a' } })).toThrow(
      'replace: missing required attribute attributes.replacement',
    )
  })

  it('errors are TransformErrors', () => {
    expect(() => compileTransform({ type: 'replaceAll', attributes: { table: { '[': 'x' } } })).toThrow(
      TransformError,
    )
  })
})

import { describe, expect, it } from 'vitest'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import { dateCodec, formatIso8601, parseIso8601 } from './date-formats.js'
import { compileDatePattern } from './simple-date-format.js'
import type { TransformContext, TransformDefinition } from './transform-types.js'

// Friday 15 March 2024, 10:20:30.456 UTC.
const NOW = new Date('2024-03-15T10:20:30.456Z')
const clock = (): Date => NOW
const at = (iso: string): number => Date.parse(iso)
const hrAttr = (attributeName: string): TransformDefinition => ({
  type: 'accountAttribute',
  attributes: { sourceName: 'HR Source', attributeName },
})
const withHr = (attributes: Record<string, unknown>): TransformContext => ({
  now: clock,
  accounts: [{ sourceName: 'HR Source', nativeIdentity: 'E1', attributes }],
})

describe('SimpleDateFormat patterns', () => {
  const t = at('2024-03-05T14:07:09.045Z') // a Tuesday
  it.each([
    ['yyyy-MM-dd HH:mm:ss.SSS', '2024-03-05 14:07:09.045'],
    ['yy/M/d h:m:s a', '24/3/5 2:7:9 PM'],
    ['EEE, dd MMM yyyy', 'Tue, 05 Mar 2024'],
    ['EEEE d MMMM', 'Tuesday 5 March'],
    ["yyyyMMdd'T'HHmm", '20240305T1407'],
    ["'quoted ''text''' yyyy", "quoted 'text' 2024"],
    ['D u k K', '65 2 14 2'],
    ['Z X z zzzz G', '+0000 Z UTC Coordinated Universal Time AD'],
  ])('formats %s', (pattern, expected) => {
    expect(compileDatePattern(pattern).format(t)).toBe(expected)
  })

  const now = (): number => NOW.getTime()
  it.each([
    ['M/d/yyyy', '4/1/1975', '1975-04-01T00:00:00.000Z'],
    ['MM/dd/yyyy', '04/01/1975', '1975-04-01T00:00:00.000Z'],
    ['yyyyMMddHHmmss', '20201028120000', '2020-10-28T12:00:00.000Z'],
    ['dd-MMM-yy', '05-mar-95', '1995-03-05T00:00:00.000Z'],
    ['dd-MMM-yy', '05-Mar-24', '2024-03-05T00:00:00.000Z'],
    ['MMMM d, yyyy h:mm a', 'December 31, 1999 11:59 PM', '1999-12-31T23:59:00.000Z'],
    ['MMM dd yyyy, HH:mm:ss.SSS', 'Oct 28 2020, 09:15:30.250', '2020-10-28T09:15:30.250Z'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSZ", '2020-10-28T12:00:00.000-0500', '2020-10-28T17:00:00.000Z'],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", '2020-10-28T12:00:00+01:00', '2020-10-28T11:00:00.000Z'],
    ['yyyy-MM-dd HH:mm z', '2020-10-28 12:00 PST', '2020-10-28T20:00:00.000Z'],
    ['yyyy-MM-dd', '2020-10-28T12:34:56Z', '2020-10-28T00:00:00.000Z'], // trailing text is ignored, as in Java
  ])('parses %s: %s', (pattern, text, iso) => {
    expect(new Date(compileDatePattern(pattern).parse(text, now) ?? NaN).toISOString()).toBe(iso)
  })

  it.each([
    ['MM/dd/yyyy', '13/01/2020'],
    ['MM/dd/yyyy', '04/31/2020'],
    ['MM/dd/yyyy', '02/29/2023'],
    ['HH:mm', '25:00'],
    ['yyyy-MM-dd', 'not a date'],
    ['MMM yyyy', 'Foo 2020'],
  ])('refuses %s: %s', (pattern, text) => {
    expect(compileDatePattern(pattern).parse(text, now)).toBeUndefined()
  })

  it('refuses unsupported letters and an open quote', () => {
    expect(() => compileDatePattern('YYYY-ww')).toThrow("unsupported letter 'Y'")
    expect(() => compileDatePattern("yyyy'T")).toThrow('unterminated quote')
  })

  it('reads ISO 8601 leniently', () => {
    expect(parseIso8601('2020-10-28')).toBe(at('2020-10-28T00:00:00Z'))
    expect(parseIso8601('2020-10-28T12:00')).toBe(at('2020-10-28T12:00:00Z'))
    expect(parseIso8601('2020-10-28T12:00:00.000+0000')).toBe(at('2020-10-28T12:00:00Z'))
    expect(parseIso8601('2020-10-28T12:00:00.123456-02:30')).toBe(at('2020-10-28T14:30:00.123Z'))
    expect(parseIso8601('2020-02-30')).toBeUndefined()
    expect(parseIso8601('2020-02-29T23:59:59.999Z')).toBe(at('2020-02-29T23:59:59.999Z'))
    expect(parseIso8601('2021-02-29T00:00:00.000Z')).toBeUndefined()
    expect(parseIso8601('20x0-01-01T00:00:00.000Z')).toBeUndefined()
    expect(parseIso8601('2020-01-01T24:00')).toBeUndefined()
    expect(parseIso8601('10/28/2020')).toBeUndefined()
  })

  it('named formats round-trip', () => {
    const ms = at('2020-10-28T12:00:00.000Z')
    expect(dateCodec('LDAP').format(ms)).toBe('20201028120000.+0000')
    expect(dateCodec('LDAP').parse('20201028120000.0Z', now)).toBe(ms)
    expect(dateCodec('LDAP').parse('20201028120000.+0000', now)).toBe(ms)
    expect(dateCodec('PEOPLE_SOFT').format(ms)).toBe('10/28/2020')
    expect(dateCodec('EPOCH_TIME_JAVA').format(ms)).toBe('1603886400000')
    expect(dateCodec('EPOCH_TIME_WIN32').format(ms)).toBe('132483600000000000')
    expect(dateCodec('EPOCH_TIME_WIN32').parse('132483600000000000', now)).toBe(ms)
  })
})

describe('dateFormat', () => {
  it('docs: EPOCH_TIME_JAVA 144642632190 → ISO8601 1974-08-02T02:30:32.190 (docs print "-00" for the UTC designator)', () => {
    const def: TransformDefinition = {
      type: 'dateFormat',
      attributes: { inputFormat: 'EPOCH_TIME_JAVA', outputFormat: 'ISO8601' },
    }
    expect(evaluateTransform(def, { input: '144642632190' })).toBe('1974-08-02T02:30:32.190Z')
  })

  it('docs: 4/1/1975 with M/d/yyyy → yyyy-MM-dd 1975-04-01', () => {
    const def: TransformDefinition = {
      type: 'dateFormat',
      attributes: { inputFormat: 'M/d/yyyy', outputFormat: 'yyyy-MM-dd' },
    }
    expect(evaluateTransform(def, { input: '4/1/1975' })).toBe('1975-04-01')
  })

  it.each([
    ['defaults are ISO8601 in and out', {}, '2020-10-28T12:00:00-05:00', '2020-10-28T17:00:00.000Z'],
    ['ISO8601 → LDAP', { outputFormat: 'LDAP' }, '2020-10-28T12:00:00Z', '20201028120000.+0000'],
    [
      'LDAP → PEOPLE_SOFT',
      { inputFormat: 'LDAP', outputFormat: 'PEOPLE_SOFT' },
      '20201028120000.0Z',
      '10/28/2020',
    ],
    [
      'PEOPLE_SOFT → EPOCH_TIME_WIN32',
      { inputFormat: 'PEOPLE_SOFT', outputFormat: 'EPOCH_TIME_WIN32' },
      '10/28/2020',
      '132483168000000000',
    ],
    [
      'EPOCH_TIME_WIN32 → ISO8601',
      { inputFormat: 'EPOCH_TIME_WIN32' },
      '132483168000000000',
      '2020-10-28T00:00:00.000Z',
    ],
  ])('%s', (_name, attributes, input, expected) => {
    expect(evaluateTransform({ type: 'dateFormat', attributes }, { input })).toBe(expected)
  })

  it('null input gives null', () => {
    expect(evaluateTransform({ type: 'dateFormat' }, { input: null })).toBeNull()
  })

  it('docs: "now" is not accepted as input', () => {
    expect(() => evaluateTransform({ type: 'dateFormat' }, { input: 'now', now: clock })).toThrow(
      'dateFormat: "now" does not match the input format ISO8601',
    )
  })

  it('input that does not match the pattern is an error naming both', () => {
    expect(() =>
      evaluateTransform(
        { type: 'dateFormat', attributes: { inputFormat: 'MM/dd/yyyy' } },
        { input: '2020-10-28' },
      ),
    ).toThrow('dateFormat: "2020-10-28" does not match the input format MM/dd/yyyy')
  })

  it('an invalid pattern is refused when compiling', () => {
    expect(() => compileTransform({ type: 'dateFormat', attributes: { outputFormat: 'YYYY' } })).toThrow(
      /^dateFormat: attributes.outputFormat: unsupported letter 'Y'/,
    )
  })
})

describe('dateMath', () => {
  const math = (expression: string, extra: Record<string, unknown> = {}, input?: string): string | null =>
    evaluateTransform({ type: 'dateMath', attributes: { expression, ...extra } }, { now: clock, input })

  it.each([
    ['docs: "now" → the current date and time', 'now', '2024-03-15T10:20'],
    ['docs: "now/h" → rounded to the hour', 'now/h', '2024-03-15T10:00'],
    ['docs: "now+1w" → one week from now', 'now+1w', '2024-03-22T10:20'],
    ['docs: "now+1y+1M+2d-4h+1m-3s/s"', 'now+1y+1M+2d-4h+1m-3s/s', '2025-04-17T06:21'],
    ['docs example: "now-5d/d" with roundUp false', 'now-5d/d', '2024-03-10T00:00'],
    ['rounding to the month and the year', 'now/M', '2024-03-01T00:00'],
  ])('%s', (_name, expression, expected) => {
    expect(math(expression, { roundUp: false })).toBe(expected)
  })

  it('roundUp truncates and adds one unit (docs)', () => {
    expect(math('now/d', { roundUp: true })).toBe('2024-03-16T00:00')
    expect(math('now/y', { roundUp: 'true' })).toBe('2025-01-01T00:00')
  })

  it('docs: "+3M" from the input; month ends are clamped', () => {
    expect(math('+3M', {}, '2020-10-28T12:00:00.000Z')).toBe('2021-01-28T12:00')
    expect(math('+3M', {}, '2020-11-30T08:00:00Z')).toBe('2021-02-28T08:00')
    expect(math('-1y', {}, '2024-02-29T00:00:00Z')).toBe('2023-02-28T00:00')
  })

  it('docs: "now" wins over the input', () => {
    expect(math('now-1d', {}, '1999-01-01T00:00:00Z')).toBe('2024-03-14T10:20')
  })

  it('docs example: startDate through dateFormat, "+12h/s" rounded up', () => {
    const def: TransformDefinition = {
      type: 'dateMath',
      attributes: {
        expression: '+12h/s',
        roundUp: true,
        input: {
          type: 'dateFormat',
          attributes: {
            input: hrAttr('startDate'),
            inputFormat: 'MMM dd yyyy, HH:mm:ss.SSS',
            outputFormat: 'ISO8601',
          },
        },
      },
    }
    expect(evaluateTransform(def, withHr({ startDate: 'Oct 28 2020, 09:15:30.250' }))).toBe(
      '2020-10-28T21:15',
    )
  })

  it('docs example: Workday HIREDATE + 1 day as EPOCH_TIME_WIN32', () => {
    const def: TransformDefinition = {
      type: 'dateFormat',
      name: 'WD - HireDate',
      attributes: {
        input: {
          type: 'dateMath',
          attributes: {
            expression: '+1d',
            roundUp: true,
            input: {
              type: 'dateFormat',
              attributes: {
                input: {
                  type: 'accountAttribute',
                  attributes: { attributeName: 'HIREDATE', sourceName: 'Workday' },
                },
                inputFormat: 'MM/dd/yyyy',
                outputFormat: 'ISO8601',
              },
            },
          },
        },
        inputFormat: "yyyy-MM-dd'T'HH:mm",
        outputFormat: 'EPOCH_TIME_WIN32',
      },
    }
    const ctx: TransformContext = {
      accounts: [{ sourceName: 'Workday', nativeIdentity: 'W1', attributes: { HIREDATE: '03/15/2020' } }],
    }
    expect(evaluateTransform(def, ctx)).toBe('132287904000000000')
  })

  it('a null input gives null; a non-ISO input is an error', () => {
    expect(math('+1d', {}, undefined)).toBeNull()
    expect(() => math('+1d', {}, '03/15/2020')).toThrow(
      'dateMath: input "03/15/2020" is not an ISO 8601 date',
    )
  })

  it('docs: rounding by week is an error', () => {
    expect(() => compileTransform({ type: 'dateMath', attributes: { expression: 'now/w' } })).toThrow(
      'dateMath: rounding by week ("/w") is not supported in expression "now/w"',
    )
  })

  it('an unreadable expression is refused when compiling', () => {
    expect(() => compileTransform({ type: 'dateMath', attributes: { expression: 'now+1x' } })).toThrow(
      /^dateMath: cannot read "\+1x"/,
    )
    expect(() => compileTransform({ type: 'dateMath' })).toThrow(
      'dateMath: missing required attribute attributes.expression',
    )
  })
})

describe('dateCompare', () => {
  const lifecycle: TransformDefinition = {
    type: 'dateCompare',
    attributes: {
      firstDate: hrAttr('termination_date'),
      secondDate: 'now',
      operator: 'gt',
      positiveCondition: 'active',
      negativeCondition: 'terminated',
    },
  }
  it.each([
    ['docs: termination date after now → active', '2025-01-01T00:00:00Z', 'active'],
    ['docs: termination date before now → terminated', '2024-03-01T00:00:00.000Z', 'terminated'],
    ['equal dates are not GT', NOW.toISOString(), 'terminated'],
  ])('%s', (_name, termination, expected) => {
    expect(evaluateTransform(lifecycle, withHr({ termination_date: termination }))).toBe(expected)
  })

  const legacy: TransformDefinition = {
    type: 'dateCompare',
    attributes: {
      firstDate: hrAttr('hire_date'),
      secondDate: {
        type: 'dateFormat',
        attributes: { input: '12/31/1995', inputFormat: 'M/d/yyyy', outputFormat: 'ISO8601' },
      },
      operator: 'lte',
      positiveCondition: 'legacy',
      negativeCondition: 'regular',
    },
  }
  it.each([
    ['docs: hired before 1996 → legacy', '1990-06-01T00:00:00Z', 'legacy'],
    ['docs: hired on 31 Dec 1995 → legacy (LTE)', '1995-12-31T00:00:00Z', 'legacy'],
    ['docs: hired later → regular', '2001-02-03', 'regular'],
  ])('%s', (_name, hire, expected) => {
    expect(evaluateTransform(legacy, withHr({ hire_date: hire }))).toBe(expected)
  })

  it.each([
    ['LT', '2020-01-01', '2020-01-02', 'yes'],
    ['LT', '2020-01-02', '2020-01-02', 'no'],
    ['lte', '2020-01-02', '2020-01-02', 'yes'],
    ['GTE', '2020-01-02', '2020-01-02', 'yes'],
    ['Gt', '2020-01-02T00:00:01Z', '2020-01-02', 'yes'],
  ])('operator %s, %s vs %s → %s', (operator, firstDate, secondDate, expected) => {
    expect(
      evaluateTransform(
        {
          type: 'dateCompare',
          attributes: { firstDate, secondDate, operator, positiveCondition: 'yes', negativeCondition: 'no' },
        },
        {},
      ),
    ).toBe(expected)
  })

  it('operands and conditions may be templates over named variables', () => {
    const def: TransformDefinition = {
      type: 'dateCompare',
      attributes: {
        start: hrAttr('start'),
        firstDate: '$start',
        secondDate: 'now',
        operator: 'LTE',
        positiveCondition: 'started $start',
        negativeCondition: 'prehire',
      },
    }
    expect(evaluateTransform(def, withHr({ start: '2024-01-08' }))).toBe('started 2024-01-08')
    expect(evaluateTransform(def, withHr({ start: '2024-06-01' }))).toBe('prehire')
  })

  it('a null date is an error', () => {
    expect(() => evaluateTransform(lifecycle, withHr({}))).toThrow('dateCompare: firstDate is null')
  })

  it('a date that is not ISO 8601 is an error', () => {
    expect(() => evaluateTransform(lifecycle, withHr({ termination_date: '12/31/2025' }))).toThrow(
      'dateCompare: firstDate "12/31/2025" is not an ISO 8601 date',
    )
  })

  it('refuses an unknown operator and missing attributes when compiling', () => {
    const attributes = { firstDate: 'now', secondDate: 'now', positiveCondition: 'a', negativeCondition: 'b' }
    expect(() =>
      compileTransform({ type: 'dateCompare', attributes: { ...attributes, operator: 'EQ' } }),
    ).toThrow('dateCompare: attributes.operator must be one of LT, LTE, GT, GTE, got "EQ"')
    expect(() => compileTransform({ type: 'dateCompare', attributes })).toThrow(
      'dateCompare: missing required attribute attributes.operator',
    )
    expect(() =>
      compileTransform({
        type: 'dateCompare',
        attributes: { ...attributes, operator: 'LT', firstDate: 'yesterday' },
      }),
    ).toThrow('dateCompare: attributes.firstDate "yesterday" is neither "now" nor an ISO 8601 date')
  })
})

describe('calendar arithmetic', () => {
  it('utcFields and formatting agree with Date for instants across four centuries', () => {
    const iso = compileDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSS D u")
    for (let ms = Date.UTC(1601, 0, 1); ms < Date.UTC(2401, 0, 1); ms += 86_400_000 * 13 + 3_723_456) {
      const d = new Date(ms)
      const dayOfYear = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1
      const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay()
      expect(iso.format(ms)).toBe(`${d.toISOString().slice(0, 23)} ${dayOfYear} ${weekday}`)
      expect(formatIso8601(ms)).toBe(d.toISOString())
    }
  })

  it('before the epoch and at leap days', () => {
    expect(formatIso8601(Date.UTC(1969, 11, 31, 23, 59, 59, 999))).toBe('1969-12-31T23:59:59.999Z')
    expect(formatIso8601(Date.UTC(2000, 1, 29))).toBe('2000-02-29T00:00:00.000Z')
    expect(compileDatePattern('D').format(Date.UTC(2024, 11, 31))).toBe('366')
    expect(compileDatePattern('D').format(Date.UTC(2023, 11, 31))).toBe('365')
  })
})

import { describe, expect, it } from 'vitest'
import { inertCell, toCsv } from './to-csv.js'

describe('toCsv', () => {
  it.each<[name: string, header: string[], rows: string[][], delimiter: string | undefined, csv: string]>([
    ['a header alone, with a final newline', ['a', 'b'], [], undefined, 'a,b\n'],
    [
      'plain cells are not quoted',
      ['id', 'name'],
      [['1', 'Ada Lovelace']],
      undefined,
      'id,name\n1,Ada Lovelace\n',
    ],
    ['empty cells stay empty', ['a', 'b', 'c'], [['', 'x', '']], undefined, 'a,b,c\n,x,\n'],
    ['a cell with the delimiter is quoted', ['a'], [['Lovelace, Ada']], undefined, 'a\n"Lovelace, Ada"\n'],
    ['a quote is doubled, inside quotes', ['a'], [['say "hi"']], undefined, 'a\n"say ""hi"""\n'],
    ['a newline is quoted', ['a'], [['line 1\nline 2']], undefined, 'a\n"line 1\nline 2"\n'],
    ['a carriage return is quoted', ['a'], [['x\ry']], undefined, 'a\n"x\ry"\n'],
    ['leading and trailing spaces are kept, unquoted', ['a'], [[' x ']], undefined, 'a\n x \n'],
    ['the header is quoted the same way', ['a,b', 'c'], [['1', '2']], undefined, '"a,b",c\n1,2\n'],
    ['with ; as delimiter a comma needs no quotes', ['a', 'b'], [['1,5', 'x;y']], ';', 'a;b\n1,5;"x;y"\n'],
    ['with a tab as delimiter a tab is quoted', ['a', 'b'], [['x\ty', 'z']], '\t', 'a\tb\n"x\ty"\tz\n'],
    [
      'several rows, each on its line',
      ['k', 'v'],
      [
        ['1', 'a'],
        ['2', 'b'],
      ],
      undefined,
      'k,v\n1,a\n2,b\n',
    ],
  ])('%s', (_name, header, rows, delimiter, csv) => {
    expect(toCsv(header, rows, delimiter)).toBe(csv)
  })
})

describe('inertCell', () => {
  it.each<[name: string, cell: string, inert: string]>([
    ['a formula gets an apostrophe', '=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['a plus sign', '+1+cmd|/C calc!A0', "'+1+cmd|/C calc!A0"],
    ['a minus sign', '-2+3', "'-2+3"],
    ['an at sign', '@SUM(1)', "'@SUM(1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading carriage return', '\r=1', "'\r=1"],
    ['plain text is left alone', 'Ada Lovelace', 'Ada Lovelace'],
    ['an equals sign later in the text is left alone', 'a=b', 'a=b'],
    ['an email address is left alone', 'ada@example.com', 'ada@example.com'],
    ['an empty cell is left alone', '', ''],
    ['a cell already starting with an apostrophe is left alone', "'=1", "'=1"],
  ])('%s', (_name, cell, inert) => {
    expect(inertCell(cell)).toBe(inert)
  })

  it('an inert formula with quotes and commas is still quoted by toCsv', () => {
    expect(toCsv(['comment'], [[inertCell('=HYPERLINK("http://x.test","click")')]])).toBe(
      'comment\n"\'=HYPERLINK(""http://x.test"",""click"")"\n',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { InputError } from '../domain/errors.js'
import { DEFAULT_DB_BUFFERS, dbBuffers } from './db-buffers.js'

describe('PROVISIO_DB_BUFFERS', () => {
  it('unset or empty: the default', () => {
    expect(dbBuffers(undefined)).toBe(DEFAULT_DB_BUFFERS)
    expect(dbBuffers('')).toBe(DEFAULT_DB_BUFFERS)
    expect(dbBuffers('  ')).toBe(DEFAULT_DB_BUFFERS)
  })

  it('a size in kB, MB or GB from 128kB to 1GB', () => {
    expect(dbBuffers('16MB')).toBe('16MB')
    expect(dbBuffers(' 1GB ')).toBe('1GB')
    expect(dbBuffers('128kB')).toBe('128kB')
    expect(dbBuffers('1024 MB')).toBe('1024MB')
  })

  it('anything else is an input error that says what is wanted', () => {
    for (const bad of ['16', '16mb', 'MB', '-16MB', '1.5GB', '64kB', '2GB', '16MB; fsync = off', 'lots']) {
      expect(() => dbBuffers(bad), bad).toThrow(InputError)
    }
    expect(() => dbBuffers('16 megs')).toThrow(/PROVISIO_DB_BUFFERS must be a size .* \(got "16 megs"\)/)
  })
})

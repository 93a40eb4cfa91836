import { describe, expect, it } from 'vitest'
import {
  cleanText,
  columnTypeOf,
  fitValue,
  inferType,
  isIsoTimestamp,
  unifyTypes,
} from './column-types.js'

const options = { stringLimit: 5 }

describe('type inference', () => {
  it('infers from the first value', () => {
    expect(inferType(true)).toBe('boolean')
    expect(inferType(42)).toBe('bigint')
    expect(inferType(-3)).toBe('bigint')
    expect(inferType(4.5)).toBe('double')
    expect(inferType(2 ** 60)).toBe('double')
    expect(inferType('2024-05-01T10:00:00.123Z')).toBe('timestamp')
    expect(inferType('2024-05-01')).toBe('timestamp')
    expect(inferType('hello')).toBe('text')
    expect(inferType('42')).toBe('text')
  })

  it('takes only real ISO-8601 instants as timestamps', () => {
    expect(isIsoTimestamp('2024-02-29T23:59:59+02:00')).toBe(true)
    expect(isIsoTimestamp('2024-05-01 10:00:00')).toBe(true)
    expect(isIsoTimestamp('2023-02-29')).toBe(false)
    expect(isIsoTimestamp('2024-02-30T00:00:00Z')).toBe(false)
    expect(isIsoTimestamp('0000-01-01T00:00:00Z')).toBe(false)
    expect(isIsoTimestamp('2024-01-01T24:00:00Z')).toBe(false)
    expect(isIsoTimestamp('May 1, 2024')).toBe(false)
    expect(isIsoTimestamp('1714557600')).toBe(false)
  })

  it('unifies integers and floats of one batch as double, else keeps the first type', () => {
    expect(unifyTypes('bigint', 'double')).toBe('double')
    expect(unifyTypes('double', 'bigint')).toBe('double')
    expect(unifyTypes('bigint', 'text')).toBe('bigint')
    expect(unifyTypes('text', 'bigint')).toBe('text')
  })
})

describe('fitting values to column types', () => {
  it('text takes anything, as text, cut at the limit', () => {
    expect(fitValue('abcdefgh', 'text', options)).toBe('abcde')
    expect(fitValue(12, 'text', options)).toBe('12')
    expect(fitValue(true, 'text', options)).toBe('true')
  })

  it('numbers: double takes any, bigint only safe integers', () => {
    expect(fitValue(1.5, 'double', options)).toBe(1.5)
    expect(fitValue(2, 'double', options)).toBe(2)
    expect(fitValue(1.5, 'bigint', options)).toBeUndefined()
    expect(fitValue(2 ** 60, 'bigint', options)).toBeUndefined()
    expect(fitValue('1', 'bigint', options)).toBeUndefined()
  })

  it('booleans and timestamps take only their own kind; other columns take nothing', () => {
    expect(fitValue(false, 'boolean', options)).toBe(false)
    expect(fitValue('true', 'boolean', options)).toBeUndefined()
    expect(fitValue('2024-01-01', 'timestamp', options)).toBe('2024-01-01')
    expect(fitValue('soon', 'timestamp', options)).toBeUndefined()
    expect(fitValue('x', 'other', options)).toBeUndefined()
  })

  it('cleans text: no NUL, no lone surrogate, no split pair', () => {
    expect(cleanText('a\u0000b', 10)).toBe('ab')
    expect(cleanText('a\uD800b', 10)).toBe('a\uFFFDb')
    expect(cleanText('ab😀', 3)).toBe('ab')
    expect(cleanText('ab😀', 4)).toBe('ab😀')
  })

  it('maps information_schema types', () => {
    expect(columnTypeOf('timestamp with time zone')).toBe('timestamp')
    expect(columnTypeOf('bigint')).toBe('bigint')
    expect(columnTypeOf('double precision')).toBe('double')
    expect(columnTypeOf('character varying')).toBe('text')
    expect(columnTypeOf('integer')).toBe('other')
    expect(columnTypeOf('jsonb')).toBe('other')
  })
})

import { describe, expect, it } from 'vitest'
import { classifyWarehouseError } from './warehouse-errors.js'

const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code })

describe('classifyWarehouseError', () => {
  it.each([
    ['ECONNREFUSED', 'WAREHOUSE_UNAVAILABLE'],
    ['EPIPE', 'WAREHOUSE_UNAVAILABLE'],
    ['ETIMEDOUT', 'WAREHOUSE_TIMEOUT'],
    ['08006', 'WAREHOUSE_UNAVAILABLE'],
    ['57P01', 'WAREHOUSE_UNAVAILABLE'],
    ['57014', 'WAREHOUSE_TIMEOUT'],
    ['55P03', 'WAREHOUSE_TIMEOUT'],
    ['40P01', 'WAREHOUSE_BUSY'],
    ['53300', 'WAREHOUSE_BUSY'],
    ['28P01', 'WAREHOUSE_ACCESS'],
    ['42501', 'WAREHOUSE_ACCESS'],
    ['42703', 'WAREHOUSE_STALE_SCHEMA'],
    ['42P01', 'WAREHOUSE_STALE_SCHEMA'],
    ['23514', 'WAREHOUSE_DATA_ERROR'],
    ['22P02', 'WAREHOUSE_DATA_ERROR'],
  ])('%s → %s', (code, expected) => {
    expect(classifyWarehouseError(withCode(code)).code).toBe(expected)
  })

  it('takes errors without a code as transport failures', () => {
    expect(classifyWarehouseError(new Error('Connection terminated unexpectedly')).code).toBe(
      'WAREHOUSE_UNAVAILABLE',
    )
    expect(classifyWarehouseError(new Error('timeout exceeded when trying to connect')).code).toBe(
      'WAREHOUSE_TIMEOUT',
    )
  })
})

import { describe, expect, it } from 'vitest'
import { createWriteKeyReader, writeKeyFromAuthorization } from './write-key.js'

const b64 = (text: string): string => Buffer.from(text).toString('base64')

describe('writeKeyFromAuthorization', () => {
  it('reads the username of Basic auth, with or without the colon', () => {
    expect(writeKeyFromAuthorization(`Basic ${b64('wk_abc123:')}`)).toBe('wk_abc123')
    expect(writeKeyFromAuthorization(`Basic ${b64('wk_abc123')}`)).toBe('wk_abc123')
    expect(writeKeyFromAuthorization(`Basic ${b64('wk_abc123:ignored-password')}`)).toBe(
      'wk_abc123',
    )
  })

  it('accepts the scheme in any case and trims the credentials', () => {
    expect(writeKeyFromAuthorization(`basic ${b64('k1:')}`)).toBe('k1')
    expect(writeKeyFromAuthorization(`BASIC ${b64('k2:')}`)).toBe('k2')
    expect(writeKeyFromAuthorization(`bAsIc   ${b64('k3:')}  `)).toBe('k3')
  })

  it('returns null for Bearer tokens, absent or empty headers and an empty username', () => {
    expect(writeKeyFromAuthorization(`Bearer ${b64('k:')}`)).toBeNull()
    expect(writeKeyFromAuthorization('Bearer some-oauth-token')).toBeNull()
    expect(writeKeyFromAuthorization(undefined)).toBeNull()
    expect(writeKeyFromAuthorization('')).toBeNull()
    expect(writeKeyFromAuthorization('Basic ')).toBeNull()
    expect(writeKeyFromAuthorization(`Basic ${b64(':password')}`)).toBeNull()
    expect(writeKeyFromAuthorization(`Basic ${b64(':')}`)).toBeNull()
  })

  it('returns null for garbage, never throws', () => {
    for (const header of ['Basic', 'Basicxyz', 'Digest abc', 'Basic !!!', 'Basic ====', '\u0000']) {
      expect(() => writeKeyFromAuthorization(header), header).not.toThrow()
      expect(writeKeyFromAuthorization(header), header).toBeNull()
    }
  })
})

describe('createWriteKeyReader', () => {
  it('gives the same answers as writeKeyFromAuthorization, repeated and past its capacity', () => {
    const read = createWriteKeyReader(3)
    const headers = [
      `Basic ${b64('k1:')}`,
      `Basic ${b64('k2')}`,
      'Bearer token',
      undefined,
      `Basic ${b64(':pw')}`,
      `basic ${b64('k3:')}`,
    ]
    for (let round = 0; round < 3; round++) {
      for (const header of headers) {
        expect(read(header), String(header)).toBe(writeKeyFromAuthorization(header))
      }
    }
  })
})

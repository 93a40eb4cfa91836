import { describe, expect, it } from 'vitest'
import { isAuthorizedAdmin } from './admin-auth.js'

const TOKEN = 'admin-token-0123456789'
const tokens = (): readonly string[] => [TOKEN]

describe('isAuthorizedAdmin', () => {
  it('accepts the token as a Bearer header, scheme in any case', () => {
    expect(isAuthorizedAdmin(`Bearer ${TOKEN}`, undefined, tokens)).toBe(true)
    expect(isAuthorizedAdmin(`bearer ${TOKEN}`, undefined, tokens)).toBe(true)
    expect(isAuthorizedAdmin(`BEARER   ${TOKEN} `, undefined, tokens)).toBe(true)
  })

  it('accepts the token from the query string when there is no Bearer header', () => {
    expect(isAuthorizedAdmin(undefined, TOKEN, tokens)).toBe(true)
    expect(isAuthorizedAdmin('Basic abc', TOKEN, tokens)).toBe(true)
  })

  it('prefers the header: a wrong Bearer token is refused even with a right query token', () => {
    expect(isAuthorizedAdmin('Bearer wrong-token-000000', TOKEN, tokens)).toBe(false)
  })

  it('refuses wrong, missing and empty tokens', () => {
    expect(isAuthorizedAdmin('Bearer wrong', undefined, tokens)).toBe(false)
    expect(isAuthorizedAdmin(`Bearer ${TOKEN}x`, undefined, tokens)).toBe(false)
    expect(isAuthorizedAdmin(`Bearer ${TOKEN.slice(0, -1)}`, undefined, tokens)).toBe(false)
    expect(isAuthorizedAdmin(undefined, 'wrong', tokens)).toBe(false)
    expect(isAuthorizedAdmin(undefined, undefined, tokens)).toBe(false)
    expect(isAuthorizedAdmin('Bearer ', undefined, tokens)).toBe(false)
    expect(isAuthorizedAdmin(undefined, '', tokens)).toBe(false)
    expect(isAuthorizedAdmin(TOKEN, undefined, tokens)).toBe(false) // no scheme
    expect(isAuthorizedAdmin(`Bearer ${TOKEN}`, undefined, () => [])).toBe(false)
    expect(isAuthorizedAdmin('Bearer ', '', () => [''])).toBe(false)
  })

  it('accepts any configured token and reads tokens() on every call (reload)', () => {
    let current: string[] = ['first-token-0123456789']
    const source = (): readonly string[] => current
    expect(isAuthorizedAdmin('Bearer first-token-0123456789', undefined, source)).toBe(true)
    current = ['second-token-0123456789', 'third-token-0123456789']
    expect(isAuthorizedAdmin('Bearer first-token-0123456789', undefined, source)).toBe(false)
    expect(isAuthorizedAdmin('Bearer second-token-0123456789', undefined, source)).toBe(true)
    expect(isAuthorizedAdmin(undefined, 'third-token-0123456789', source)).toBe(true)
  })
})

import { describe, expect, it } from 'vitest'
import {
  columnName,
  eventTableName,
  quoteIdentifier,
  safeIdentifier,
  snakeCase,
  sourceSchemaName,
} from './naming.js'

describe('snakeCase (go-snakecase rules)', () => {
  it.each([
    ['sample text', 'sample_text'],
    ['sample-text', 'sample_text'],
    ['sample_text', 'sample_text'],
    ['sample___text', 'sample_text'],
    ['sampleText', 'sample_text'],
    ['inviteYourCustomersAddInvites', 'invite_your_customers_add_invites'],
    ['sample 2 Text', 'sample_2_text'],
    ['   sample   2    Text   ', 'sample_2_text'],
    ['   $#$sample   2    Text   ', 'sample_2_text'],
    ['SAMPLE 2 TEXT', 'sample_2_text'],
    ['___$$Base64Encode', 'base64_encode'],
    ['FOO:BAR$BAZ', 'foo_bar_baz'],
    ['something.com', 'something_com'],
    ['$something%', 'something'],
    ['•¶§ƒ˚foo˙∆˚¬', 'foo'],
    ['Order Completed', 'order_completed'],
    ['userId', 'user_id'],
    ['_private', '_private'],
    ['', ''],
    ['$$$', ''],
  ])('%j → %j', (input, expected) => {
    expect(snakeCase(input)).toBe(expected)
  })
})

describe('identifiers', () => {
  it('prefixes a leading digit and keeps long names within 63 bytes, distinct and stable', () => {
    expect(safeIdentifier('3d_secure')).toBe('_3d_secure')
    const a = safeIdentifier('a'.repeat(70))
    const b = safeIdentifier(`${'a'.repeat(69)}b`)
    expect(a).toHaveLength(63)
    expect(b).toHaveLength(63)
    expect(a).not.toBe(b)
    expect(safeIdentifier('a'.repeat(70))).toBe(a)
  })

  it('joins flattened paths with _ after snake-casing each part, skipping empty parts', () => {
    expect(columnName(['context', 'app', 'buildNumber'])).toBe('context_app_build_number')
    expect(columnName(['address', '$', 'street'])).toBe('address_street')
    expect(columnName(['$$'])).toBe('')
  })

  it('names per-event tables and keeps them off the standard tables', () => {
    expect(eventTableName('Order Completed')).toBe('order_completed')
    expect(eventTableName('Users')).toBe('users_event')
    expect(eventTableName('!!!')).toBe('unnamed_event')
    expect(eventTableName('1st Purchase')).toBe('_1st_purchase')
  })

  it('names source schemas, with an optional prefix', () => {
    expect(sourceSchemaName('iOS-App')).toBe('i_os_app')
    expect(sourceSchemaName('web', 'acme')).toBe('acme_web')
    expect(sourceSchemaName('***')).toBe('source')
  })

  it('quotes identifiers', () => {
    expect(quoteIdentifier('user')).toBe('"user"')
    expect(quoteIdentifier('a"b')).toBe('"a""b"')
  })
})

import { describe, expect, it } from 'vitest'
import {
  ibanValid,
  knownCardPrefix,
  luhnValid,
  ninoValid,
  nirValid,
  ssnValid,
} from './checksums.js'

describe('checksums', () => {
  it('Luhn accepts card test numbers and rejects a changed digit', () => {
    expect(luhnValid('4242424242424242')).toBe(true)
    expect(luhnValid('4242424242424241')).toBe(false)
    expect(luhnValid('378282246310005')).toBe(true)
    expect(luhnValid('')).toBe(false)
    expect(luhnValid('42a2')).toBe(false)
  })

  it('knows issuer prefixes and their lengths', () => {
    expect(knownCardPrefix('4242424242424242')).toBe(true)
    expect(knownCardPrefix('2221000000000009')).toBe(true)
    expect(knownCardPrefix('378282246310005')).toBe(true)
    expect(knownCardPrefix('3782822463100050')).toBe(false) // Amex is 15 digits
    expect(knownCardPrefix('1234567890123452')).toBe(false)
  })

  it('IBAN: country length and mod 97', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true)
    expect(ibanValid('DE89370400440532013001')).toBe(false)
    expect(ibanValid('DE8937040044053201300')).toBe(false)
    expect(ibanValid('XX89370400440532013000')).toBe(false)
  })

  it('SSN: excluded areas, groups and serials', () => {
    expect(ssnValid('123456789')).toBe(true)
    for (const bad of [
      '000456789',
      '666456789',
      '912456789',
      '123006789',
      '123450000',
      '12345678',
    ]) {
      expect(ssnValid(bad), bad).toBe(false)
    }
  })

  it('UK NINO: letters, reserved prefixes, suffix', () => {
    expect(ninoValid('AB123456C')).toBe(true)
    expect(ninoValid('GB123456A')).toBe(false)
    expect(ninoValid('DA123456A')).toBe(false)
    expect(ninoValid('AB123456E')).toBe(false)
  })

  it('French NIR: key is 97 minus the number mod 97, Corsica included', () => {
    expect(nirValid('185057800608491')).toBe(true)
    expect(nirValid('185057800608492')).toBe(false)
    expect(nirValid('185052A01000195')).toBe(true)
    expect(nirValid('585057800608491')).toBe(false)
  })
})

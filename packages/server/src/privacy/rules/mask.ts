/**
 * Masking that keeps a value's shape: an e-mail keeps its first letters and top-level domain
 * (`j***@e***.com`), numbers keep their separators and last four characters
 * (`**** **** **** 4242`), IP addresses their network half (`203.0.*.*`), other text the
 * first letter of each word (`J*** D**`). Pure; the result is always a string.
 */
import { isIP } from 'node:net'
import type { PiiKind } from '../pii/model.js'

const KEEP_LAST_FOUR: ReadonlySet<string> = new Set([
  'payment_card',
  'phone',
  'national_id',
  'bank_account',
  'passport',
  'device_id',
])

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@')
  const local = value.slice(0, at)
  const domain = value.slice(at + 1)
  const dot = domain.lastIndexOf('.')
  const tld = dot >= 0 ? domain.slice(dot) : ''
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***${tld}`
}

function maskKeepLast(value: string, keep: number): string {
  let seen = 0
  const total = (value.match(/[\p{L}\p{N}]/gu) ?? []).length
  return value.replace(/[\p{L}\p{N}]/gu, (ch) => (++seen > total - keep ? ch : '*'))
}

function maskIp(value: string): string {
  if (isIP(value) === 4) {
    return value
      .split('.')
      .map((part, i) => (i < 2 ? part : '*'))
      .join('.')
  }
  return value
    .split(':')
    .map((part, i) => (i < 2 || part === '' ? part : '*'))
    .join(':')
}

function maskWords(value: string): string {
  return value.replace(/[\p{L}\p{N}]+/gu, (word) => word.slice(0, 1) + '*'.repeat(word.length - 1))
}

/** The masked form of a value of the given kind. */
export function maskValue(value: unknown, kind: PiiKind): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (kind === 'credential') return '*'.repeat(Math.min(8, Math.max(3, text.length)))
  if (text.includes('@') && /^[^\s@]+@[^\s@]+$/.test(text.trim())) return maskEmail(text.trim())
  if (kind === 'ip_address' && isIP(text) !== 0) return maskIp(text)
  if (KEEP_LAST_FOUR.has(kind)) {
    return maskKeepLast(text, text.replace(/[^\p{L}\p{N}]/gu, '').length > 8 ? 4 : 2)
  }
  if (typeof value !== 'string') return text.replace(/\d/g, '*')
  return maskWords(text)
}

/**
 * Encrypts secret settings at rest: AES-256-GCM with a 32-byte key, a random 12-byte IV per
 * value, sealed as `v1:<iv>:<tag>:<ciphertext>` (base64url) inside `{"$sealed": …}`. A value
 * that fails authentication (wrong key, altered text) is an error, never garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { DestinationErrors } from './errors.js'

export interface SealedValue {
  $sealed: string
}

export function isSealed(value: unknown): value is SealedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { $sealed?: unknown }).$sealed === 'string'
  )
}

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes')
  }

  seal(value: unknown): SealedValue {
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv)
    const text = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
    const parts = [iv, cipher.getAuthTag(), text].map((b) => b.toString('base64url'))
    return { $sealed: `v1:${parts.join(':')}` }
  }

  open(sealed: SealedValue): unknown {
    const [version, iv, tag, text] = sealed.$sealed.split(':')
    if (version !== 'v1' || !iv || !tag || text === undefined) throw DestinationErrors.sealed()
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'))
      decipher.setAuthTag(Buffer.from(tag, 'base64url'))
      const plain = Buffer.concat([
        decipher.update(Buffer.from(text, 'base64url')),
        decipher.final(),
      ])
      return JSON.parse(plain.toString('utf8')) as unknown
    } catch (cause) {
      throw DestinationErrors.sealed(undefined, { cause })
    }
  }
}

/** The mask shown instead of a secret value in API answers and logs. */
export const SECRET_MASK = '••••••••'

/** Replaces the values of `secrets` keys that are set with {@link SECRET_MASK}. */
export function maskSettings(
  settings: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  const out = { ...settings }
  for (const key of secrets) {
    if (out[key] !== undefined && out[key] !== null && out[key] !== '') out[key] = SECRET_MASK
  }
  return out
}

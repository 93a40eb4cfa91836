import { randomBytes } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A new plan id: `tp_` and 24 base-62 characters (about 143 random bits). */
export function newPlanId(): string {
  let out = 'tp_'
  while (out.length < 27) {
    for (const byte of randomBytes(32)) {
      // 248 = 4 × 62: rejecting larger bytes keeps every character equally likely.
      if (byte < 248 && out.length < 27) out += BASE62[byte % 62]
    }
  }
  return out
}

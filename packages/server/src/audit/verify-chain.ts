import type { AuditStore } from './audit-store.js'
import { chainHash, GENESIS_HASH } from './chain.js'
import type { AuditVerification } from './model.js'

const PAGE = 1000

/**
 * Walks the whole log oldest first in pages and recomputes every hash. Reports the first entry
 * that breaks the chain: its stored hash differs from the recomputed one (`hash`: a field was
 * changed), its `prevHash` differs from the previous entry's hash (`link`), or ids skip
 * (`gap`: an entry was removed). Reads only; entries appended meanwhile are checked too.
 */
export async function verifyAuditChain(store: AuditStore): Promise<AuditVerification> {
  let previousHash = GENESIS_HASH
  let previousId = 0
  let checked = 0
  for (;;) {
    const rows = await store.scan(previousId, PAGE)
    for (const row of rows) {
      const broken = (reason: 'hash' | 'link' | 'gap'): AuditVerification => ({
        intact: false,
        checked,
        firstBrokenId: row.id,
        reason,
      })
      if (row.id !== previousId + 1) return broken('gap')
      if (row.prevHash !== previousHash) return broken('link')
      const { prevHash: _prev, hash, ...entry } = row
      if (chainHash(previousHash, entry) !== hash) return broken('hash')
      checked += 1
      previousHash = hash
      previousId = row.id
    }
    if (rows.length < PAGE) return { intact: true, checked, firstBrokenId: null, reason: null }
  }
}

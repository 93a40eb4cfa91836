import { describeIdentityStoreContract } from '../identity/identity-store.contract.js'
import { MemoryIdentityStore } from './memory-identity-store.js'

const NOW = Date.parse('2026-03-01T00:00:00.000Z')

describeIdentityStoreContract('memory', () => {
  const store = new MemoryIdentityStore(() => NOW)
  return Promise.resolve({
    identityStore: store,
    eventStore: store.eventStore,
    now: NOW,
    tables: {
      edges: () => Promise.resolve(store.snapshot().edges),
      profileEvents: () =>
        Promise.resolve(
          [...store.snapshot().profileEvents.values()].sort((a, b) =>
            a.seq !== b.seq ? a.seq - b.seq : a.collection < b.collection ? -1 : 1,
          ),
        ),
      rebuilds: () => Promise.resolve(store.snapshot().rebuilds),
      settingMeta: (key) => Promise.resolve(store.settingMeta(key)),
    },
    close: () => Promise.resolve(),
  })
})

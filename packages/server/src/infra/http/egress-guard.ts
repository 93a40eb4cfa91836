/**
 * The egress guard: refuses connections to loopback, link-local, private and other
 * non-public address ranges, checked on the addresses DNS returned (so a public name that
 * resolves to 10.0.0.1 is refused too), plus IP literals before any connection.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns'
import { BlockList, isIP } from 'node:net'

/** Ranges that are not the public internet (RFC 6890 and friends). */
const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata endpoints live here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
]
const BLOCKED_V6: readonly [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
]

const blockList = new BlockList()
for (const [net, prefix] of BLOCKED_V4) blockList.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of BLOCKED_V6) blockList.addSubnet(net, prefix, 'ipv6')

/**
 * True when `address` (an IPv4 or IPv6 literal, brackets allowed) is in a blocked range.
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are checked as their IPv4 address.
 * Anything that is not an IP literal returns false.
 */
export function isBlockedAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const family = isIP(bare)
  if (family === 0) return false
  return blockList.check(bare, family === 4 ? 'ipv4' : 'ipv6')
}

/** The error the guard fails a connection with; the HTTP client maps it to `EGRESS_BLOCKED`. */
export class EgressBlockedError extends Error {
  readonly code = 'EGRESS_BLOCKED'
  constructor(host: string, address: string) {
    super(`egress to ${host} (${address}) is blocked: not a public address`)
    this.name = 'EgressBlockedError'
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void

/**
 * A `dns.lookup` replacement for `net.connect`'s `lookup` option: resolves as usual, then
 * fails with {@link EgressBlockedError} when any returned address is blocked (refusing the
 * whole answer, not filtering it, so a DNS answer mixing public and private addresses cannot
 * be used to reach the private one).
 */
export function guardedLookup(
  hostname: string,
  options: LookupOptions,
  callback: LookupCallback,
): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) {
      callback(error, [])
      return
    }
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address))
    if (blocked) {
      callback(new EgressBlockedError(hostname, blocked.address), [])
      return
    }
    const first = addresses[0]
    if (options.all === true) callback(null, addresses)
    else if (first) callback(null, first.address, first.family)
    else callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), [])
  })
}

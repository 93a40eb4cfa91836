import type { IncomingMessage } from 'node:http'
import proxyAddr from '@fastify/proxy-addr'

/** Whether a proxy at `addr`, `hop` steps from this server, is trusted. */
export type TrustProxy = (addr: string, hop: number) => boolean

/**
 * Compiles the `server.trustProxy` setting once, for Fastify and for the tracking handler
 * alike: false trusts no proxy; true every hop; a number the first N hops; a list the given
 * addresses or CIDRs.
 */
export function compileTrustProxy(trust: boolean | number | readonly string[]): TrustProxy | false {
  if (trust === false) return false
  if (trust === true) return () => true
  if (typeof trust === 'number') return (_addr, hop) => hop < trust
  return proxyAddr.compile([...trust])
}

/**
 * The client address of a request, as Fastify computes `request.ip`: the socket address when
 * no proxy is trusted; else the first untrusted address walking `X-Forwarded-For` from the
 * right.
 */
export function createClientIp(
  trust: TrustProxy | false,
): (req: IncomingMessage) => string | undefined {
  if (trust === false) return (req) => req.socket.remoteAddress
  return (req) => proxyAddr(req, trust)
}

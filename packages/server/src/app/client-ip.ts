import type { IncomingMessage } from 'node:http'
import proxyAddr from '@fastify/proxy-addr'

/**
 * The client address of a request under the `server.trustProxy` setting, as Fastify computes
 * `request.ip`: the socket address when no proxy is trusted; else the first untrusted address
 * walking `X-Forwarded-For` from the right (true trusts every hop, a number the first N, a
 * list the given addresses or CIDRs).
 */
export function createClientIp(
  trust: boolean | number | readonly string[],
): (req: IncomingMessage) => string | undefined {
  if (trust === false) return (req) => req.socket.remoteAddress
  const isTrusted =
    trust === true
      ? (): boolean => true
      : typeof trust === 'number'
        ? (_addr: string, hop: number): boolean => hop < trust
        : proxyAddr.compile([...trust])
  return (req) => proxyAddr(req, isTrusted)
}

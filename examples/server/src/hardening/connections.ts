/**
 * Connection limits: Node's own timeouts for slow clients (a body dripped a byte a second is cut
 * off at the request timeout with 408, headers at the headers timeout), and caps on open
 * connections in all and per client address, so that slow or idle clients cannot hold every
 * socket. The per-client cap exempts trusted proxies: behind a load balancer all connections
 * come from it.
 *
 * @module
 */
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import type { HttpLimits } from '../config.js'
import { bucketsOf } from './client-address.js'

/**
 * The `http.ServerOptions` Fastify passes to Node: how often Node looks for requests past their
 * timeout (its default, 30 s, would let a short timeout run 30 s late), and the headers timeout.
 */
export function serverOptionsOf(limits: HttpLimits): {
  connectionsCheckingInterval: number
  headersTimeout: number
  requestTimeout: number
} {
  const shortest = Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs)
  return {
    connectionsCheckingInterval: Math.min(5_000, Math.max(50, Math.floor(shortest / 4))),
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
  }
}

/**
 * Applies the caps to the listening server: `maxConnections` in all (Node drops the others at
 * once), and at most `maxConnectionsPerClient` per client (IPv4 address, IPv6 /64), except from
 * `isTrustedProxy` peers.
 */
export function limitConnections(
  server: Server,
  limits: HttpLimits,
  isTrustedProxy: (address: string) => boolean,
): void {
  server.maxConnections = limits.maxConnections
  server.headersTimeout = limits.headersTimeoutMs
  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? ''
    if (isTrustedProxy(address)) return
    const key = bucketsOf(address).client
    const count = (open.get(key) ?? 0) + 1
    if (count > limits.maxConnectionsPerClient) {
      socket.destroy()
      return
    }
    open.set(key, count)
    socket.once('close', () => {
      const left = (open.get(key) ?? 1) - 1
      if (left <= 0) open.delete(key)
      else open.set(key, left)
    })
  })
}

/**
 * Who a request comes from, for limits: an IPv4 client is its address and its network the /24;
 * an IPv6 client is its /64 (one subscriber's usual allocation: per address would let one
 * subscriber take 2^64 keys) and its network the /48. IPv4-mapped IPv6 addresses count as IPv4.
 * Behind trusted proxies `request.ip` is already the forwarded client address (Fastify's
 * `trustProxy`, configured from `TRUST_PROXY` only); otherwise it is the socket's peer.
 *
 * @module
 */
import { BlockList, isIP } from 'node:net'
import type { ClientBuckets } from '../storage/types.js'

/** The eight 16-bit groups of an IPv6 address (already checked by `isIP`), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.split('%')[0] ?? ''
  const tail: number[] = []
  // A trailing dotted IPv4 part (::ffff:192.0.2.1) is the last two groups.
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted !== null) {
    const o = (dotted[2] ?? '').split('.').map(Number)
    tail.push(((o[0] ?? 0) << 8) | (o[1] ?? 0), ((o[2] ?? 0) << 8) | (o[3] ?? 0))
    text = dotted[1] ?? ''
    if (!text.endsWith('::')) text = text.slice(0, -1)
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)))
  const [head = '', rest] = text.split('::')
  const left = parse(head)
  const right = [...parse(rest ?? ''), ...tail]
  const fill = rest === undefined ? [] : Array<number>(8 - left.length - right.length).fill(0)
  const groups = [...left, ...fill, ...right]
  if (groups.length !== 8 || groups.some((g) => !Number.isInteger(g) || g < 0 || g > 0xffff)) {
    return undefined
  }
  return groups
}

const hex = (groups: number[]) => groups.map((g) => g.toString(16)).join(':')

/** The client and network buckets of an address (`request.ip`). */
export function bucketsOf(address: string | undefined): ClientBuckets {
  const ip = address ?? ''
  const version = isIP(ip.split('%')[0] ?? '')
  if (version === 4) {
    return { client: ip, network: `${ip.split('.').slice(0, 3).join('.')}.0/24` }
  }
  if (version === 6) {
    const groups = ipv6Groups(ip)
    if (groups !== undefined) {
      // ::ffff:a.b.c.d is an IPv4 client reached over an IPv6 socket.
      if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
        const v4 = [groups[6] ?? 0, groups[7] ?? 0].flatMap((g) => [g >> 8, g & 0xff]).join('.')
        return bucketsOf(v4)
      }
      return {
        client: `${hex(groups.slice(0, 4))}::/64`,
        network: `${hex(groups.slice(0, 3))}::/48`,
      }
    }
  }
  // Not an address (a test transport, a Unix socket): one bucket for all of them.
  return { client: `other:${ip}`, network: 'other' }
}

/** Parses `TRUST_PROXY` entries (addresses or CIDRs) into a matcher; Fastify gets the list. */
export function createProxyMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList()
  for (const entry of entries) {
    const [address = '', prefixText] = entry.split('/')
    const version = isIP(address)
    const max = version === 4 ? 32 : 128
    const prefix = prefixText === undefined ? max : Number(prefixText)
    if (
      version === 0 ||
      (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) ||
      !(prefix >= 0 && prefix <= max)
    ) {
      throw new TypeError(
        `TRUST_PROXY: ${JSON.stringify(entry)} is not an IP address or CIDR (e.g. 10.0.0.0/8, fd00::/8).`,
      )
    }
    const type = version === 4 ? 'ipv4' : 'ipv6'
    if (prefix === max) list.addAddress(address, type)
    else list.addSubnet(address, prefix, type)
  }
  return (address) => {
    const version = isIP(address)
    return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6')
  }
}

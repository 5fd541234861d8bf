import { describe, expect, it } from 'vitest'
import {
  checkStatusListUrl,
  classifyAddress,
  parseDevelopmentOrigin,
  parseDevelopmentOrigins,
  parseIpv6,
} from '../../src/status/network-policy.js'

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['203.0.114.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:8.8.8.8', 'public'],
    ['::127.0.0.1', 'reserved'],
    ['64:ff9b::7f00:1', 'loopback'],
    ['64:ff9b::808:808', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:0808:0808::1', 'public'],
    ['2001::1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['100::1', 'reserved'],
    ['fe80::1%eth0', 'reserved'],
    ['localhost', 'reserved'],
    ['1.2.3', 'reserved'],
    ['01.2.3.4', 'reserved'],
    ['256.1.1.1', 'reserved'],
    ['1::2::3', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected)
  })

  it('parses every IPv6 text form to 16 bytes', () => {
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toHaveLength(16)
    expect(parseIpv6('1:2:3:4:5:6:1.2.3.4')).toHaveLength(16)
    expect(parseIpv6('::')).toEqual(new Array(16).fill(0))
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeUndefined()
    expect(parseIpv6('1:2:3:4:5:6:7')).toBeUndefined()
    expect(parseIpv6('12345::')).toBeUndefined()
  })
})

describe('checkStatusListUrl', () => {
  it('accepts public https URLs', () => {
    expect(checkStatusListUrl('https://status.example/list/1', {}).hostname).toBe('status.example')
  })

  it.each([
    ['http (no allowHttp)', 'http://status.example/1', /https only/],
    ['ftp', 'ftp://status.example/1', /https only/],
    ['file', 'file:///etc/passwd', /https only/],
    ['data', 'data:application/json,{}', /https only/],
    ['user info', 'https://user:pw@status.example/1', /user name/],
    ['loopback literal', 'https://127.0.0.1/1', /loopback/],
    ['octal loopback', 'https://0177.0.0.1/1', /loopback/],
    ['hex loopback', 'https://0x7f.1/1', /loopback/],
    ['IPv6 loopback', 'https://[::1]/1', /loopback/],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/1', /loopback/],
    ['localhost', 'https://localhost/1', /loopback/],
    ['sub.localhost', 'https://a.b.localhost./1', /loopback/],
    ['metadata endpoint', 'https://169.254.169.254/latest', /link-local/],
    ['private', 'https://10.0.0.8/1', /private/],
    ['unspecified', 'https://0.0.0.0/1', /unspecified/],
    ['not a URL', 'status list', /Not a URL/],
  ])('refuses %s', (_name, url, why) => {
    expect(() => checkStatusListUrl(url, {})).toThrow(why)
  })

  it('allows http, loopback and private networks only when asked', () => {
    expect(() => checkStatusListUrl('http://127.0.0.1:8080/1', { allowHttp: true })).toThrow(
      /loopback/,
    )
    expect(
      checkStatusListUrl('http://127.0.0.1:8080/1', { allowHttp: true, allowLoopback: true }).port,
    ).toBe('8080')
    expect(() => checkStatusListUrl('https://10.0.0.8/1', { allowLoopback: true })).toThrow()
    expect(checkStatusListUrl('https://10.0.0.8/1', { allowPrivateNetworks: true }).hostname).toBe(
      '10.0.0.8',
    )
    expect(() =>
      checkStatusListUrl('https://0.0.0.0/1', { allowPrivateNetworks: true, allowLoopback: true }),
    ).toThrow()
  })
})

describe('parseDevelopmentOrigin', () => {
  it.each([
    ['http://localhost:8080', 'http://localhost:8080'],
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https://[::1]:8443', 'https://[::1]:8443'],
    ['http://localhost', 'http://localhost'],
  ])('accepts %s', (value, origin) => {
    expect(parseDevelopmentOrigin(value)).toBe(origin)
  })

  it.each([
    ['http://example.com:8080', /not on this machine/],
    ['http://10.0.0.5:8080', /not on this machine/],
    ['http://127.0.0.2:8080', /not on this machine/],
    ['http://app.localhost:8080', /not on this machine/],
    ['http://localhost.example.com', /not on this machine/],
    ['http://localhost:8080/status', /origin only/],
    ['http://localhost:8080?x=1', /origin only/],
    ['http://user:pw@localhost:8080', /origin only/],
    ['http://localhost:80', /origin only/],
    ['http://LOCALHOST:8080', /origin only/],
    ['ftp://localhost:21', /http: or https:/],
    ['localhost:8080', /http: or https:/],
    ['not a url', /not a URL/],
    ['', /non-empty/],
  ])('refuses %s', (value, why) => {
    expect(() => parseDevelopmentOrigin(value)).toThrow(why)
  })

  it('refuses a list that is not an array, and dedupes', () => {
    expect(() => parseDevelopmentOrigins('http://localhost:8080')).toThrow(TypeError)
    expect(parseDevelopmentOrigins(['http://localhost:1', 'http://localhost:1/'])).toEqual([
      'http://localhost:1',
    ])
  })
})

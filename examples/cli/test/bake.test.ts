/**
 * `certify-vc bake` / `unbake`, and `verify` and `wallet import` on baked badges (Open Badges 3.0
 * §5.3): the badge holds the credential in an iTXt chunk "openbadgecredential" (PNG) or an
 * <openbadges:credential> element (SVG), verifies as the JSON file does, and a credential altered
 * inside the image fails its proof.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { IssuerKey } from '@certify-vc/issuer'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import { credentialFor, jsonText, makeTempDir, removeTempDir, savedKey, testIo } from './helpers.js'

/** The chunks of a PNG, read independently of the code under test. */
function pngChunks(png: Buffer): { type: string; start: number; data: Buffer }[] {
  const chunks = []
  for (let o = 8; o < png.length;) {
    const length = png.readUInt32BE(o)
    chunks.push({
      type: png.toString('latin1', o + 4, o + 8),
      start: o,
      data: png.subarray(o + 8, o + 8 + length),
    })
    o += 12 + length
  }
  return chunks
}

/** `png` with the text of its credential chunk replaced and the chunk's CRC recomputed. */
function editCredentialChunk(png: Buffer, edit: (text: string) => string): Buffer {
  const chunk = pngChunks(png).find((c) => c.type === 'iTXt')!
  const header = chunk.data.subarray(0, 'openbadgecredential'.length + 5)
  const text = Buffer.from(edit(chunk.data.subarray(header.length).toString('utf8')), 'utf8')
  const data = Buffer.concat([header, text])
  const replaced = Buffer.alloc(12 + data.length)
  replaced.writeUInt32BE(data.length, 0)
  replaced.write('iTXt', 4, 'latin1')
  data.copy(replaced, 8)
  replaced.writeUInt32BE(crc32(replaced.subarray(4, 8 + data.length)), 8 + data.length)
  return Buffer.concat([
    png.subarray(0, chunk.start),
    replaced,
    png.subarray(chunk.start + 12 + chunk.data.length),
  ])
}

describe('certify-vc bake / unbake / verify <badge>', () => {
  let dir: string
  let key: IssuerKey
  let text: string
  const run = async (...args: string[]) => {
    const io = testIo({ cwd: dir })
    const code = await runCli(args, io)
    return { code, out: io.out(), err: io.err() }
  }

  beforeAll(async () => {
    dir = await makeTempDir()
    ;({ key } = await savedKey(dir))
    text = jsonText(await credentialFor(key, 'CAAE'))
    await writeFile(join(dir, 'caae.json'), text)
  })
  afterAll(() => removeTempDir(dir))

  it('bake --out badge.png writes a PNG whose iTXt chunk "openbadgecredential" holds the credential file', async () => {
    const baked = await run('bake', 'caae.json', '--out', 'caae.png')
    expect(baked).toMatchObject({ code: 0, out: '' })
    expect(baked.err).toContain('(PNG, ')
    const png = await readFile(join(dir, 'caae.png'))
    const itxt = pngChunks(png).filter((c) => c.type === 'iTXt')
    expect(itxt).toHaveLength(1)
    const data = itxt[0]!.data
    expect(data.subarray(0, 24)).toEqual(
      Buffer.concat([Buffer.from('openbadgecredential'), Buffer.from([0, 0, 0, 0, 0])]),
    )
    expect(data.subarray(24).toString('utf8')).toBe(text)
    for (const c of pngChunks(png)) {
      const end = c.start + 8 + c.data.length
      expect(png.readUInt32BE(end)).toBe(crc32(png.subarray(c.start + 4, end)))
    }
  })

  it('verify badge.png exits 0 (verified), as for the JSON file', async () => {
    const ok = await run('verify', 'caae.png', '--trust', key.did)
    expect(ok.code).toBe(0)
    expect(ok.out).toContain(
      'Verifying caae.png, a baked PNG badge (1 trusted issuer from --trust)',
    )
    expect(ok.out).toContain('VERIFIED: CAAE — Certified AI Application Engineer (CAAE)')
    const json = await run('verify', 'caae.json', '--trust', key.did, '--json')
    const png = await run('verify', 'caae.png', '--trust', key.did, '--json')
    expect(png.out).toBe(json.out)
  })

  it('a credential altered inside the PNG chunk (CRC fixed) exits 1 with ERR_PROOF_INVALID', async () => {
    const png = await readFile(join(dir, 'caae.png'))
    const tampered = editCredentialChunk(png, (t) =>
      t.replace('"Ada Lovelace"', '"Mallory Mallet"'),
    )
    await writeFile(join(dir, 'caae-tampered.png'), tampered)
    const bad = await run('verify', 'caae-tampered.png', '--trust', key.did)
    expect(bad.code).toBe(1)
    expect(bad.out).toMatch(/✗ proof .*\n {6}ERR_PROOF_INVALID/)
    expect(bad.out).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
  })

  it('a PNG damaged without fixing its CRC exits 1 with ERR_INPUT_BAKED_INVALID', async () => {
    const png = await readFile(join(dir, 'caae.png'))
    const chunk = pngChunks(png).find((c) => c.type === 'iTXt')!
    const damaged = Buffer.from(png)
    damaged[chunk.start + 40] = damaged[chunk.start + 40]! ^ 1
    await writeFile(join(dir, 'caae-damaged.png'), damaged)
    const bad = await run('verify', 'caae-damaged.png', '--trust', key.did)
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('NOT VERIFIED: input failed — ERR_INPUT_BAKED_INVALID')
  })

  it('bake --out badge.svg, verify exits 0; altered inside the SVG, exit 1 with ERR_PROOF_INVALID', async () => {
    expect((await run('bake', 'caae.json', '--out', 'caae.svg')).code).toBe(0)
    const svg = await readFile(join(dir, 'caae.svg'), 'utf8')
    expect(svg).toContain(
      'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"><openbadges:credential><![CDATA[',
    )
    expect((await run('verify', 'caae.svg', '--trust', key.did)).code).toBe(0)
    await writeFile(
      join(dir, 'caae-tampered.svg'),
      svg.replace('"Ada Lovelace"', '"Mallory Mallet"'),
    )
    const bad = await run('verify', 'caae-tampered.svg', '--trust', key.did)
    expect(bad.code).toBe(1)
    expect(bad.out).toContain('NOT VERIFIED: proof failed — ERR_PROOF_INVALID')
  })

  it('unbake gives the credential back byte for byte (stdout or --out)', async () => {
    for (const badge of ['caae.png', 'caae.svg']) {
      const out = await run('unbake', badge)
      expect(out).toMatchObject({ code: 0, out: text })
      expect((await run('unbake', badge, '--out', 'back.json')).code).toBe(0)
      expect(await readFile(join(dir, 'back.json'), 'utf8')).toBe(text)
    }
  })

  it('an image without a credential: unbake and verify exit 1 with ERR_INPUT_BAKED_NOT_FOUND', async () => {
    const plain = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    await writeFile(join(dir, 'plain.svg'), plain)
    const unbaked = await run('unbake', 'plain.svg')
    expect(unbaked.code).toBe(1)
    expect(unbaked.err).toContain('error ERR_INPUT_BAKED_NOT_FOUND')
    const verified = await run('verify', 'plain.svg', '--trust', key.did)
    expect(verified.code).toBe(1)
    expect(verified.out).toContain('ERR_INPUT_BAKED_NOT_FOUND')
  })

  it('usage errors: no --out, an unknown extension, --out over the input, an image as credential', async () => {
    expect((await run('bake', 'caae.json')).code).toBe(2)
    const gif = await run('bake', 'caae.json', '--out', 'caae.gif')
    expect(gif.code).toBe(2)
    expect(gif.err).toContain('--out must end in .png or .svg')
    expect((await run('bake', 'caae.json', '--out', 'caae.json')).code).toBe(2)
    expect((await run('bake', 'caae.png', '--out', 'again.png')).code).toBe(2)
    expect((await run('unbake', 'caae.json')).code).toBe(2)
    expect((await run('bake', 'missing.json', '--out', 'x.png')).code).toBe(2)
  })

  it('refuses to bake an unsigned credential or into an already baked image (nothing written)', async () => {
    const unsigned = JSON.parse(text) as Record<string, unknown>
    delete unsigned.proof
    await writeFile(join(dir, 'unsigned.json'), jsonText(unsigned))
    const refused = await run('bake', 'unsigned.json', '--out', 'unsigned.png')
    expect(refused.code).toBe(1)
    expect(refused.err).toContain('error ERR_BAKE_CREDENTIAL_INVALID')
    await expect(readFile(join(dir, 'unsigned.png'))).rejects.toThrow()
    const again = await run('bake', 'caae.json', '--image', 'caae.png', '--out', 'twice.png')
    expect(again.code).toBe(1)
    expect(again.err).toContain('error ERR_BAKE_IMAGE_INVALID')
    expect(
      (await run('bake', 'caae.json', '--image', 'caae.png', '--replace', '--out', 'twice.png'))
        .code,
    ).toBe(0)
  })

  it('wallet import takes a baked badge and stores the credential inside', async () => {
    const wallet = join(dir, 'wallet')
    expect((await run('wallet', 'init', '--wallet-dir', wallet, '--trust', key.did)).code).toBe(0)
    const walletConfig = JSON.parse(await readFile(join(wallet, 'wallet.json'), 'utf8')) as {
      holder: string
    }
    const issued = await run(
      'issue',
      '--program',
      'AIMA',
      '--subject',
      walletConfig.holder,
      '--key',
      'issuer-key.json',
      '--out',
      'mine.json',
      '--without-status',
    )
    expect(issued.code).toBe(0)
    expect((await run('bake', 'mine.json', '--out', 'mine.png')).code).toBe(0)
    const imported = await run('wallet', 'import', 'mine.png', '--wallet-dir', wallet)
    expect(imported.code).toBe(0)
    expect(imported.out).toContain('✓ imported mine.png')
    const listed = await run('wallet', 'list', '--json', '--wallet-dir', wallet)
    const mine = JSON.parse(await readFile(join(dir, 'mine.json'), 'utf8')) as { id: string }
    expect(listed.out).toContain(mine.id)
  })
})

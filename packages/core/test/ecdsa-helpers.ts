/**
 * ECDSA test keys: `did:key` P-256 / P-384 key pairs made with `@digitalbazaar/ecdsa-multikey`
 * (WebCrypto), their signers, and raw compressed points for the encoding tests.
 */
import { didKeyFromPublicKeyMultibase, type MultikeyType } from '@certify-vc/context'
import type { Signer } from '@certify-vc/core'
import * as EcdsaMultikey from '@digitalbazaar/ecdsa-multikey'
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey'

/** A did:key key pair of `curve` with its signer (algorithm `P-256` / `P-384`). */
export async function ecdsaKey(curve: 'P-256' | 'P-384') {
  const probe = await EcdsaMultikey.generate({ curve })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  const exported = await probe.export({ publicKey: true, secretKey: true })
  const pair = await EcdsaMultikey.from({
    type: 'Multikey',
    id: verificationMethodId,
    controller: did,
    publicKeyMultibase: probe.publicKeyMultibase,
    secretKeyMultibase: String(exported.secretKeyMultibase),
  })
  const librarySigner = pair.signer()
  const signer: Signer = {
    id: verificationMethodId,
    algorithm: curve,
    sign: (input) => librarySigner.sign(input),
  }
  return { did, verificationMethodId, publicKeyMultibase: probe.publicKeyMultibase, signer, pair }
}

/** A did:key signer of any key type (Ed25519 from a fixed seed). */
export async function signerOf(type: MultikeyType): Promise<Signer> {
  if (type !== 'Ed25519') return (await ecdsaKey(type)).signer
  const seed = new Uint8Array(32).fill(7)
  const probe = await Ed25519Multikey.generate({ seed })
  const { did, verificationMethodId } = didKeyFromPublicKeyMultibase(probe.publicKeyMultibase)
  return (
    await Ed25519Multikey.generate({ seed, id: verificationMethodId, controller: did })
  ).signer()
}

/**
 * `@certify-vc/example-wallet`: a learner's wallet for certify-vc credentials (a `did:key`, a
 * folder of verified credentials, presentations for employers, QR hand-off).
 *
 * @module
 */
export {
  Wallet,
  initWallet,
  openWallet,
  standingOf,
  type CredentialStanding,
  type ImportResult,
  type InitWalletOptions,
  type PresentOptions,
  type WalletEntry,
  type WalletVerifyOptions,
} from './wallet.js'
export { localIdOf, type StoredCredential, type WalletConfig } from './store.js'
export { receiveOffer, type ReceiveOptions, type ReceiveResult } from './receive.js'
export {
  MAX_QR_ALPHANUMERIC,
  presentationFromQr,
  presentationToQr,
  qrToPng,
  qrToRgba,
  qrToSvg,
  qrToTerminal,
  readQrPixels,
  type PresentationQr,
  type QrImageOptions,
} from './qr.js'

/**
 * The camera QR scan of the checker (issue 16 item 4): frames of the device's camera are read in
 * this browser, a few times a second, by the same QR decoder as a chosen image (`qr.ts`), until
 * a code is found or the scan is stopped. Nothing leaves the device; the stream is stopped as
 * soon as a code is read. The checker's Permissions-Policy allows the camera for this origin only;
 * without a camera, or when it may not be used, the caller offers the photo fallback.
 *
 * @module
 */
import { decodeQrPixels } from './qr.js'

/** How often a frame is read, in ms. */
const FRAME_INTERVAL_MS = 200
/** Largest side a frame is scaled to before decoding, in pixels. */
const MAX_FRAME_SIDE = 1280

/** A running scan. */
export interface CameraScan {
  /** Resolves with the QR code's text, or rejects when the scan is stopped or fails. */
  readonly result: Promise<string>
  /** Stops the camera (the result rejects with "stopped" if nothing was read yet). */
  stop(): void
}

/** Why the camera could not be used, in plain words. */
export function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : ''
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return 'The camera may not be used here (permission was refused).'
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return 'This device has no camera that can be used.'
  }
  if (name === 'NotReadableError') return 'The camera is in use by another application.'
  return error instanceof Error ? error.message : 'The camera could not be started.'
}

/**
 * Starts the camera into `video` and reads frames until a QR code is found.
 *
 * @throws {Error} (the returned promise rejects) when the browser has no camera access at all.
 */
export async function startCameraScan(video: HTMLVideoElement): Promise<CameraScan> {
  if (navigator.mediaDevices?.getUserMedia === undefined) {
    throw new Error('This browser cannot use a camera here.')
  }
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: 'environment' } },
    audio: false,
  })
  video.srcObject = stream
  await video.play()
  const canvas = document.createElement('canvas')
  const context = canvas.getContext('2d', { willReadFrequently: true })
  let timer: ReturnType<typeof setTimeout> | undefined
  let settle: { resolve(text: string): void; reject(error: Error): void } | undefined
  const result = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject }
  })
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }
  const tick = () => {
    timer = undefined
    if (context === null) {
      stop()
      settle?.reject(new Error('This browser cannot read camera frames.'))
      return
    }
    const width = video.videoWidth
    const height = video.videoHeight
    if (width > 0 && height > 0) {
      const scale = Math.min(1, MAX_FRAME_SIDE / Math.max(width, height))
      canvas.width = Math.round(width * scale)
      canvas.height = Math.round(height * scale)
      context.drawImage(video, 0, 0, canvas.width, canvas.height)
      const frame = context.getImageData(0, 0, canvas.width, canvas.height)
      const text = decodeQrPixels(frame.data, frame.width, frame.height)
      if (text !== undefined) {
        stop()
        settle?.resolve(text)
        return
      }
    }
    timer = setTimeout(tick, FRAME_INTERVAL_MS)
  }
  timer = setTimeout(tick, FRAME_INTERVAL_MS)
  return {
    result,
    stop() {
      if (timer === undefined && video.srcObject === null) return
      stop()
      settle?.reject(new Error('stopped'))
    },
  }
}

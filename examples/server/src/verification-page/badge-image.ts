/**
 * Which badge image the page shows for a program: one small function, so that the one place to
 * change is here when the project's badge images are served at `/certify/badges/<code>.svg`.
 * Until then it is the catalog's `achievement.image`, at its path on this server (the catalog
 * names it under the Institute's base URL; served from here, the page's CSP `img-src 'self'`
 * allows it and no other host learns who looked, docs/attacks.md E4).
 *
 * The page shows it only for a credential from a trusted issuer whose achievement is one of the
 * catalog's programs (the verifier's `credential.program`), and only when this server actually
 * serves that path (see `plugin.ts`): never an image URL taken from a credential (G5).
 *
 * @module
 */
import type { Program } from '@certify-vc/context'

/** The path on this server of `program`'s badge image. */
export function badgeImagePath(program: Program): string {
  return new URL(program.image).pathname
}

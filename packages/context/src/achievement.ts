/**
 * Builds the OB 3.0 Achievement of a catalog program: one function, used by the issuer to embed
 * it and by the verifier to compare what a credential claims with what the catalog says.
 *
 * @module
 */
import { CONTROL_AREAS, controlAreaUrl, type Catalog, type Program } from './catalog.js'
import type { OpenBadgeAchievement } from './types.js'

/** The OB 3.0 Achievement object for `program`. */
export function achievementFor(program: Program, catalog: Catalog): OpenBadgeAchievement {
  return {
    id: program.achievementId,
    type: ['Achievement'],
    achievementType: program.achievementType,
    name: program.name,
    description: program.description,
    criteria: { narrative: program.criteriaNarrative },
    image: { id: program.image, type: 'Image', caption: `${program.code} badge` },
    humanCode: program.code,
    programCode: program.code,
    alignment: program.alignment.map((slug) => {
      const area = CONTROL_AREAS.find((a) => a.slug === slug)
      if (area === undefined) throw new TypeError(`Unknown control area "${slug}".`)
      return {
        type: ['Alignment'],
        targetName: area.name,
        targetDescription: area.description,
        targetUrl: controlAreaUrl(slug, catalog),
        targetType: 'ceasn:Competency',
      }
    }),
  }
}

import { z } from 'zod'
import { RegulationErrors } from './errors.js'

/** Traits set plus traits removed by one correction, at most. */
export const MAX_CORRECTED_TRAITS = 100
/** Characters of a trait name, at most. */
export const MAX_TRAIT_NAME = 200
/** Bytes of one trait value as JSON, at most. */
export const MAX_TRAIT_VALUE_BYTES = 8192
/** Characters of the reason, at most. */
export const MAX_REASON = 1000

const traitName = z
  .string()
  .max(MAX_TRAIT_NAME)
  .refine((name) => name.trim() !== '', 'trait names must not be empty')

/** Body of `PATCH /api/v1/profiles/:id/traits`. */
export const correctTraitsSchema = z
  .object({
    set: z.record(traitName, z.unknown()).optional(),
    unset: z.array(traitName).optional(),
    reason: z.string().max(MAX_REASON).optional(),
  })
  .strict()

/** A checked correction request. */
export interface CorrectTraitsInput {
  /** Trait name → new value (never null: removing is `unset`). */
  set: Array<[string, unknown]>
  unset: string[]
  reason: string | null
}

const byteLength = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '')

/** What the schema cannot say: counts, null values, value sizes, overlaps. */
function problemsOf(set: ReadonlyArray<[string, unknown]>, unset: readonly string[]): string[] {
  const problems: string[] = []
  if (set.length + unset.length === 0) problems.push('name at least one trait in set or unset')
  if (set.length + unset.length > MAX_CORRECTED_TRAITS) {
    problems.push(`at most ${MAX_CORRECTED_TRAITS} traits per correction`)
  }
  for (const [name, value] of set) {
    if (value === null || value === undefined) {
      problems.push(`set.${name}: null is not a value, use unset to remove a trait`)
    } else if (byteLength(value) > MAX_TRAIT_VALUE_BYTES) {
      problems.push(`set.${name}: the value is over ${MAX_TRAIT_VALUE_BYTES} bytes as JSON`)
    }
    if (unset.includes(name)) problems.push(`${name}: a trait cannot be both set and unset`)
  }
  return problems
}

/**
 * Checks a correction: its shape, at least one trait in `set` or `unset`, non-empty trait
 * names, no trait both set and removed, no `null` value (use `unset`), at most
 * {@link MAX_CORRECTED_TRAITS} traits and {@link MAX_TRAIT_VALUE_BYTES} per value. Throws
 * `REGULATIONS_INVALID_CORRECTION` with every problem found; changes nothing.
 */
export function parseCorrectTraits(body: unknown): CorrectTraitsInput {
  const result = correctTraitsSchema.safeParse(body)
  if (!result.success) {
    const issues = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }))
    throw RegulationErrors.invalidCorrection(
      issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '),
      { details: { issues } },
    )
  }
  const set = Object.entries(result.data.set ?? {})
  const unset = [...new Set(result.data.unset ?? [])]
  const problems = problemsOf(set, unset)
  if (problems.length > 0) {
    throw RegulationErrors.invalidCorrection(problems.join('; '), {
      details: { issues: problems.map((message) => ({ path: '', message })) },
    })
  }
  const reason = result.data.reason?.trim()
  return { set, unset, reason: reason === undefined || reason === '' ? null : reason }
}

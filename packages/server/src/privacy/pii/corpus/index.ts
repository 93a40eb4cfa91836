import { EXTRA_FIELDS } from './extra.js'
import { NEGATIVE_FIELDS } from './negatives.js'
import { PERSONAL_FIELDS } from './personal.js'
import { RESTRICTED_FIELDS } from './restricted.js'
import { SENSITIVE_FIELDS } from './sensitive.js'
import type { LabelledField } from './types.js'

export type { LabelledField } from './types.js'

/** The whole labelled corpus. */
export const PII_CORPUS: readonly LabelledField[] = [
  ...RESTRICTED_FIELDS,
  ...SENSITIVE_FIELDS,
  ...PERSONAL_FIELDS,
  ...NEGATIVE_FIELDS,
  ...EXTRA_FIELDS,
]

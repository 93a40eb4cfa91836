/**
 * A labelled field: its dotted path (`$` for an array element), its value, and the kind of PII
 * it holds (null when it holds none). Written by hand for the classifier's tests: realistic
 * Segment-style payload fields, with look-alikes that are not PII.
 */
export type LabelledField = readonly [path: string, value: unknown, kind: string | null]

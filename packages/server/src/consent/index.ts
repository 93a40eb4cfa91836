/**
 * Consent and preferences: reading consent from events (Segment's semantics), the per
 * destination gate routing runs (consent, restriction of processing, preferences), the
 * ports routing reads people from, and the profile's consent. See README.md.
 */
export * from './read-consent.js'
export * from './config.js'
export * from './subjects.js'
export * from './restricted-subjects.js'
export * from './preference-index.js'
export * from './gate.js'
export * from './errors.js'
export * from './profile-consent.js'
export * from './preferences.js'
export * from './preference-service.js'

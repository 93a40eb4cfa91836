import { defineError } from '../platform/errors/index.js'

/** Errors of data-quality metrics, alert rules and incidents. */
export const QualityErrors = {
  invalidQuery: defineError('QUALITY_INVALID_QUERY', 'The quality query is not valid.', 400),
  ruleNotFound: defineError('QUALITY_RULE_NOT_FOUND', 'No alert rule has this id.', 404),
  ruleExists: defineError('QUALITY_RULE_EXISTS', 'An alert rule with this id already exists.', 409),
  rulesManaged: defineError(
    'QUALITY_RULES_MANAGED',
    'The alert rules are defined in the config file and are read-only through the API.',
    409,
  ),
  invalidRule: defineError('QUALITY_INVALID_RULE', 'The alert rule is not valid.', 400),
  incidentNotFound: defineError('QUALITY_INCIDENT_NOT_FOUND', 'No incident has this id.', 404),
} as const

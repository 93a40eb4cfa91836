import { z } from 'zod'
import { QUALITY_METRICS, type AlertRule } from './model.js'

const WINDOW = /^([1-9][0-9]*)(m|h|d)$/
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** `'15m'`, `'1h'`, `'1d'` → ms; null when the text is not such a duration. */
export function parseWindow(text: string): number | null {
  const match = WINDOW.exec(text)
  if (!match) return null
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/** One alert rule as written in the config file or sent to the API. */
export const alertRuleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only (1 to 64)')
      .describe('Stable id of the rule.'),
    name: z.string().min(1).max(200).describe('Shown in incidents and alert events.'),
    metric: z.enum(QUALITY_METRICS).describe('The metric watched.'),
    source: z.string().min(1).optional().describe('Only this source (default: every source).'),
    event: z
      .string()
      .min(1)
      .optional()
      .describe('Only this event name (volume, pass_share, completeness).'),
    condition: z
      .enum(['anomaly', 'below', 'above'])
      .describe(
        'anomaly: against the series own history (drop, spike, silence); below/above: against `threshold`.',
      ),
    threshold: z.number().optional().describe('Required with below and above.'),
    window: z
      .string()
      .regex(WINDOW, 'a duration such as 5m, 1h or 1d')
      .default('1h')
      .describe('The window the metric is measured over (and the bucket of anomaly detection).'),
    severity: z
      .enum(['info', 'warning', 'critical'])
      .default('warning')
      .describe('Severity of the incidents and alert events of this rule.'),
    critical: z
      .boolean()
      .default(false)
      .describe('Marks an alert on a business-critical event (shown first, sent with the alert).'),
    notify: z
      .strictObject({
        sourceId: z
          .string()
          .min(1)
          .describe('The source whose log receives the alert events (its destinations get them).'),
      })
      .optional()
      .describe('Where incident transitions are sent as track events (default: nowhere).'),
  })
  .describe('One alert rule.')
  .superRefine((rule, ctx) => {
    if (rule.condition !== 'anomaly' && rule.threshold === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: `a threshold is required with condition ${rule.condition}`,
      })
    }
    if (
      rule.event !== undefined &&
      rule.metric !== 'volume' &&
      rule.metric !== 'pass_share' &&
      rule.metric !== 'completeness'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['event'],
        message: `metric ${rule.metric} is not measured per event`,
      })
    }
  })

export type AlertRuleInput = z.input<typeof alertRuleSchema>
export type AlertRuleConfig = z.output<typeof alertRuleSchema>

/** The validated rule in domain form. */
export function toAlertRule(config: AlertRuleConfig): AlertRule {
  return {
    id: config.id,
    name: config.name,
    metric: config.metric,
    source: config.source ?? null,
    event: config.event ?? null,
    condition:
      config.condition === 'anomaly'
        ? { kind: 'anomaly' }
        : { kind: config.condition, threshold: config.threshold ?? 0 },
    windowMs: parseWindow(config.window) ?? 3_600_000,
    severity: config.severity,
    critical: config.critical,
    notify: config.notify ?? null,
  }
}

/** A rule back in its input form (API answers, stored JSON). */
export function fromAlertRule(rule: AlertRule): AlertRuleConfig {
  const window =
    rule.windowMs % UNIT_MS.d === 0
      ? `${rule.windowMs / UNIT_MS.d}d`
      : rule.windowMs % UNIT_MS.h === 0
        ? `${rule.windowMs / UNIT_MS.h}h`
        : `${rule.windowMs / UNIT_MS.m}m`
  return {
    id: rule.id,
    name: rule.name,
    metric: rule.metric,
    ...(rule.source === null ? {} : { source: rule.source }),
    ...(rule.event === null ? {} : { event: rule.event }),
    condition: rule.condition.kind,
    ...(rule.condition.kind === 'anomaly' ? {} : { threshold: rule.condition.threshold }),
    window,
    severity: rule.severity,
    critical: rule.critical,
    ...(rule.notify === null ? {} : { notify: rule.notify }),
  }
}

export const requiredPropertiesSchema = z.strictObject({
  source: z.string().min(1).optional().describe('Only events of this source (default: every).'),
  event: z.string().min(1).describe('Track event name (or page/screen name).'),
  properties: z
    .array(z.string().min(1))
    .min(1)
    .max(50)
    .describe('Properties each such event should carry (dotted paths reach nested ones).'),
})
export type RequiredPropertiesConfig = z.output<typeof requiredPropertiesSchema>

/** The `dataQuality` config section. */
export const dataQualityConfigSchema = z
  .strictObject({
    requiredProperties: z
      .array(requiredPropertiesSchema)
      .default([])
      .describe('Required properties per event, measured by the completeness metric.'),
    // Without a default: its presence is what makes the rules managed by the file.
    alerts: z
      .array(alertRuleSchema)
      .optional()
      .describe(
        'Alert rules. When present the file manages them (read-only in the API); when absent the API may create them.',
      ),
    evaluateEveryMs: z
      .number()
      .int()
      .min(100)
      .default(60_000)
      .describe('How often alert rules are evaluated.'),
    maxEventNames: z
      .number()
      .int()
      .min(1)
      .default(1000)
      .describe('Distinct event names counted per source; later names are counted as (other).'),
    consoleUrl: z
      .string()
      .optional()
      .describe(
        'Base URL of the console, for links in alert events (default: the server address).',
      ),
  })
  .superRefine((section, ctx) => {
    const seen = new Set<string>()
    section.alerts?.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['alerts', index, 'id'],
          message: `duplicate alert rule id ${rule.id}`,
        })
      }
      seen.add(rule.id)
    })
  })
  .prefault({})
  .describe('Data-quality metrics and alerts.')

export type DataQualityConfig = z.output<typeof dataQualityConfigSchema>

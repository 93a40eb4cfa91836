import { alertRuleSchema, toAlertRule, type AlertRuleConfig } from './config.js'
import { QualityErrors } from './errors.js'
import type { AlertRule } from './model.js'
import type { QualityAlertStore } from './quality-store.js'

/**
 * Alert rules: the config file's when it has `dataQuality.alerts` (then read-only through the
 * API: `QUALITY_RULES_MANAGED`), else those created through the API (stored).
 */
export class AlertRules {
  private fileRules: AlertRule[] | null

  constructor(
    private readonly store: QualityAlertStore,
    fileRules: readonly AlertRuleConfig[] | undefined,
    private readonly now: () => number,
  ) {
    this.fileRules = fileRules ? fileRules.map(toAlertRule) : null
  }

  get managed(): boolean {
    return this.fileRules !== null
  }

  /** A config reload: the file's rules replace the previous file's. */
  setFileRules(rules: readonly AlertRuleConfig[] | undefined): void {
    this.fileRules = rules ? rules.map(toAlertRule) : null
  }

  async list(): Promise<AlertRule[]> {
    return this.fileRules ? [...this.fileRules] : this.store.rules()
  }

  async get(id: string): Promise<AlertRule> {
    const rule = (await this.list()).find((r) => r.id === id)
    if (!rule) throw QualityErrors.ruleNotFound(undefined, { details: { id } })
    return rule
  }

  private parse(input: unknown): AlertRule {
    const result = alertRuleSchema.safeParse(input)
    if (result.success) return toAlertRule(result.data)
    const issues = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }))
    throw QualityErrors.invalidRule(
      issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '),
      { details: { issues } },
    )
  }

  private assertEditable(): void {
    if (this.managed) throw QualityErrors.rulesManaged()
  }

  async create(input: unknown): Promise<AlertRule> {
    this.assertEditable()
    const rule = this.parse(input)
    if (!(await this.store.insertRule(rule, this.now()))) {
      throw QualityErrors.ruleExists(undefined, { details: { id: rule.id } })
    }
    return rule
  }

  /** Replaces rule `id` with `input` (whose `id`, if given, must be `id`). */
  async update(id: string, input: unknown): Promise<AlertRule> {
    this.assertEditable()
    const body = typeof input === 'object' && input !== null ? { ...input, id } : input
    const rule = this.parse(body)
    if (!(await this.store.updateRule(rule, this.now()))) {
      throw QualityErrors.ruleNotFound(undefined, { details: { id } })
    }
    return rule
  }

  async delete(id: string): Promise<void> {
    this.assertEditable()
    if (!(await this.store.deleteRule(id))) {
      throw QualityErrors.ruleNotFound(undefined, { details: { id } })
    }
  }
}

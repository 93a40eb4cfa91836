/**
 * `tessera plan validate FILE`: checks a tracking-plan file offline, for CI pipelines. The
 * file (YAML, or JSON by its `.json` extension) holds one plan object (the API shape, or the
 * config shape with `id` and `sources`) or a config with a `trackingPlans:` list. Runs the
 * same checks as the API and the config loader, prints every problem as
 * `FILE: path: message`, and exits 0 when valid, 1 when not, 2 on a usage error (no file,
 * unreadable file). Reads nothing but the file; writes nothing.
 */
import { existsSync } from 'node:fs'
import {
  checkPlanLinks,
  validateFilePlan,
  validatePlan,
  type PlanIssue,
  type TrackingPlanConfig,
} from '../plans/index.js'
import { readConfigFile } from '../platform/config/index.js'
import type { CliIo } from './start-command.js'

const USAGE = 'Usage: tessera plan validate FILE'

/** Runs `tessera plan <sub> …`; returns the exit code. */
export function planCommand(args: string[], io: CliIo): number {
  const [sub, file, ...extra] = args
  if (sub !== 'validate' || file === undefined || extra.length > 0) {
    io.err(USAGE)
    return 2
  }
  if (!existsSync(file)) {
    io.err(`${file}: no such file\n${USAGE}`)
    return 2
  }
  let content: unknown
  try {
    content = readConfigFile(file)
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error))
    return 1
  }
  const { issues, plans, rules } = checkContent(content)
  if (issues.length > 0) {
    for (const issue of issues) io.err(`${file}: ${issue.path || '(root)'}: ${issue.message}`)
    io.err(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}`)
    return 1
  }
  io.out(`${file}: valid (${plans} plan${plans === 1 ? '' : 's'}, ${rules} rules)`)
  return 0
}

/** Every problem of a file's content, with the number of plans and rules it holds. */
export function checkContent(content: unknown): {
  issues: PlanIssue[]
  plans: number
  rules: number
} {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    return {
      issues: [{ path: '', message: 'expected a plan or a trackingPlans list' }],
      plans: 0,
      rules: 0,
    }
  }
  const record = content as Record<string, unknown>
  if (!('trackingPlans' in record)) {
    const result = 'sources' in record ? validateFilePlan(record) : validatePlan(record)
    return { issues: result.issues, plans: 1, rules: result.ok ? result.value.rules.length : 0 }
  }
  const list = record.trackingPlans
  if (!Array.isArray(list)) {
    return {
      issues: [{ path: 'trackingPlans', message: 'expected a list of plans' }],
      plans: 0,
      rules: 0,
    }
  }
  const issues: PlanIssue[] = []
  const valid: Array<{ plan: TrackingPlanConfig; index: number }> = []
  list.forEach((raw: unknown, index) => {
    const result = validateFilePlan(raw)
    if (result.ok) valid.push({ plan: result.value, index })
    for (const issue of result.issues) {
      issues.push({ path: `trackingPlans.${index}.${issue.path}`, message: issue.message })
    }
  })
  const sources = Array.isArray(record.sources)
    ? record.sources.flatMap((s: unknown) =>
        typeof (s as { id?: unknown } | null)?.id === 'string' ? [(s as { id: string }).id] : [],
      )
    : []
  issues.push(...checkPlanLinks(valid, sources))
  const rules = valid.reduce((sum, v) => sum + v.plan.rules.length, 0)
  return { issues, plans: list.length, rules }
}

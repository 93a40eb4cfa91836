/**
 * `tessera typegen --plan ID --out FILE [--client node|browser] [--url URL] [--token TOKEN]
 * [--file PLANFILE]`: writes typed tracking code for one plan. The plan comes from a plan file
 * (`--file`: one plan, or a `trackingPlans:` list searched by id) or from a running
 * instance's admin API (`GET /api/v1/tracking-plans/:id`, token from `--token` or
 * `TESSERA_ADMIN_TOKEN`). The output file is written only once the plan was read and
 * validated, in one write; exit 0 on success, 1 on failure (plan not found, invalid,
 * unreachable), 2 on a usage error.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import {
  generateTrackingModule,
  validateFilePlan,
  validatePlan,
  type PlanRule,
  type TypegenClient,
} from '../plans/index.js'
import { readConfigFile } from '../platform/config/index.js'
import type { CliIo } from './start-command.js'

const USAGE =
  'Usage: tessera typegen --plan ID --out FILE [--client node|browser] [--url URL] [--token TOKEN] [--file PLANFILE]'

interface LoadedPlan {
  id: string
  name: string
  revision?: number
  rules: PlanRule[]
}

class UsageError extends Error {}

export async function typegenCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  let options: {
    plan: string
    out: string
    client: TypegenClient
    url: string
    token?: string
    file?: string
  }
  try {
    options = parseOptions(args, env)
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`)
    return 2
  }
  let plan: LoadedPlan
  try {
    plan =
      options.file === undefined
        ? await fromApi(options.url, options.plan, options.token ?? '')
        : fromFile(options.file, options.plan)
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error))
    return error instanceof UsageError ? 2 : 1
  }
  writeFileSync(options.out, generateTrackingModule(plan, options.client))
  const events = plan.rules.filter((r) => r.type === 'TRACK').length
  io.out(
    `wrote ${options.out}: plan ${plan.id}, ${events} track event${events === 1 ? '' : 's'} (${options.client})`,
  )
  return 0
}

function parseOptions(args: string[], env: NodeJS.ProcessEnv) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      plan: { type: 'string' },
      out: { type: 'string' },
      client: { type: 'string', default: 'node' },
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      token: { type: 'string' },
      file: { type: 'string' },
    },
  })
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`)
  if (values.plan === undefined || values.plan === '') throw new Error('--plan is required')
  if (values.out === undefined || values.out === '') throw new Error('--out is required')
  if (values.client !== 'node' && values.client !== 'browser') {
    throw new Error(`--client must be node or browser, got ${values.client}`)
  }
  const client: TypegenClient = values.client === 'browser' ? 'browser' : 'node'
  const token = values.token ?? env.TESSERA_ADMIN_TOKEN
  if (values.file === undefined && (token === undefined || token === '')) {
    throw new Error('an admin token is required: --token or TESSERA_ADMIN_TOKEN (or use --file)')
  }
  return {
    plan: values.plan,
    out: values.out,
    client,
    url: values.url.replace(/\/+$/, ''),
    ...(token === undefined ? {} : { token }),
    ...(values.file === undefined ? {} : { file: values.file }),
  }
}

async function fromApi(url: string, id: string, token: string): Promise<LoadedPlan> {
  let response: Response
  try {
    response = await fetch(`${url}/api/v1/tracking-plans/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    })
  } catch (error) {
    throw new Error(
      `cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    )
  }
  const body = (await response.json().catch(() => null)) as
    (LoadedPlan & { error?: { code: string; message: string } }) | null
  if (!response.ok || body === null) {
    const reason = body?.error
      ? `${body.error.code}: ${body.error.message}`
      : `HTTP ${response.status}`
    throw new Error(`${url}: plan ${id}: ${reason}`)
  }
  return body
}

function fromFile(file: string, id: string): LoadedPlan {
  let content: unknown
  try {
    content = readConfigFile(file)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw (error as { code?: string }).code === 'CONFIG_UNREADABLE'
      ? new UsageError(message, { cause: error })
      : new Error(message, { cause: error })
  }
  const record = (content ?? {}) as Record<string, unknown>
  const list = Array.isArray(record.trackingPlans) ? (record.trackingPlans as unknown[]) : null
  const raw = list === null ? record : list.find((p) => (p as { id?: unknown } | null)?.id === id)
  if (raw === undefined) throw new Error(`${file}: no plan with id ${id}`)
  const result = list !== null || 'sources' in record ? validateFilePlan(raw) : validatePlan(raw)
  if (!result.ok) {
    throw new Error(
      result.issues.map((i) => `${file}: ${i.path || '(root)'}: ${i.message}`).join('\n'),
    )
  }
  const planId = result.value.id ?? id
  if (planId !== id) throw new Error(`${file}: the plan's id is ${planId}, not ${id}`)
  return { id: planId, name: result.value.name, rules: result.value.rules }
}

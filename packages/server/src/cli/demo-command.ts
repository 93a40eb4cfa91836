import { randomInt } from 'node:crypto'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { runDemo } from '../demo/index.js'
import type { CliIo } from './start-command.js'

const USAGE = `Usage: tessera demo [--url URL] [--write-key KEY] [--users N] [--events N] [--rate N] [--seed S]

  --url        Tessera to send to (default http://<TESSERA_HOST>:<TESSERA_PORT>, i.e. http://127.0.0.1:8080)
  --write-key  source write key (default: the first source, found with TESSERA_ADMIN_TOKEN or
               <TESSERA_DATA_DIR or ./.tessera>/admin-token)
  --users      simulated people (default 25)
  --events     events to send (default 500)
  --rate       events per second (default 50)
  --seed       makes the traffic reproducible (default: random, printed)`

/** The server's own address from the same variables `tessera start` reads. */
function defaultUrl(env: NodeJS.ProcessEnv): string {
  let host =
    env.TESSERA_HOST === undefined || env.TESSERA_HOST === '' ? '127.0.0.1' : env.TESSERA_HOST
  if (host === '0.0.0.0') host = '127.0.0.1'
  if (host === '::') host = '::1'
  if (host.includes(':')) host = `[${host}]`
  const port = env.TESSERA_PORT === undefined || env.TESSERA_PORT === '' ? '8080' : env.TESSERA_PORT
  return `http://${host}:${port}`
}

function positive(
  name: string,
  raw: string | undefined,
  fallback: number,
  integer: boolean,
): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(
      `--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${raw}`,
    )
  }
  return value
}

class UsageError extends Error {}

function parse(args: string[], env: NodeJS.ProcessEnv) {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      'write-key': { type: 'string' },
      users: { type: 'string' },
      events: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const url = (values.url ?? defaultUrl(env)).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(url)) {
    throw new UsageError(`--url must be an http(s) URL, got ${url}`)
  }
  const seed = values.seed ?? String(randomInt(1, 1_000_000))
  return {
    help: values.help === true,
    url,
    writeKey: values['write-key'],
    users: positive('users', values.users, 25, true),
    events: positive('events', values.events, 500, true),
    rate: positive('rate', values.rate, 50, false),
    seed: /^\d{1,15}$/.test(seed) ? Number(seed) : seed,
  }
}

/**
 * `tessera demo`: sends realistic sample traffic to a running Tessera (see src/demo). Exit
 * codes: 0 all events acknowledged, 1 failures, 2 usage errors.
 */
export async function demoCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  let options
  try {
    options = parse(args, env)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.err(`${error.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    io.out(USAGE)
    return 0
  }
  const { help: _help, ...demo } = options
  return runDemo({
    ...demo,
    adminToken: env.TESSERA_ADMIN_TOKEN,
    dataDir:
      env.TESSERA_DATA_DIR === undefined || env.TESSERA_DATA_DIR === ''
        ? join('.', '.tessera')
        : env.TESSERA_DATA_DIR,
    out: io.out,
    err: io.err,
  })
}

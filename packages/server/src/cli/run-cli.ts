import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { HELP } from './help.js'
import { initCommand } from './init-command.js'
import { planCommand } from './plan-command.js'
import { typegenCommand } from './typegen-command.js'
import { startCommand, type CliIo } from './start-command.js'
import { demoCommand } from './demo-command.js'

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

function toPort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new Error(`--port must be 0-65535, got ${value}`)
  }
  return Number(value)
}

/**
 * Runs the `tessera` command with `argv` (without node and script). Returns the exit code:
 * 0 success, 1 failure, 2 usage or configuration error.
 */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = defaultIo,
): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP)
        return 0
      case '--version':
      case '-v':
        io.out(version())
        return 0
      case 'start': {
        const { values } = parseArgs({
          args: rest,
          options: {
            config: { type: 'string' },
            'data-dir': { type: 'string' },
            port: { type: 'string' },
            host: { type: 'string' },
          },
        })
        const port = toPort(values.port)
        return await startCommand(
          {
            ...(values.config !== undefined ? { config: values.config } : {}),
            ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
            ...(port !== undefined ? { port } : {}),
            ...(values.host !== undefined ? { host: values.host } : {}),
          },
          env,
          io,
        )
      }
      case 'init': {
        const { values } = parseArgs({
          args: rest,
          options: { out: { type: 'string' }, force: { type: 'boolean' } },
        })
        return initCommand(values, io)
      }
      case 'demo':
        return await demoCommand(rest, env, io)
      case 'plan':
        return planCommand(rest, io)
      case 'typegen':
        return await typegenCommand(rest, env, io)
      default:
        io.err(`Unknown command: ${command}\n\n${HELP}`)
        return 2
    }
  } catch (error) {
    const code = (error as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${(error as Error).message}\n\n${HELP}`)
      return 2
    }
    io.err(error instanceof Error ? error.message : String(error))
    return 1
  }
}

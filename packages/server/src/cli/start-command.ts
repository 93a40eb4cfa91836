import { watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import { loadConfig, type CliOverrides } from '../app/config.js'
import { startPlatform, type Platform } from '../app/create-platform.js'
import { AppError } from '../platform/errors/index.js'
import { createLogger, type Logger } from '../platform/logger/index.js'

export interface CliIo {
  out: (line: string) => void
  err: (line: string) => void
}

function banner(platform: Platform, io: CliIo): void {
  const lines = [
    '',
    `  Tessera is running at ${platform.url}`,
    `  Console:        ${platform.url}/`,
  ]
  lines.push(`  Tracking API:   ${platform.url}/v1/  (Segment-compatible)`)
  if (platform.createdDefaultSource) {
    const key = platform.createdDefaultSource.writeKeys[0]?.key ?? ''
    lines.push(`  Created source "${platform.createdDefaultSource.name}" with write key: ${key}`)
  } else {
    lines.push(`  Sources:        ${platform.sources.list().length} (see the console)`)
  }
  lines.push(
    platform.adminTokenFile
      ? `  Admin token:    in ${platform.adminTokenFile}`
      : '  Admin token:    as configured (adminTokens or TESSERA_ADMIN_TOKEN)',
  )
  lines.push(`  Storage:        ${platform.storage.kind}`, '')
  io.err(lines.join('\n'))
}

/** Reloads on SIGHUP and when the config file changes; a bad file keeps the old config. */
function watchConfig(
  platform: Platform,
  deps: { flags: CliOverrides; env: NodeJS.ProcessEnv; path: string | null; logger: Logger },
): () => void {
  const reload = (why: string): void => {
    try {
      const { config } = loadConfig(deps.flags, deps.env)
      platform.applyConfig(config)
      deps.logger.info({ why, sources: config.sources.length }, 'config reloaded')
    } catch (error) {
      const message = error instanceof AppError ? error.message : String(error)
      deps.logger.error(
        { why, problems: message },
        'config reload failed; keeping the previous config',
      )
    }
  }
  const onHup = (): void => reload('SIGHUP')
  process.on('SIGHUP', onHup)
  let watcher: FSWatcher | null = null
  let timer: NodeJS.Timeout | null = null
  if (deps.path !== null) {
    // Watch the folder, not the file: editors save by writing a temp file and renaming it over
    // the config, which replaces the inode a file watch would be following.
    const file = basename(deps.path)
    watcher = watch(dirname(deps.path), (_event, name) => {
      if (name !== null && name !== file) return
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => reload('file changed'), 200)
    })
  }
  return () => {
    process.off('SIGHUP', onHup)
    watcher?.close()
    if (timer) clearTimeout(timer)
  }
}

/** `tessera start`: runs until SIGINT/SIGTERM, then stops gracefully. Returns the exit code. */
export async function startCommand(
  flags: CliOverrides,
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  let loaded
  try {
    loaded = loadConfig(flags, env)
  } catch (error) {
    if (error instanceof AppError) {
      io.err(`Configuration problems:\n${error.message}`)
      return 2
    }
    throw error
  }
  const { config, path } = loaded
  const logger = createLogger({ level: config.server.logLevel })
  const platform = await startPlatform({ config, logger })
  banner(platform, io)
  const unwatch = watchConfig(platform, { flags, env, path, logger })
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      logger.info({ signal }, 'stopping')
      resolve()
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
  unwatch()
  await platform.stop()
  logger.info('stopped; every acknowledged event is stored')
  return 0
}

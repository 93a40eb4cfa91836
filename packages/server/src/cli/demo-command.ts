import type { CliIo } from './start-command.js'

/** `tessera demo`: implemented in demo/ (see demoCommand there). */
export function demoCommand(_args: string[], _env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  io.err('demo: not built yet')
  return Promise.resolve(1)
}

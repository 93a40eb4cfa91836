/**
 * Loads one catalog destination's definition on demand, by deep `require` of
 * `@segment/action-destinations/dist/destinations/<dir>` (the package has no exports map; its
 * entry would load all 214 destinations, 1.5–2 s and ~100 MiB). Cached per process: a
 * definition is loaded at most once, the first time a destination of its type is validated
 * or created.
 */
import { loadRuntime, type DestinationDefinition } from './core.js'

/** A directory name of the catalog: lower-case letters, digits and dashes only. */
const DIR = /^[a-z0-9][a-z0-9-]*$/

const definitions = new Map<string, DestinationDefinition>()

/** The module path of a catalog directory (what `require.cache` is keyed by, once resolved). */
export function definitionPath(dir: string): string {
  if (!DIR.test(dir)) throw new Error(`invalid catalog directory '${dir}'`)
  return `@segment/action-destinations/dist/destinations/${dir}`
}

/**
 * The definition of catalog directory `dir`. Throws when the directory does not exist or its
 * module fails to load (a broken install); later calls retry the load.
 */
export function loadDefinition(dir: string): DestinationDefinition {
  const known = definitions.get(dir)
  if (known) return known
  const { require } = loadRuntime()
  const module = require(definitionPath(dir)) as { default?: DestinationDefinition }
  const definition = module.default
  if (!definition || typeof definition.actions !== 'object') {
    throw new Error(`catalog directory '${dir}' has no destination definition`)
  }
  definitions.set(dir, definition)
  return definition
}

/** True when `dir`'s definition is loaded in this process (for tests and diagnostics). */
export function isDefinitionLoaded(dir: string): boolean {
  return definitions.has(dir)
}

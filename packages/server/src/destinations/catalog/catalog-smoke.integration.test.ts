// Loads every destination of the manifest, so a broken install (a missing undeclared module,
// a bad override, a catalog upgrade without regenerating the manifest) fails CI.
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { loadDefinition } from './definitions.js'
import { loadManifest } from './manifest.js'

describe('catalog manifest against the installed catalog', () => {
  const manifest = loadManifest()

  it('was generated from the installed version', () => {
    const require = createRequire(import.meta.url)
    const pkg = require('@segment/action-destinations/package.json') as { version: string }
    expect(manifest.version).toBe(pkg.version)
    expect(manifest.destinations.length).toBeGreaterThan(200)
  })

  it('every destination loads, with the slug, actions and presets the manifest lists', () => {
    const broken: string[] = []
    for (const entry of manifest.destinations) {
      try {
        const definition = loadDefinition(entry.dir)
        expect(definition.slug ?? `actions-${entry.dir}`).toBe(entry.slug)
        expect(Object.keys(definition.actions).sort()).toEqual(Object.keys(entry.actions).sort())
      } catch (error) {
        broken.push(`${entry.dir}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    expect(broken).toEqual([])
  })
})

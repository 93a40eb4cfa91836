// The platform side of `npm run bench:plan` while the config file cannot name tracking plans:
// starts Tessera from the built package with the config file given as argv[2] and the tracking
// plans of the JSON file argv[3] (`[{id, name, rules, sources: [{id, enforcement}]}]`, the
// shape of the config section `trackingPlans:`) handed to the platform as its ActivePlans.
// Prints `running at <url>` like `tessera start`; stops on SIGTERM.
import { readFileSync } from 'node:fs'
import { loadConfig } from '../packages/server/dist/app/config.js'
import { startPlatform } from '../packages/server/dist/app/create-platform.js'
import { MemoryActivePlans } from '../packages/server/dist/plans/index.js'
import { createLogger } from '../packages/server/dist/platform/logger/index.js'

const [, , configPath, plansPath] = process.argv
const now = new Date().toISOString()
const plans = plansPath ? JSON.parse(readFileSync(plansPath, 'utf8')) : []
const active = plans.flatMap((plan) =>
  plan.sources.map((source) => ({
    sourceId: source.id,
    enforcement: source.enforcement,
    plan: {
      id: plan.id,
      name: plan.name,
      rules: plan.rules,
      revision: 1,
      managed: true,
      createdAt: now,
      updatedAt: now,
    },
  })),
)
const { config } = loadConfig({ config: configPath }, process.env)
const platform = await startPlatform({
  config,
  logger: createLogger({ level: config.server.logLevel }),
  activePlans: new MemoryActivePlans(active),
})
console.log(`running at ${platform.url}`)
process.once('SIGTERM', () => {
  void platform.stop().then(() => process.exit(0))
})

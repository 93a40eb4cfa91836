/**
 * The settings object `@segment/analytics-next` fetches from `<cdn>/v1/projects/<key>/settings`.
 * It registers only the `Segment.io` destination, pointed at this server's `apiHost`
 * (`host[:port]/v1`, no scheme) and `protocol`, and turns remote metrics to this server too
 * (`metrics.host`), so a page loaded with `cdnURL` set here talks to nothing else.
 */
export function buildCdnSettings(input: {
  writeKey: string
  apiHost: string
  protocol: 'http' | 'https'
}) {
  return {
    integrations: {
      'Segment.io': {
        apiKey: input.writeKey,
        apiHost: input.apiHost,
        protocol: input.protocol,
        addBundledMetadata: true,
        unbundledIntegrations: [],
        bundledConfigIds: [],
        unbundledConfigIds: [],
        maybeBundledConfigIds: {},
        retryQueue: true,
      },
    },
    plan: {
      track: { __default: { enabled: true, integrations: {} } },
      identify: { __default: { enabled: true } },
      group: { __default: { enabled: true } },
    },
    metrics: { host: input.apiHost, sampleRate: 0, flushTimer: 30000, maxQueueSize: 20 },
    enabledMiddleware: {},
    middlewareSettings: {},
    legacyVideoPluginsEnabled: false,
    remotePlugins: [],
    consentSettings: { allCategories: [], hasUnmappedDestinations: true },
  }
}

import { MOBILE_APP, SITE, type Campaign } from './catalog.js'
import type { DemoCall, DemoContext } from './demo-call.js'
import { identityOf, type Persona } from './personas.js'
import type { Random } from './random.js'

/** A page of the demo shop. */
export interface PageInfo {
  path: string
  title: string
  name: string
  category?: string | undefined
}

function utmSearch(campaign: Campaign): string {
  const params = new URLSearchParams({
    utm_source: campaign.source,
    utm_medium: campaign.medium,
    utm_campaign: campaign.name,
  })
  if (campaign.term !== undefined) params.set('utm_term', campaign.term)
  if (campaign.content !== undefined) params.set('utm_content', campaign.content)
  return `?${params.toString()}`
}

/**
 * Builds one visit as a list of calls, carrying what analytics.js or a mobile SDK would add
 * on its own: the current page and referrer, the landing campaign, the user agent, the
 * device and app. Identity follows the persona's state when each call is added.
 */
export class SessionBuilder {
  readonly calls: DemoCall[] = []
  private url = ''
  private referrer: string
  private search = ''
  private page: PageInfo | null = null
  private campaign: Campaign | null

  constructor(
    readonly persona: Persona,
    readonly random: Random,
    landing: { campaign: Campaign | null; referrer: string },
  ) {
    this.campaign = landing.campaign
    this.referrer = landing.referrer
  }

  /** A page view; the first one of the visit lands with the campaign's utm parameters. */
  view(page: PageInfo, search = ''): this {
    if (this.url !== '') this.referrer = this.url
    this.search = this.page === null && this.campaign ? utmSearch(this.campaign) : search
    this.page = page
    this.url = `${SITE}${page.path}${this.search}`
    const properties = {
      path: page.path,
      referrer: this.referrer,
      search: this.search,
      title: page.title,
      url: this.url,
    }
    this.calls.push({
      type: 'page',
      params: {
        ...identityOf(this.persona),
        name: page.name,
        ...(page.category === undefined ? {} : { category: page.category }),
        properties,
        context: this.context(),
      },
    })
    return this
  }

  /** A screen view in the mobile app. */
  screen(name: string, properties: Record<string, unknown> = {}): this {
    this.calls.push({
      type: 'screen',
      params: { ...identityOf(this.persona), name, properties, context: this.context() },
    })
    return this
  }

  track(event: string, properties: Record<string, unknown>, extra: DemoContext = {}): this {
    this.calls.push({
      type: 'track',
      params: {
        ...identityOf(this.persona),
        event,
        properties,
        context: { ...this.context(), ...extra },
      },
    })
    return this
  }

  identify(traits: Record<string, unknown>): this {
    this.calls.push({
      type: 'identify',
      params: { ...identityOf(this.persona), traits, context: this.context() },
    })
    return this
  }

  group(groupId: string, traits: Record<string, unknown>): this {
    this.calls.push({
      type: 'group',
      params: { ...identityOf(this.persona), groupId, traits, context: this.context() },
    })
    return this
  }

  /** Links the anonymous visitor to the account they just created. */
  alias(): this {
    const { persona } = this
    this.calls.push({
      type: 'alias',
      params: { userId: persona.userId, previousId: persona.anonymousId, context: this.context() },
    })
    return this
  }

  private context(): DemoContext {
    const { persona } = this
    const base: DemoContext = { ip: persona.ip, locale: persona.locale, timezone: persona.timezone }
    if (persona.device) {
      const { id, advertisingId, manufacturer, model, name, type, os, screen } = persona.device
      return {
        ...base,
        app: { ...MOBILE_APP },
        device: { id, advertisingId, adTrackingEnabled: true, manufacturer, model, name, type },
        os: { ...os },
        screen: { ...screen },
        network: { wifi: this.random.chance(0.7), cellular: true, carrier: 'Example Mobile' },
      }
    }
    const context: DemoContext = { ...base, userAgent: persona.userAgent }
    if (this.page !== null) {
      context.page = {
        path: this.page.path,
        referrer: this.referrer,
        search: this.search,
        title: this.page.title,
        url: this.url,
      }
    }
    if (this.campaign) context.campaign = { ...this.campaign }
    return context
  }
}

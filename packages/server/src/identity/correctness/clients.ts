/**
 * Simulated Segment clients: a browser running analytics.js, a phone running the iOS or
 * Android SDK, a backend running analytics-node, and an email service. Each keeps the state
 * its SDK keeps (anonymousId, userId, cached traits) and records the calls it makes into a
 * {@link Story}, labelled with the truth the scenario sets in `truth`.
 */
import type { Delivery, Story, Truth } from './story.js'

type Payload = Record<string, unknown>

const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
]
const PATHS = ['/', '/pricing', '/blog/launch', '/docs/start', '/products/lamp', '/cart']

/** What every client shares: the SDK's identity state and the truth of its next calls. */
abstract class Client {
  userId: string | null = null
  anonymousId: string
  traits: Payload = {}

  constructor(
    protected readonly story: Story,
    public truth: Truth,
    protected readonly sourceId: string,
  ) {
    this.anonymousId = story.rng.uuid()
  }

  protected abstract context(): Payload

  protected delivery(): Delivery {
    return 'online'
  }

  protected send(type: string, fields: Payload): Payload {
    const payload: Payload = { type, ...fields, context: this.context() }
    payload.anonymousId = this.anonymousId
    if (this.userId !== null) payload.userId = this.userId
    this.story.record(payload, {
      sourceId: this.sourceId,
      truth: { ...this.truth },
      delivery: this.delivery(),
    })
    return payload
  }

  track(event: string, properties: Payload = {}): void {
    this.send('track', { event, properties })
  }

  identify(userId: string | null, traits: Payload = {}): void {
    if (userId !== null) this.userId = userId
    this.traits = { ...this.traits, ...traits }
    this.send('identify', { traits })
  }

  group(groupId: string, traits: Payload = {}): void {
    this.send('group', { groupId, traits })
  }

  /** analytics.js `alias(newId)`: previousId is the current userId, else the anonymousId. */
  alias(userId: string): void {
    const previousId = this.userId ?? this.anonymousId
    this.userId = userId
    this.send('alias', { previousId })
  }

  /** Logout with `reset()`: a new anonymousId, no userId, no cached traits. */
  reset(): void {
    this.anonymousId = this.story.rng.uuid()
    this.userId = null
    this.traits = {}
  }
}

export class Browser extends Client {
  private readonly userAgent: string
  /** The Google Analytics client id of the `_ga` cookie, sent in context when set. */
  gaClientId: string | null = null

  constructor(story: Story, truth: Truth) {
    super(story, truth, 'web')
    this.userAgent = story.rng.pick(USER_AGENTS)
  }

  protected context(): Payload {
    const path = this.story.rng.pick(PATHS)
    const context: Payload = {
      library: { name: 'analytics.js', version: 'next-1.84.3' },
      userAgent: this.userAgent,
      locale: 'en-US',
      page: { path, url: `https://shop.example.com${path}`, title: 'Example Shop' },
    }
    if (this.gaClientId !== null) {
      context.integrations = { 'Google Analytics': { clientId: this.gaClientId } }
    }
    return context
  }

  page(name: string): void {
    this.send('page', { name, properties: {} })
  }
}

export interface DeviceOptions {
  platform: 'ios' | 'android'
  adTrackingEnabled: boolean
  pushToken: boolean
  /** The device type as the SDK spells it (`ios`, `iOS`, `android`, `Android`). */
  spelling?: string
}

export class Phone extends Client {
  readonly deviceId: string
  private readonly advertisingId: string
  private readonly token: string | null
  /** While true, calls are queued on the device and delivered hours later. */
  offline = false

  constructor(
    story: Story,
    truth: Truth,
    readonly options: DeviceOptions,
  ) {
    super(story, truth, options.platform)
    const rng = story.rng
    this.deviceId = options.platform === 'ios' ? rng.uuid().toUpperCase() : rng.hex(16)
    this.advertisingId = rng.uuid()
    this.token = options.pushToken ? rng.hex(64) : null
  }

  protected override delivery(): Delivery {
    return this.offline ? 'offline' : 'online'
  }

  protected context(): Payload {
    const ios = this.options.platform === 'ios'
    const device: Payload = {
      id: this.deviceId,
      type: this.options.spelling ?? this.options.platform,
      manufacturer: ios ? 'Apple' : 'Google',
      model: ios ? 'iPhone15,3' : 'Pixel 8',
      adTrackingEnabled: this.options.adTrackingEnabled,
      advertisingId: this.advertisingId,
    }
    if (this.token !== null) device.token = this.token
    return {
      library: { name: ios ? 'analytics-ios' : 'analytics-android', version: '4.1.8' },
      app: { name: 'Example Shop', version: '3.2.0', build: '320' },
      device,
      os: { name: ios ? 'iOS' : 'Android', version: ios ? '17.5' : '14' },
      network: { wifi: true, cellular: false },
      traits: { ...this.traits, anonymousId: this.anonymousId },
    }
  }

  screen(name: string): void {
    this.send('screen', { name, properties: {} })
  }
}

/** A backend sending with analytics-node: userId only, no anonymousId. */
export class Backend extends Client {
  private readonly rawUserId: string | number

  constructor(story: Story, truth: Truth, userId: string | number) {
    super(story, truth, 'server')
    this.userId = String(userId)
    this.rawUserId = userId
  }

  protected context(): Payload {
    return { library: { name: 'analytics-node', version: '3.1.0' } }
  }

  protected override send(type: string, fields: Payload): Payload {
    const payload: Payload = { type, ...fields, userId: this.rawUserId, context: this.context() }
    this.story.record(payload, { sourceId: this.sourceId, truth: { ...this.truth } })
    return payload
  }

  /** A server-side alias: `previousId` and `userId`, no anonymousId. */
  aliasFrom(previousId: string): void {
    this.send('alias', { previousId })
  }
}

/**
 * An email service source: one stable recipient id per address (its anonymousId) and the
 * address in `context.traits.email`, as email tools send engagement events.
 */
export class EmailService {
  private readonly recipients = new Map<string, string>()

  constructor(private readonly story: Story) {}

  send(event: string, email: string, truth: Truth): void {
    let recipient = this.recipients.get(email)
    if (recipient === undefined) {
      recipient = `rcpt_${this.story.rng.hex(20)}`
      this.recipients.set(email, recipient)
    }
    this.story.record(
      {
        type: 'track',
        event,
        anonymousId: recipient,
        properties: { campaign: 'weekly-digest' },
        context: { library: { name: 'esp-webhooks', version: '1.0' }, traits: { email } },
      },
      { sourceId: 'email', truth: { ...truth } },
    )
  }
}

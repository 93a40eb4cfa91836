import { MOBILE_APP, MOBILE_SCREENS } from './catalog.js'
import { browseProducts, cartProducts, orderTotals, productProperties } from './ecommerce.js'
import type { SessionBuilder } from './session-builder.js'
import { profileTraits } from './web-journeys.js'

/**
 * One session in the mobile app, with the lifecycle events of Segment's mobile spec. The
 * first session installs the app and identifies the (already registered) user.
 */
export function appVisit(s: SessionBuilder): void {
  const { persona, random } = s
  const firstSession = persona.sessions <= 1
  if (firstSession) {
    s.track('Application Installed', { version: MOBILE_APP.version, build: MOBILE_APP.build })
  }
  s.track('Application Opened', {
    from_background: !firstSession && random.chance(0.5),
    version: MOBILE_APP.version,
    build: MOBILE_APP.build,
  })
  if (firstSession) s.identify(profileTraits(persona))
  s.screen('Home')
  for (let i = random.int(1, 3); i > 0; i--) {
    const name = random.pick(MOBILE_SCREENS)
    s.screen(name, name === 'Search' ? { query: 'tent' } : {})
  }
  if (random.chance(0.5)) appPurchase(s)
  s.track('Application Backgrounded', {})
}

function appPurchase(s: SessionBuilder): void {
  const { random, persona } = s
  const [product] = browseProducts(random, 1)
  if (product === undefined) return
  s.screen('Product Detail', { product_id: product.product_id, name: product.name })
  s.track('Product Viewed', {
    ...productProperties(product, { quantity: 1, position: 1 }),
    currency: 'USD',
  })
  if (!random.chance(0.6)) return
  const lines = [{ product, quantity: 1 }]
  const cartId = `cart_${random.hex(10)}`
  s.track('Product Added', {
    cart_id: cartId,
    ...productProperties(product, { quantity: 1, position: 1 }),
  })
  if (!random.chance(0.6)) return
  const totals = orderTotals(lines, null)
  s.screen('Checkout')
  s.track('Order Completed', {
    checkout_id: `chk_${random.hex(10)}`,
    order_id: `ord_${random.hex(10)}`,
    affiliation: 'Northfold iOS & Android',
    ...totals,
    currency: 'USD',
    products: cartProducts(lines, null),
  })
  persona.orders += 1
}

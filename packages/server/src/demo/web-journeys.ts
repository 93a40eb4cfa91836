import {
  CONTENT_PAGES,
  EMAIL_CAMPAIGNS,
  NPS_COMMENTS,
  SEARCH_QUERIES,
  SITE,
  type Product,
} from './catalog.js'
import {
  browseProducts,
  cartProducts,
  orderTotals,
  productPath,
  productProperties,
  type CartLine,
} from './ecommerce.js'
import type { SessionBuilder } from './session-builder.js'

/*
 * Web visits, one function each. Every function appends to a SessionBuilder that already
 * knows who the visitor is and how they arrived. Event names and properties follow Segment's
 * semantic specs (Ecommerce v2, Email, B2B SaaS).
 */

/** Lands on a content page, reads a little, maybe looks at a product or two. */
export function browseVisit(s: SessionBuilder): void {
  const { random } = s
  s.view(random.pick(CONTENT_PAGES))
  for (let i = random.int(0, 2); i > 0; i--) s.view(random.pick(CONTENT_PAGES))
  if (random.chance(0.6)) viewProducts(s, browseProducts(random, random.int(1, 2)))
}

function viewProducts(s: SessionBuilder, products: readonly Product[]): void {
  products.forEach((product, i) => {
    s.view({
      path: productPath(product),
      title: product.name,
      name: 'Product',
      category: product.category,
    })
    s.track('Product Viewed', {
      ...productProperties(product, { quantity: 1, position: i + 1 }),
      currency: 'USD',
      value: product.price,
    })
  })
}

/** Searches, compares products, fills a cart and usually buys. */
export function shopVisit(s: SessionBuilder): void {
  const { random, persona } = s
  const query = random.pick(SEARCH_QUERIES)
  s.view({ path: '/', title: 'Northfold Outdoor — Gear for every trail', name: 'Home' })
  s.view(
    { path: '/search', title: `Search: ${query}`, name: 'Search Results' },
    `?q=${encodeURIComponent(query)}`,
  )
  s.track('Products Searched', { query })
  const products = browseProducts(random, random.int(1, 3))
  viewProducts(s, products)
  const cartId = `cart_${random.hex(10)}`
  const lines: CartLine[] = products.slice(0, random.int(1, products.length)).map((product) => ({
    product,
    quantity: random.chance(0.8) ? 1 : random.int(2, 3),
  }))
  lines.forEach((line, i) => {
    s.track('Product Added', {
      cart_id: cartId,
      ...productProperties(line.product, { quantity: line.quantity, position: i + 1 }),
    })
  })
  const coupon = random.chance(0.25) ? 'SPRING10' : null
  s.view({ path: '/cart', title: 'Your cart', name: 'Cart' })
  s.track('Cart Viewed', { cart_id: cartId, products: cartProducts(lines, null) })
  if (random.chance(0.2)) return // abandoned cart
  const orderId = `ord_${random.hex(10)}`
  const totals = orderTotals(lines, coupon)
  const order = {
    order_id: orderId,
    affiliation: 'Northfold Online Store',
    value: totals.subtotal,
    revenue: totals.revenue,
    shipping: totals.shipping,
    tax: totals.tax,
    discount: totals.discount,
    ...(coupon === null ? {} : { coupon }),
    currency: 'USD',
    products: cartProducts(lines, coupon),
  }
  s.view({ path: '/checkout', title: 'Checkout', name: 'Checkout' })
  s.track('Checkout Started', order)
  if (random.chance(0.15)) return // left at the payment step
  const { value: _value, ...completed } = order
  s.track('Order Completed', {
    checkout_id: `chk_${random.hex(10)}`,
    ...completed,
    subtotal: totals.subtotal,
    total: totals.total,
  })
  s.view({ path: '/checkout/thank-you', title: 'Thank you!', name: 'Order Confirmation' })
  persona.orders += 1
}

/** Reads the pricing page and creates an account: Signed Up, identify, alias. */
export function signUpVisit(s: SessionBuilder): void {
  const { persona, random } = s
  s.view({ path: '/pricing', title: 'Northfold Pro — pricing', name: 'Pricing' })
  s.view({ path: '/signup', title: 'Create your account', name: 'Sign Up' })
  // From here on the visitor has a userId; alias links the anonymous history to it.
  persona.signedUp = true
  s.alias()
  s.identify(profileTraits(persona))
  s.track('Signed Up', {
    type: random.pick(['organic', 'google', 'apple']),
    first_name: persona.firstName,
    last_name: persona.lastName,
    email: persona.email,
    username: persona.email.split('@')[0],
  })
  s.view({ path: '/welcome', title: 'Welcome aboard', name: 'Welcome' })
}

/** The traits Segment reserves for identify, as this shop knows them. */
export function profileTraits(persona: SessionBuilder['persona']): Record<string, unknown> {
  return {
    email: persona.email,
    name: `${persona.firstName} ${persona.lastName}`,
    firstName: persona.firstName,
    lastName: persona.lastName,
    plan: persona.plan,
    ...(persona.company
      ? {
          company: {
            id: persona.company.id,
            name: persona.company.name,
            plan: persona.company.plan,
          },
        }
      : {}),
  }
}

/**
 * An email campaign reaching a customer, as an email service reports it server-side:
 * delivered, often opened, sometimes clicked (which then lands on the site).
 */
export function emailVisit(s: SessionBuilder): void {
  const { persona, random } = s
  const campaign = random.pick(EMAIL_CAMPAIGNS)
  const email = { email_id: `em_${random.hex(12)}`, ...campaign }
  const esp = { traits: { email: persona.email }, userAgent: 'Example-ESP-Webhook/2.1' }
  s.track('Email Delivered', email, esp)
  if (!random.chance(0.7)) return
  s.track('Email Opened', email, esp)
  if (!random.chance(0.5)) return
  const linkUrl = `${SITE}/collections/spring?utm_source=newsletter&utm_medium=email&utm_campaign=${campaign.campaign_id}`
  s.track(
    'Email Link Clicked',
    { ...email, link_id: `lnk_${random.hex(6)}`, link_url: linkUrl },
    esp,
  )
  s.view(
    {
      path: '/collections/spring',
      title: 'Spring collection',
      name: 'Collection',
      category: 'Shop',
    },
    '?utm_source=newsletter&utm_medium=email',
  )
}

/** Answers the quarterly NPS survey shown in the account area. */
export function surveyVisit(s: SessionBuilder): void {
  const { persona, random } = s
  s.view({ path: '/account', title: 'Your account', name: 'Account' })
  const score = random.chance(0.6) ? random.int(9, 10) : random.int(0, 8)
  const category = score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'
  const comment = random.pick(NPS_COMMENTS)
  s.track('Survey Responded', {
    survey_id: 'nps-2026-q2',
    survey_name: 'Quarterly NPS',
    survey_type: 'nps',
    question: 'How likely are you to recommend Northfold to a friend?',
    score,
    category,
    ...(comment === '' ? {} : { comment }),
  })
  persona.surveyed = true
}

/** A B2B buyer works in their company account: group, then team activity with context.groupId. */
export function teamVisit(s: SessionBuilder): void {
  const { persona, random } = s
  const company = persona.company
  if (company === null) return browseVisit(s)
  s.view({ path: '/team', title: `${company.name} — team`, name: 'Team', category: 'Account' })
  if (!persona.grouped) {
    const { id: _id, ...traits } = company
    s.group(company.id, traits)
    persona.grouped = true
  }
  const inContext = { groupId: company.id }
  if (random.chance(0.6)) {
    s.track(
      'Invite Sent',
      {
        invitee_email: `colleague${random.int(1, 99)}@${new URL(company.website).hostname}`,
        invitee_role: random.pick(['member', 'admin']),
      },
      inContext,
    )
  }
  s.view({ path: '/team/orders', title: 'Team orders', name: 'Team Orders', category: 'Account' })
  s.track(
    'Report Exported',
    { report: 'team_orders', format: random.pick(['csv', 'pdf']) },
    inContext,
  )
}

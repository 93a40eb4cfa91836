import { PRODUCTS, SITE, type Product } from './catalog.js'
import type { Random } from './random.js'

/** Money rounded to cents, as Segment's ecommerce spec expects decimal dollars. */
const cents = (value: number): number => Math.round(value * 100) / 100

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-')

/** A product's page on the demo shop. */
export function productPath(product: Product): string {
  return `/products/${slug(product.name)}`
}

/** The product fields of Ecommerce v2 (`Product Viewed`, items of `products[]`). */
export function productProperties(product: Product, extra: { quantity: number; position: number }) {
  return {
    product_id: product.product_id,
    sku: product.sku,
    category: product.category,
    name: product.name,
    brand: product.brand,
    variant: product.variant,
    price: product.price,
    quantity: extra.quantity,
    position: extra.position,
    url: `${SITE}${productPath(product)}`,
    image_url: `${SITE}/images/${product.sku.toLowerCase()}.jpg`,
  }
}

export interface CartLine {
  product: Product
  quantity: number
}

/** Products a shopper looks at: `count` distinct ones, often from the same category. */
export function browseProducts(random: Random, count: number): Product[] {
  const anchor = random.pick(PRODUCTS)
  const sameCategory = PRODUCTS.filter((p) => p.category === anchor.category && p !== anchor)
  const pool = [anchor, ...sameCategory, ...PRODUCTS.filter((p) => p.category !== anchor.category)]
  return pool.slice(0, Math.max(1, Math.min(count, pool.length)))
}

/**
 * The order totals of Ecommerce v2: `revenue` is the subtotal after discounts, without
 * shipping and tax; `total` includes them.
 */
export function orderTotals(lines: readonly CartLine[], coupon: string | null) {
  const subtotal = cents(lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0))
  const discount = coupon === null ? 0 : cents(subtotal * 0.1)
  const revenue = cents(subtotal - discount)
  const shipping = revenue >= 100 ? 0 : 7.95
  const tax = cents(revenue * 0.08)
  return { subtotal, discount, revenue, shipping, tax, total: cents(revenue + shipping + tax) }
}

/** `products[]` of cart, checkout and order events. */
export function cartProducts(lines: readonly CartLine[], coupon: string | null) {
  return lines.map((line, i) => ({
    ...productProperties(line.product, { quantity: line.quantity, position: i + 1 }),
    ...(coupon === null ? {} : { coupon }),
  }))
}

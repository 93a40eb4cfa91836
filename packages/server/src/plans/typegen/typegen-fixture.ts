import type { PlanRule } from '../model.js'

const payload = (
  section: 'properties' | 'traits',
  schema: Record<string, unknown>,
  extra = {},
) => ({
  type: 'object',
  ...extra,
  properties: { [section]: schema },
})

/** A plan of several events exercising what typegen supports; used by the typegen tests. */
export const TYPEGEN_RULES: PlanRule[] = [
  {
    type: 'TRACK',
    key: 'Order Completed',
    jsonSchema: payload(
      'properties',
      {
        type: 'object',
        description: 'An order was paid.',
        properties: {
          orderId: { type: 'string', description: 'The order id.' },
          total: { type: 'number', minimum: 0 },
          currency: { enum: ['EUR', 'USD'] },
          coupon: { type: ['string', 'null'] },
          placedAt: { type: 'string', format: 'date-time' },
          products: { type: 'array', items: { $ref: '#/definitions/product' } },
          shipping: {
            type: 'object',
            properties: {
              method: { const: 'express' },
              address: {
                type: 'object',
                properties: { city: { type: 'string' }, zip: { type: 'string' } },
                required: ['city'],
              },
            },
            required: ['method'],
          },
        },
        required: ['orderId', 'total', 'currency', 'products'],
      },
      {
        definitions: {
          product: {
            type: 'object',
            properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
            required: ['sku', 'quantity'],
          },
        },
      },
    ),
  },
  {
    type: 'TRACK',
    key: 'Order Completed',
    version: 2,
    jsonSchema: payload('properties', {
      type: 'object',
      properties: {
        orderId: { type: 'string' },
        revenue: { type: 'number' },
        gift: { type: 'boolean' },
      },
      required: ['orderId', 'revenue'],
    }),
  },
  {
    type: 'TRACK',
    key: 'Product Viewed',
    jsonSchema: payload('properties', {
      type: 'object',
      properties: { sku: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } },
    }),
  },
  {
    type: 'IDENTIFY',
    jsonSchema: payload('traits', {
      type: 'object',
      properties: { email: { type: 'string', format: 'email' }, plan: { enum: ['free', 'pro'] } },
      required: ['email'],
    }),
  },
  {
    type: 'GROUP',
    jsonSchema: payload('traits', {
      type: 'object',
      properties: { name: { type: 'string' }, employees: { type: 'integer' } },
      required: ['name'],
    }),
  },
  {
    type: 'PAGE',
    key: 'Home',
    jsonSchema: payload('properties', {
      type: 'object',
      properties: { referrer: { type: 'string' } },
    }),
  },
  {
    type: 'PAGE',
    jsonSchema: payload('properties', {
      type: 'object',
      properties: { path: { type: 'string' } },
      required: ['path'],
    }),
  },
  { type: 'COMMON', jsonSchema: { type: 'object' } },
]

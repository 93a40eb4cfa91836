/**
 * Identifiers read from `context`: the device (`context.device`) and `context.externalIds`.
 * Part of `extract-identifiers.ts`.
 */
import type { IdentifierSink } from './extract-sink.js'
import { field } from './extract-values.js'

/** The platform prefix of a device type: `android` or `ios` (case-insensitive), else null. */
function devicePlatform(type: unknown): 'android' | 'ios' | null {
  if (typeof type !== 'string') return null
  if (type.length === 7 && type.toLowerCase() === 'android') return 'android'
  if (type.length === 3 && type.toLowerCase() === 'ios') return 'ios'
  return null
}

/**
 * `<platform>.id` from `device.id`, `<platform>.idfa` from `device.advertisingId` only when
 * `device.adTrackingEnabled === true`, `<platform>.push_token` from `device.token`. Nothing
 * when the device type is neither android nor ios.
 */
export function extractDevice(sink: IdentifierSink, device: unknown): void {
  const platform = devicePlatform(field(device, 'type'))
  if (platform === null) return
  sink.add('users', `${platform}.id`, field(device, 'id'))
  if (field(device, 'adTrackingEnabled') === true) {
    sink.add('users', `${platform}.idfa`, field(device, 'advertisingId'))
  }
  sink.add('users', `${platform}.push_token`, field(device, 'token'))
}

/**
 * `context.externalIds[]`: each entry needs `id` (string or number), `type` (a non-empty
 * string, lower-cased), `collection` (`users` or `accounts`) and `encoding` (a string);
 * entries missing any of them are ignored.
 */
export function extractExternalIds(sink: IdentifierSink, externalIds: unknown): void {
  if (!Array.isArray(externalIds)) return
  for (const entry of externalIds as unknown[]) {
    const type = field(entry, 'type')
    const collection = field(entry, 'collection')
    if (typeof type !== 'string' || typeof field(entry, 'encoding') !== 'string') continue
    if (collection !== 'users' && collection !== 'accounts') continue
    const normalizedType = type.trim().toLowerCase()
    if (normalizedType.length === 0) continue
    sink.add(collection, normalizedType, field(entry, 'id'))
  }
}

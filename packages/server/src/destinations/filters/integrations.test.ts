import { describe, expect, it } from 'vitest'
import { integrationsAllow } from './integrations.js'

const mixpanel = ['mixpanel-eu', 'Mixpanel EU', 'Mixpanel (Actions)', 'Mixpanel']

describe('integrationsAllow', () => {
  it.each<[string, unknown, boolean]>([
    ['no object', undefined, true],
    ['null', null, true],
    ['a list', [false], true],
    ['a string', 'none', true],
    ['an empty object', {}, true],
    ['All: true', { All: true }, true],
    ['All: false', { All: false }, false],
    ['All: false, name: true', { All: false, Mixpanel: true }, true],
    ['All: false, display name: true', { All: false, 'Mixpanel (Actions)': true }, true],
    ['All: false, id: true', { All: false, 'mixpanel-eu': true }, true],
    ['All: false, options object', { All: false, Mixpanel: { apiSecret: 'x' } }, true],
    ['All: false, another destination true', { All: false, Amplitude: true }, false],
    ['name: false', { Mixpanel: false }, false],
    ['display name: false', { 'Mixpanel (Actions)': false }, false],
    ['id: false', { 'mixpanel-eu': false }, false],
    ['All: true, name: false', { All: true, Mixpanel: false }, false],
    ['one name true, another false', { Mixpanel: true, 'Mixpanel EU': false }, false],
    ['another destination false', { Amplitude: false }, true],
    ['Segment’s default', { All: true, Salesforce: false }, true],
    ['non-boolean values are ignored', { All: false, Mixpanel: 'yes' }, false],
    ['null is ignored', { Mixpanel: null }, true],
    ['a list is not an options object', { All: false, Mixpanel: [] }, false],
    ['other case, false: turns off', { mixpanel: false }, false],
    ['other case, true: does not turn on', { All: false, mixpanel: true }, false],
    ['other case, all: false', { all: false }, false],
    ['other case, all: false, name: true', { all: false, Mixpanel: true }, true],
    ['a prefix is not a name', { Mix: false, 'Mixpanel (Actions) EU': false }, true],
  ])('%s → %s', (_, integrations, expected) => {
    expect(integrationsAllow(integrations, mixpanel)).toBe(expected)
  })

  it('ignores keys inherited through the prototype', () => {
    const inherited = Object.create({ Mixpanel: false }) as Record<string, unknown>
    expect(integrationsAllow(inherited, mixpanel)).toBe(true)
  })
})

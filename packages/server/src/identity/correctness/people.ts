/**
 * The people of a scenario: ids that are unique across scenarios (they embed the scenario
 * index), and the varied spellings real clients send of the same email or phone number.
 */
import type { Story } from './story.js'

const FIRST = ['ada', 'grace', 'alan', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'radia']
const LAST = ['lovelace', 'hopper', 'turing', 'torvalds', 'hamilton', 'thompson', 'liskov']

export interface Person {
  /** The person's name in truth labels, e.g. `a`. */
  name: string
  /** userId as clients send it: a string, or a number from some backends. */
  userId: string
  numericUserId: number | null
  email: string
  /** A US number (national digits, without formatting). */
  phoneDigits: string
}

/** Person `k` of the story's scenario (k < 10). */
export function makePerson(story: Story, name: string, k: number): Person {
  const rng = story.rng
  const first = rng.pick(FIRST)
  const last = rng.pick(LAST)
  const serial = story.index * 10 + k
  const numeric = rng.chance(0.3) ? 5_000_000 + serial : null
  return {
    name,
    userId: numeric === null ? `usr_${story.scenario}_${k}_${rng.hex(6)}` : String(numeric),
    numericUserId: numeric,
    email: `${first}.${last}.${serial}@mail.example.org`,
    phoneDigits: `415${200 + Math.floor(serial / 10_000)}${String(serial % 10_000).padStart(4, '0')}`,
  }
}

/** Another address of the same person (a changed email), unique to `(person, n)`. */
export function otherEmail(person: Person, n: number): string {
  return person.email.replace('@mail.', `.${n}@inbox.`)
}

/** The email as some client spells it: case and surrounding spaces vary. */
export function spellEmail(story: Story, email: string): string {
  const variant = story.rng.int(0, 3)
  if (variant === 1) return email.toUpperCase()
  if (variant === 2) return ` ${email.charAt(0).toUpperCase()}${email.slice(1)} `
  return email
}

/** The phone as some client spells it: national, international, dotted or compact. */
export function spellPhone(story: Story, digits: string): string {
  const [area, exchange, line] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)]
  switch (story.rng.int(0, 3)) {
    case 0:
      return `(${area}) ${exchange}-${line}`
    case 1:
      return `+1 ${area} ${exchange} ${line}`
    case 2:
      return `${area}.${exchange}.${line}`
    default:
      return `+1${digits}`
  }
}

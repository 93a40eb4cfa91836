/** Whether a value can be a date of birth (the key already said it is one). */

const MONTHS =
  /\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?)\b/i

const okYear = (y: number): boolean => y >= 1900 && y <= new Date().getUTCFullYear()
const okMonth = (m: number): boolean => m >= 1 && m <= 12

type Check = (m: RegExpExecArray) => boolean

/** Date shapes and what each must satisfy. */
const SHAPES: readonly [RegExp, Check][] = [
  // ISO (optionally with a time): 1987-04-12, 1987/04/12
  [
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T[\d:.]+Z?)?$/,
    (m) => okYear(+m[1]!) && okMonth(+m[2]!) && +m[3]! <= 31,
  ],
  // day/month/year or month/day/year, 2- or 4-digit year
  [
    /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/,
    (m) => +m[1]! <= 31 && +m[2]! <= 31 && (m[3]!.length === 2 || okYear(+m[3]!)),
  ],
  // a day and a month without the year
  [/^\d{1,2}[-/.]\d{1,2}$/, () => true],
  // yyyymmdd
  [/^(\d{4})(\d{2})(\d{2})$/, (m) => okYear(+m[1]!) && okMonth(+m[2]!)],
]

/** A date (year 1900 to now), a day and month, or a date written with a month name. */
export function plausibleBirthDate(value: string): boolean {
  const v = value.trim()
  for (const [shape, check] of SHAPES) {
    const m = shape.exec(v)
    if (m) return check(m)
  }
  return MONTHS.test(v) && /\d/.test(v) && v.length <= 24
}

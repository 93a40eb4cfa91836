import { useState } from 'react'
import type { Source } from '../../api/types'
import { Choice } from './parts'
import type { Enforcement, EnforcementPatch } from './types'

type Setting = Exclude<keyof Enforcement, 'forwardViolationsTo'>

/** Segment's schema controls, in its order, with the verdicts each allows. */
const CONTROLS: ReadonlyArray<{ key: Setting; label: string; options: readonly string[] }> = [
  { key: 'unplannedEvents', label: 'Unplanned track events', options: ['allow', 'block'] },
  { key: 'unplannedProperties', label: 'Unplanned track properties', options: ['allow', 'omit'] },
  {
    key: 'unplannedIdentifyTraits',
    label: 'Unplanned identify traits',
    options: ['allow', 'omit'],
  },
  { key: 'unplannedGroupTraits', label: 'Unplanned group traits', options: ['allow', 'omit'] },
  { key: 'trackViolations', label: 'Track violations', options: ['allow', 'block', 'omit'] },
  { key: 'identifyViolations', label: 'Identify violations', options: ['allow', 'block', 'omit'] },
  { key: 'groupViolations', label: 'Group violations', options: ['allow', 'block', 'omit'] },
  { key: 'commonViolations', label: 'Common violations', options: ['allow', 'block', 'omit'] },
]

export const DEFAULT_ENFORCEMENT: Enforcement = {
  unplannedEvents: 'allow',
  unplannedProperties: 'allow',
  unplannedIdentifyTraits: 'allow',
  unplannedGroupTraits: 'allow',
  trackViolations: 'allow',
  identifyViolations: 'allow',
  groupViolations: 'allow',
  commonViolations: 'allow',
}

/** Every setting of `value` as a PATCH body: no forwarding is `null`, which stops it. */
export function toPatch(value: Enforcement): EnforcementPatch {
  const { forwardViolationsTo, ...settings } = value
  return { ...settings, forwardViolationsTo: forwardViolationsTo ?? null }
}

/**
 * The enforcement settings of one source: a choice per control and the source that receives
 * `Violation Generated` events. `idPrefix` keeps the inputs' ids unique on the page.
 */
export function EnforcementFields({
  idPrefix,
  value,
  sources,
  disabled,
  onChange,
}: {
  idPrefix: string
  value: Enforcement
  sources: Source[]
  disabled: boolean
  onChange: (value: Enforcement) => void
}) {
  const forward = value.forwardViolationsTo ?? ''
  return (
    <div className="plan-fields">
      {CONTROLS.map((c) => (
        <Choice
          key={c.key}
          id={`${idPrefix}-${c.key}`}
          label={c.label}
          value={value[c.key]}
          options={c.options}
          disabled={disabled}
          onChange={(v) => onChange({ ...value, [c.key]: v })}
        />
      ))}
      <div className="plan-field">
        <label htmlFor={`${idPrefix}-forward`}>Forward violations to</label>
        <select
          id={`${idPrefix}-forward`}
          value={forward}
          disabled={disabled}
          onChange={(e) => {
            const { forwardViolationsTo: _omit, ...rest } = value
            onChange(e.target.value ? { ...rest, forwardViolationsTo: e.target.value } : rest)
          }}
        >
          <option value="">not forwarded</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.id})
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}

/** A form around {@link EnforcementFields} with one submit button. */
export function EnforcementForm({
  idPrefix,
  initial,
  sources,
  disabled,
  submitLabel,
  onSubmit,
}: {
  idPrefix: string
  initial: Enforcement
  sources: Source[]
  disabled: boolean
  submitLabel: string
  onSubmit: (value: Enforcement) => void
}) {
  const [value, setValue] = useState(initial)
  return (
    <form
      aria-label={`Enforcement of ${idPrefix}`}
      onSubmit={(e) => {
        e.preventDefault()
        onSubmit(value)
      }}
    >
      <EnforcementFields
        idPrefix={idPrefix}
        value={value}
        sources={sources}
        disabled={disabled}
        onChange={setValue}
      />
      {!disabled && (
        <button className="button small" type="submit">
          {submitLabel}
        </button>
      )}
    </form>
  )
}

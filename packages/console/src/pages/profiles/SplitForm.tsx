import { useState } from 'react'
import type { ProfileDetail, SplitRequest } from '../../api/identity-types'
import { idKey } from './format'

interface Target {
  kind: 'block' | 'separate'
  identifier: string
  a: string
  b: string
}

interface IdSelectProps {
  id: string
  label: string
  keys: string[]
  value: string
  onChange: (value: string) => void
}

function IdSelect({ id, label, keys, value, onChange }: IdSelectProps) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {keys.map((key) => (
          <option key={key} value={key}>
            {key}
          </option>
        ))}
      </select>
    </>
  )
}

function KindChoice({
  kind,
  onChange,
}: {
  kind: Target['kind']
  onChange: (kind: Target['kind']) => void
}) {
  const option = (value: Target['kind'], text: string) => (
    <label className="radio">
      <input
        type="radio"
        name="split-kind"
        checked={kind === value}
        onChange={() => onChange(value)}
      />
      {text}
    </label>
  )
  return (
    <fieldset className="choice">
      <legend>Correction</legend>
      {option('separate', 'Separate two identifiers')}
      {option('block', 'Block one identifier')}
    </fieldset>
  )
}

/** The identifiers the split names: one to block, or two to keep apart. */
function TargetFields({
  target,
  keys,
  onChange,
}: {
  target: Target
  keys: string[]
  onChange: (t: Target) => void
}) {
  const select = (field: 'identifier' | 'a' | 'b', id: string, label: string) => (
    <IdSelect
      id={id}
      label={label}
      keys={keys}
      value={target[field]}
      onChange={(value) => onChange({ ...target, [field]: value })}
    />
  )
  return (
    <>
      <KindChoice kind={target.kind} onChange={(kind) => onChange({ ...target, kind })} />
      {target.kind === 'block' ? (
        select('identifier', 'split-identifier', 'Identifier to block')
      ) : (
        <>
          {select('a', 'split-a', 'Keep this identifier')}
          {select('b', 'split-b', 'apart from this one')}
          {target.a === target.b && <p className="help">Choose two different identifiers.</p>}
        </>
      )}
    </>
  )
}

/** What a split request will do, in words, for the confirmation. */
export function describeSplit(request: SplitRequest): string {
  return request.kind === 'block'
    ? `Block ${request.identifier}: it is never used to match events again, and the events of this profile are resolved again without it.`
    : `Keep ${request.a} and ${request.b} on separate profiles from now on, and resolve the events of this profile again.`
}

function toRequest(target: Target, reason: string): SplitRequest {
  return target.kind === 'block'
    ? { kind: 'block', identifier: target.identifier, reason }
    : { kind: 'separate', a: target.a, b: target.b, reason }
}

interface SplitFormProps {
  profile: ProfileDetail
  onReview: (request: SplitRequest) => void
}

/** Chooses the correction: block one identifier, or separate two. */
export function SplitForm({ profile, onReview }: SplitFormProps) {
  const keys = profile.identifiers.map(idKey)
  const last = keys[keys.length - 1] ?? ''
  const [target, setTarget] = useState<Target>({
    kind: 'separate',
    identifier: last,
    a: keys[0] ?? '',
    b: last,
  })
  const [reason, setReason] = useState('')
  const invalid = reason.trim() === '' || (target.kind === 'separate' && target.a === target.b)
  return (
    <form
      className="form split-form"
      aria-label="Split profile"
      onSubmit={(e) => {
        e.preventDefault()
        onReview(toRequest(target, reason.trim()))
      }}
    >
      <TargetFields target={target} keys={keys} onChange={setTarget} />
      <label htmlFor="split-reason">Reason</label>
      <textarea
        id="split-reason"
        rows={2}
        required
        maxLength={500}
        placeholder="Shared family computer"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div>
        <button type="submit" className="button" disabled={invalid}>
          Review split
        </button>
      </div>
    </form>
  )
}

import { SECRET_MASK } from '../../api/destination-types'
import type { FieldSpec, FieldValue, FieldValues } from './settingsForm'

interface InputProps {
  field: FieldSpec
  id: string
  value: FieldValue
  onChange: (value: FieldValue) => void
}

/** What an empty field means: `default: POST`; empty when the schema names no default. */
function defaultText(field: FieldSpec): string {
  if (field.defaultValue === undefined) return ''
  const value =
    typeof field.defaultValue === 'string' ? field.defaultValue : JSON.stringify(field.defaultValue)
  return `default: ${value}`
}

const INPUT_TYPES = { number: 'number', password: 'password', string: 'text' } as const

interface TextInputProps extends Omit<InputProps, 'value'> {
  kind: keyof typeof INPUT_TYPES
  text: string
}

function TextInput({ field, kind, id, text, onChange }: TextInputProps) {
  return (
    <input
      id={id}
      type={INPUT_TYPES[kind]}
      step={kind === 'number' && !field.integer ? 'any' : undefined}
      required={field.required}
      autoComplete={kind === 'password' ? 'new-password' : 'off'}
      value={text}
      placeholder={defaultText(field)}
      aria-describedby={field.description ? `${id}-help` : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  )
}

function FieldInput({ field, id, value, onChange }: InputProps) {
  const text = typeof value === 'string' ? value : ''
  const describedBy = field.description ? `${id}-help` : undefined
  switch (field.kind) {
    case 'boolean':
      return (
        <input
          id={id}
          type="checkbox"
          checked={value === true}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.checked)}
        />
      )
    case 'enum':
      return (
        <select
          id={id}
          value={text}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        >
          {!field.required && <option value="">{defaultText(field) || '—'}</option>}
          {field.choices.map((choice) => (
            <option key={String(choice)} value={String(choice)}>
              {String(choice)}
            </option>
          ))}
        </select>
      )
    case 'json':
      return (
        <textarea
          id={id}
          rows={3}
          className="dest-code"
          spellCheck={false}
          placeholder={defaultText(field) || 'JSON'}
          value={text}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
        />
      )
    case 'number':
    case 'string':
    case 'password':
      return <TextInput field={field} kind={field.kind} id={id} text={text} onChange={onChange} />
  }
}

interface SettingsFieldsProps {
  fields: FieldSpec[]
  values: FieldValues
  onChange: (values: FieldValues) => void
}

/** The settings of a destination type, one input per property of its JSON Schema. */
export function SettingsFields({ fields, values, onChange }: SettingsFieldsProps) {
  if (fields.length === 0) return <p className="muted">This type has no settings.</p>
  return (
    <div className="dest-fields">
      {fields.map((field) => {
        const id = `setting-${field.key}`
        const value = values[field.key] ?? ''
        return (
          <div key={field.key} className={`dest-field ${field.kind}`} data-testid={id}>
            <label htmlFor={id}>
              {field.label}
              {field.required && (
                <span className="required" aria-label="required">
                  {' '}
                  *
                </span>
              )}
            </label>
            <FieldInput
              field={field}
              id={id}
              value={value}
              onChange={(next) => onChange({ ...values, [field.key]: next })}
            />
            {field.description && (
              <p className="help" id={`${id}-help`}>
                {field.description}
              </p>
            )}
            {value === SECRET_MASK && (
              <p className="help">Stored secret: leave as is to keep it, or type a new value.</p>
            )}
          </div>
        )
      })}
    </div>
  )
}

import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'

interface SourcePickerProps {
  /** null = every source. */
  value: string[] | null
  onChange: (value: string[] | null) => void
}

/** Every source, or only the checked ones. */
export function SourcePicker({ value, onChange }: SourcePickerProps) {
  const api = useApi()
  const sources = useLoad(() => api.listSources(), [api])
  const chosen = value ?? []
  const toggle = (id: string, on: boolean): void =>
    onChange(on ? [...chosen, id] : chosen.filter((s) => s !== id))
  return (
    <fieldset className="choice">
      <legend>Sources</legend>
      <label className="radio">
        <input
          type="radio"
          name="dest-sources"
          checked={value === null}
          onChange={() => onChange(null)}
        />
        All sources
      </label>
      <label className="radio">
        <input
          type="radio"
          name="dest-sources"
          checked={value !== null}
          onChange={() => onChange(chosen)}
        />
        Only these sources
      </label>
      {value !== null && (
        <div className="dest-source-list">
          {(sources.data ?? []).map((source) => (
            <label key={source.id} className="radio">
              <input
                type="checkbox"
                checked={chosen.includes(source.id)}
                onChange={(e) => toggle(source.id, e.target.checked)}
              />
              {source.name} <code className="muted small">{source.id}</code>
            </label>
          ))}
          {sources.error && <p className="error">{sources.error}</p>}
        </div>
      )}
    </fieldset>
  )
}

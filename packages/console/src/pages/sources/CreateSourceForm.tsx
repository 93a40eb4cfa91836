import { useState } from 'react'
import type { Source } from '../../api/types'
import { useApi } from '../../auth'
import { useFormSubmit } from '../../components/useFormSubmit'

/** Origins typed one per line or comma-separated; empty means "any origin". */
export function parseOrigins(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '')
}

export function CreateSourceForm({ onCreated }: { onCreated: (source: Source) => void }) {
  const api = useApi()
  const [name, setName] = useState('')
  const [origins, setOrigins] = useState('')
  const { busy, error, onSubmit } = useFormSubmit(async () => {
    const allowedOrigins = parseOrigins(origins)
    const source = await api.createSource({
      name: name.trim(),
      ...(allowedOrigins.length > 0 ? { allowedOrigins } : {}),
    })
    onCreated(source)
  })

  return (
    <form className="form" aria-label="Create source" onSubmit={onSubmit}>
      <label htmlFor="source-name">Name</label>
      <input
        id="source-name"
        required
        maxLength={200}
        placeholder="Web shop"
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <label htmlFor="source-origins">Allowed origins (optional)</label>
      <textarea
        id="source-origins"
        rows={2}
        placeholder="https://shop.example.com"
        aria-describedby="source-origins-help"
        value={origins}
        onChange={(e) => setOrigins(e.target.value)}
      />
      <p id="source-origins-help" className="help">
        One per line. Browsers on other origins are refused; leave empty to accept any.
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="button" disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create source'}
        </button>
      </div>
    </form>
  )
}

import { useState } from 'react'
import { ApiError } from '../api/client'
import { useAuth } from '../auth'
import { useFormSubmit } from '../components/useFormSubmit'
import { errorMessage } from '../components/useLoad'

function loginError(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'That token was not accepted. Check it and try again.'
  }
  return `Could not reach Tessera: ${errorMessage(error)}`
}

/** Paste an admin token; it is verified with /api/v1/whoami before it is kept. */
export function LoginPage() {
  const { login } = useAuth()
  const [token, setToken] = useState('')
  const { busy, error, onSubmit } = useFormSubmit(() => login(token), loginError)

  return (
    <div className="login">
      <form className="card login-card" onSubmit={onSubmit} aria-label="Log in">
        <h1 className="brand login-brand">
          <span className="brand-mark" aria-hidden="true">
            ▦
          </span>
          Tessera
        </h1>
        <p className="muted">
          Paste an admin token: one of <code>adminTokens</code> in your config,{' '}
          <code>TESSERA_ADMIN_TOKEN</code>, or the generated one in{' '}
          <code>.tessera/admin-token</code>.
        </p>
        <label htmlFor="admin-token">Admin token</label>
        <input
          id="admin-token"
          type="password"
          autoComplete="current-password"
          autoFocus
          required
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        {error && (
          <p className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </div>
  )
}

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import { ApiClient } from './api/client'

const STORAGE_KEY = 'tessera.adminToken'

interface Auth {
  token: string | null
  /** The admin API client for the current token; null when logged out. */
  client: ApiClient | null
  /** Verifies the token with /api/v1/whoami, then keeps it. Throws when it is refused. */
  login: (token: string) => Promise<void>
  logout: () => void
}

const AuthContext = createContext<Auth | null>(null)

function readStoredToken(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

/** Holds the admin token (kept in localStorage); any 401 from the API logs out. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(readStoredToken)

  const logout = useCallback(() => {
    window.localStorage.removeItem(STORAGE_KEY)
    setToken(null)
  }, [])

  const login = useCallback(async (candidate: string) => {
    const trimmed = candidate.trim()
    await new ApiClient(trimmed).whoami()
    window.localStorage.setItem(STORAGE_KEY, trimmed)
    setToken(trimmed)
  }, [])

  const client = useMemo(() => (token ? new ApiClient(token, logout) : null), [token, logout])
  const value = useMemo(() => ({ token, client, login, logout }), [token, client, login, logout])
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext)
  if (!auth) throw new Error('useAuth is used outside <AuthProvider>')
  return auth
}

/** The API client of a logged-in page (pages render only when logged in). */
export function useApi(): ApiClient {
  const { client } = useAuth()
  if (!client) throw new Error('useApi is used while logged out')
  return client
}

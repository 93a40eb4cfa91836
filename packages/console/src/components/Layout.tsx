import type { ReactNode } from 'react'
import { useAuth } from '../auth'
import { Link } from '../router'
import type { AppRoute } from '../routes'

interface LayoutProps {
  routes: AppRoute[]
  current: AppRoute | undefined
  children: ReactNode
}

/** Header, left navigation built from the route table, and the page. */
export function Layout({ routes, current, children }: LayoutProps) {
  const { logout } = useAuth()
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ▦
          </span>
          Tessera
        </Link>
        <button type="button" className="button secondary small" onClick={logout}>
          Log out
        </button>
      </header>
      <nav className="app-nav" aria-label="Main navigation">
        <ul>
          {routes.map((route) => (
            <li key={route.path}>
              <Link
                to={route.path}
                className={route === current ? 'nav-link active' : 'nav-link'}
                aria-current={route === current ? 'page' : undefined}
              >
                {route.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main className="app-main">{children}</main>
    </div>
  )
}

import { useEffect, useState, type MouseEvent, type ReactNode } from 'react'

const NAVIGATE_EVENT = 'tessera:navigate'

/** Client-side navigation: pushes the path and tells every `usePath` hook. */
export function navigate(path: string): void {
  if (path === window.location.pathname) return
  window.history.pushState(null, '', path)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

/** The current pathname, updated on navigation and on back/forward. */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname)
  useEffect(() => {
    const update = (): void => setPath(window.location.pathname)
    window.addEventListener('popstate', update)
    window.addEventListener(NAVIGATE_EVENT, update)
    return () => {
      window.removeEventListener('popstate', update)
      window.removeEventListener(NAVIGATE_EVENT, update)
    }
  }, [])
  return path
}

/** Does `path` fall under `routePath`? `/` matches only itself; others match their subpaths. */
export function matchesRoute(routePath: string, path: string): boolean {
  if (routePath === '/') return path === '/'
  return path === routePath || path.startsWith(`${routePath}/`)
}

interface LinkProps {
  to: string
  children: ReactNode
  className?: string
  'aria-current'?: 'page' | undefined
}

/** An anchor that navigates without reloading (modified clicks keep browser behaviour). */
export function Link({ to, children, ...rest }: LinkProps) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    e.preventDefault()
    navigate(to)
  }
  return (
    <a href={to} onClick={onClick} {...rest}>
      {children}
    </a>
  )
}

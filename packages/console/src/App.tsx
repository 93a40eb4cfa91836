import { useAuth } from './auth'
import { Layout } from './components/Layout'
import { LoginPage } from './pages/LoginPage'
import { matchesRoute, usePath } from './router'
import { routes } from './routes'

export function App() {
  const { token } = useAuth()
  const path = usePath()
  if (!token) return <LoginPage />
  const route = routes.find((r) => matchesRoute(r.path, path))
  return (
    <Layout routes={routes} current={route}>
      {route ? (
        route.element
      ) : (
        <section className="page">
          <h1>Not found</h1>
          <p>No page at {path}.</p>
        </section>
      )}
    </Layout>
  )
}

import { useApi } from '../../auth'
import { ErrorNote } from '../../components/ErrorNote'
import { useLoad } from '../../components/useLoad'
import { ClassifyTester } from './ClassifyTester'
import { ConsentMapping } from './ConsentMapping'
import { InventorySection } from './InventorySection'
import { MatchersSection } from './MatchersSection'
import { PiiRulesSection } from './PiiRulesSection'
import './privacy.css'

/** `/privacy`: the PII inventory, the rules and matchers in force, a classifier, consent. */
export function PrivacyPage() {
  const api = useApi()
  const sources = useLoad(() => api.listSources(), [api])
  return (
    <section className="page">
      <div className="page-header">
        <h1>Privacy</h1>
        <p className="muted">
          Which fields hold personal data, what happens to each class, and which consent each
          destination needs.
        </p>
      </div>
      <ErrorNote error={sources.error} />
      <InventorySection sources={sources.data ?? []} />
      <PiiRulesSection />
      <MatchersSection />
      <ClassifyTester />
      <ConsentMapping />
    </section>
  )
}

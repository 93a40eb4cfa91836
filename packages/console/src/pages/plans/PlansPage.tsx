import { usePath } from '../../router'
import { PlanDetail } from './PlanDetail'
import { PlanIndex } from './PlanIndex'
import './plans.css'

/** `/tracking-plans` lists and creates; `/tracking-plans/:id[/:tab]` shows one plan. */
export function PlansPage() {
  const path = usePath()
  const prefix = '/tracking-plans/'
  const rest = path.startsWith(prefix) ? path.slice(prefix.length) : ''
  const [id = '', tab = ''] = rest.split('/').map(decodeURIComponent)
  if (id) return <PlanDetail key={id} id={id} tab={tab} />
  return <PlanIndex />
}

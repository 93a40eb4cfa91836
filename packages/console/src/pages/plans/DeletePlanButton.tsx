import { useState } from 'react'
import { useApi } from '../../auth'
import { navigate } from '../../router'
import { ErrorNote } from './parts'
import { plansApi } from './plansApi'
import { planErrorText } from './ruleModel'
import type { TrackingPlan } from './types'

/**
 * Deletes the plan after a confirmation: its revisions and source connections go with it (one
 * transaction on the server), then the list is shown. Not offered for plans of the config file.
 */
export function DeletePlanButton({ plan }: { plan: TrackingPlan }) {
  const api = useApi()
  const [error, setError] = useState<string | null>(null)
  if (plan.managed) return null
  const remove = async (): Promise<void> => {
    const question = `Delete the tracking plan "${plan.name}"? Its sources are disconnected and its revisions are lost.`
    if (!window.confirm(question)) return
    setError(null)
    try {
      await plansApi.remove(api, plan.id)
      navigate('/tracking-plans')
    } catch (err) {
      setError(planErrorText(err))
    }
  }
  return (
    <div>
      <button className="button danger" type="button" onClick={() => void remove()}>
        Delete plan
      </button>
      <ErrorNote error={error} />
    </div>
  )
}

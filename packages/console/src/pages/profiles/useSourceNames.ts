import { useApi } from '../../auth'
import { useLoad } from '../../components/useLoad'

/** Source names by id, to show where a trait or event came from; the id until loaded. */
export function useSourceNames(): (sourceId: string) => string {
  const api = useApi()
  const { data } = useLoad(
    async () => new Map((await api.listSources()).map((s) => [s.id, s.name])),
    [api],
  )
  return (sourceId) => data?.get(sourceId) ?? sourceId
}

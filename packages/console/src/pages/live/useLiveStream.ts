import { useEffect, useReducer, useState, type Dispatch } from 'react'
import type { Rejection, StoredEvent } from '../../api/types'
import { useApi } from '../../auth'
import { errorMessage } from '../../components/useLoad'
import {
  eventItem,
  initialLiveState,
  liveReducer,
  rejectionItem,
  type LiveAction,
  type LiveState,
} from './liveModel'

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed'

const HISTORY = 50

function parse<T>(message: MessageEvent<string>): T | null {
  try {
    return JSON.parse(message.data) as T
  } catch {
    return null
  }
}

export interface LiveStream {
  state: LiveState
  dispatch: Dispatch<LiveAction>
  status: StreamStatus
  error: string | null
}

/**
 * Streams events and rejections of one source (or all) from /api/v1/stream. Each time it
 * connects it loads the last 50 events and rejections, so the list starts filled; overlaps between
 * history and stream are dropped by key.
 */
export function useLiveStream(sourceId: string): LiveStream {
  const api = useApi()
  const [state, dispatch] = useReducer(liveReducer, initialLiveState)
  const [status, setStatus] = useState<StreamStatus>('connecting')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let active = true
    dispatch({ type: 'reset' })
    setStatus('connecting')
    setError(null)
    const query = { sourceId: sourceId || undefined, limit: HISTORY }
    const loadHistory = async (): Promise<void> => {
      const [events, rejections] = await Promise.all([api.events(query), api.rejectedEvents(query)])
      if (!active) return
      const items = [...events.data.map(eventItem), ...rejections.data.map(rejectionItem)]
      dispatch({ type: 'history', items })
    }

    const source = new EventSource(api.streamUrl(sourceId || undefined))
    // On every (re)connection: history fills what the stream missed meanwhile.
    source.onopen = () => {
      setStatus('live')
      loadHistory().catch((err: unknown) => active && setError(errorMessage(err)))
    }
    source.onerror = () => {
      if (source.readyState !== EventSource.CLOSED) {
        setStatus('reconnecting')
        return
      }
      setStatus('closed')
      // A refused token closes the stream: whoami answers 401 and the app logs out.
      api.whoami().catch((err: unknown) => active && setError(errorMessage(err)))
    }
    source.addEventListener('event', (message: MessageEvent<string>) => {
      const data = parse<StoredEvent>(message)
      if (data) dispatch({ type: 'arrive', items: [eventItem(data)] })
    })
    source.addEventListener('rejection', (message: MessageEvent<string>) => {
      const data = parse<Rejection>(message)
      if (data) dispatch({ type: 'arrive', items: [rejectionItem(data)] })
    })
    return () => {
      active = false
      source.close()
    }
  }, [api, sourceId])

  return { state, dispatch, status, error }
}

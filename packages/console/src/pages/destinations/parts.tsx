import { useState, type ReactNode } from 'react'
import type { DestinationRecord, ExchangeSample } from '../../api/destination-types'
import { formatTime, prettyJson } from './format'

export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p className="error" role="alert">
      {error}
    </p>
  )
}

export function Problems({ problems }: { problems: string[] }) {
  if (problems.length === 0) return null
  return (
    <ul className="error dest-problems" role="alert" data-testid="problems">
      {problems.map((p, i) => (
        <li key={i}>{p}</li>
      ))}
    </ul>
  )
}

/** running / backing off / error / disabled, with the reason on hover and beside it. */
export function StateBadge({ record }: { record: DestinationRecord }) {
  const { status, config } = record
  if (!config.enabled || status.state === 'disabled') {
    return <span className="dest-state disabled">disabled</span>
  }
  if (status.state === 'error') {
    return (
      <span className="dest-state error" title={status.problem ?? ''}>
        error
        {status.problem && <span className="dest-state-detail">{status.problem}</span>}
      </span>
    )
  }
  if (status.backoff) {
    const { lastError, nextAt } = status.backoff
    return (
      <span className="dest-state backoff" title={lastError.message}>
        backing off
        <span className="dest-state-detail">
          {lastError.code}: {lastError.message} · next try {formatTime(nextAt)}
        </span>
      </span>
    )
  }
  return <span className={`dest-state ${status.state}`}>{status.state}</span>
}

function Block({ title, text }: { title: string; text: string }) {
  return (
    <div className="dest-exchange-part">
      <h4>{title}</h4>
      <pre>{text}</pre>
    </div>
  )
}

function headerText(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')
}

/** One HTTP request with its response, side by side. */
export function ExchangeView({ sample }: { sample: ExchangeSample }) {
  const { request, response } = sample
  return (
    <div className="dest-exchange" data-testid="exchange">
      <Block
        title={`Request: ${request.method} ${request.url}`}
        text={`${headerText(request.headers)}\n\n${prettyJson(request.body)}`}
      />
      {response ? (
        <Block
          title={`Response: HTTP ${response.status}`}
          text={`${headerText(response.headers)}\n\n${prettyJson(response.body)}`}
        />
      ) : (
        <Block title="Response" text="No response (the request failed)." />
      )}
    </div>
  )
}

/** A toggle that shows `children` when open. */
export function Expandable({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button
        type="button"
        className="button secondary small"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide' : label}
      </button>
      {open && children}
    </>
  )
}

/** A failure message as an alert; renders nothing when there is none. */
export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null
  return (
    <p className="error" role="alert">
      {error}
    </p>
  )
}

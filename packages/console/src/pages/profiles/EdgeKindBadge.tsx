import type { EdgeKind } from '../../api/identity-types'

const TITLES: Record<EdgeKind, string> = {
  create: 'A new profile started with this identifier',
  attach: 'The identifier joined the profile',
  merge: 'Another profile merged into this one',
  drop: 'A rule kept the identifier off the profile',
}

export function EdgeKindBadge({ kind }: { kind: EdgeKind }) {
  return (
    <span className={`edge-kind ${kind}`} title={TITLES[kind]}>
      {kind}
    </span>
  )
}

import { CopyButton } from '../../components/CopyButton'
import { browserSnippet, nodeSnippet, npmSnippet } from './snippets'

interface SnippetProps {
  id: string
  title: string
  description: string
  code: string
}

function Snippet({ id, title, description, code }: SnippetProps) {
  return (
    <div className="snippet">
      <div className="snippet-header">
        <div>
          <h3 id={`${id}-title`}>{title}</h3>
          <p className="help">{description}</p>
        </div>
        <CopyButton text={code} label={`Copy ${title} snippet`} />
      </div>
      <pre aria-labelledby={`${id}-title`} data-testid={id}>
        <code>{code}</code>
      </pre>
    </div>
  )
}

/** The three ways to send events to a source, pointed at this Tessera. */
export function Snippets({ writeKey, origin }: { writeKey: string; origin: string }) {
  return (
    <div className="snippets">
      <Snippet
        id="snippet-browser"
        title="Website (analytics.js)"
        description="Paste into the <head> of every page. It is Segment's standard snippet, loading analytics.js from Tessera."
        code={browserSnippet(writeKey, origin)}
      />
      <Snippet
        id="snippet-npm"
        title="Web app (npm)"
        description="For bundled apps using @segment/analytics-next."
        code={npmSnippet(writeKey, origin)}
      />
      <Snippet
        id="snippet-node"
        title="Server (Node.js)"
        description="For back ends using @segment/analytics-node."
        code={nodeSnippet(writeKey, origin)}
      />
    </div>
  )
}

/**
 * Copy-paste snippets for a source. The browser snippet is the standard analytics.js loader
 * (a queue stub that `analytics.min.js` replays once loaded) with Segment's CDN replaced by
 * the Tessera origin: `_cdn` tells analytics.js where to fetch its settings and chunks.
 */

const STUB_METHODS = [
  'trackSubmit',
  'trackClick',
  'trackLink',
  'trackForm',
  'pageview',
  'identify',
  'reset',
  'group',
  'track',
  'ready',
  'alias',
  'debug',
  'page',
  'screen',
  'once',
  'off',
  'on',
  'addSourceMiddleware',
  'addIntegrationMiddleware',
  'setAnonymousId',
  'addDestinationMiddleware',
  'register',
]

/** The method names as a JS array literal, a few per line. */
function methodsLiteral(indent: string): string {
  const lines: string[] = []
  for (let i = 0; i < STUB_METHODS.length; i += 5) {
    lines.push(
      STUB_METHODS.slice(i, i + 5)
        .map((m) => JSON.stringify(m))
        .join(', '),
    )
  }
  return `[\n${lines.map((line) => `${indent}  ${line}`).join(',\n')}\n${indent}]`
}

export function browserSnippet(writeKey: string, origin: string): string {
  const key = JSON.stringify(writeKey)
  const cdn = JSON.stringify(origin)
  return `<script>
  !function () {
    var i = "analytics", analytics = (window[i] = window[i] || []);
    if (analytics.initialize || analytics.invoked) return;
    analytics.invoked = true;
    analytics.methods = ${methodsLiteral('    ')};
    analytics.factory = function (method) {
      return function () {
        if (window[i].initialized) return window[i][method].apply(window[i], arguments);
        var args = Array.prototype.slice.call(arguments);
        if (["track", "screen", "alias", "group", "page", "identify"].indexOf(method) > -1) {
          var c = document.querySelector("link[rel='canonical']");
          args.push({ __t: "bpc", c: (c && c.getAttribute("href")) || undefined, p: location.pathname,
            u: location.href, s: location.search, t: document.title, r: document.referrer });
        }
        args.unshift(method);
        analytics.push(args);
        return analytics;
      };
    };
    for (var k = 0; k < analytics.methods.length; k++) {
      analytics[analytics.methods[k]] = analytics.factory(analytics.methods[k]);
    }
    analytics.load = function (key, options) {
      var t = document.createElement("script");
      t.async = true;
      t.setAttribute("data-global-segment-analytics-key", i);
      t.src = analytics._cdn + "/analytics.js/v1/" + key + "/analytics.min.js";
      var first = document.getElementsByTagName("script")[0];
      first.parentNode.insertBefore(t, first);
      analytics._loadOptions = options;
    };
    analytics._writeKey = ${key};
    analytics._cdn = ${cdn};
    analytics.SNIPPET_VERSION = "5.2.1";
    analytics.load(${key});
    analytics.page();
  }();
</script>`
}

export function nodeSnippet(writeKey: string, origin: string): string {
  return `// npm install @segment/analytics-node
import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: ${JSON.stringify(writeKey)}, host: ${JSON.stringify(origin)} })

analytics.track({ userId: 'user-42', event: 'Order Completed', properties: { revenue: 42 } })
await analytics.closeAndFlush()`
}

export function npmSnippet(writeKey: string, origin: string): string {
  return `// npm install @segment/analytics-next
import { AnalyticsBrowser } from '@segment/analytics-next'

export const analytics = AnalyticsBrowser.load({
  writeKey: ${JSON.stringify(writeKey)},
  cdnURL: ${JSON.stringify(origin)},
})

analytics.page()`
}

/**
 * Reads a response body up to a cap. Past the cap the rest is read and discarded, so the
 * keep-alive connection goes back to the pool, but only up to a drain limit: a body larger
 * than that is destroyed (undici then closes that connection instead of reusing it).
 */

/** Bytes read and discarded past the cap before the body is destroyed instead. */
const DRAIN_LIMIT = 1024 * 1024

export interface BodyStream extends AsyncIterable<Uint8Array> {
  destroy(error?: Error): unknown
}

/** The body as UTF-8 text, truncated to `maxBytes` (a cut multi-byte character becomes U+FFFD). */
export async function readCappedBody(body: BodyStream, maxBytes: number): Promise<string> {
  const chunks: Uint8Array[] = []
  let kept = 0
  let discarded = 0
  for await (const chunk of body) {
    const room = maxBytes - kept
    if (room > 0) {
      const part = chunk.byteLength <= room ? chunk : chunk.subarray(0, room)
      chunks.push(part)
      kept += part.byteLength
      discarded += chunk.byteLength - part.byteLength
    } else {
      discarded += chunk.byteLength
    }
    if (discarded > DRAIN_LIMIT) {
      body.destroy()
      break
    }
  }
  return Buffer.concat(chunks, kept).toString('utf8')
}

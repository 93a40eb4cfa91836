import type { ApiClient } from '../api/client'

/** Saves `blob` as a file named `filename` through a temporary object URL. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const anchor = document.createElement('a')
  anchor.href = url
  anchor.download = filename
  anchor.style.display = 'none'
  document.body.appendChild(anchor)
  anchor.click()
  anchor.remove()
  // Revoked after the click has been handled: the download has its own reference by then.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Saves a JSON value as an indented `.json` file. */
export function saveJson(value: unknown, filename: string): void {
  saveBlob(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }), filename)
}

/**
 * Downloads an admin API export (CSV, JSON lines) with the admin token and saves it. Rejects
 * with the API's error when the request fails; nothing is saved then.
 */
export async function downloadExport(
  api: ApiClient,
  path: string,
  filename: string,
): Promise<void> {
  saveBlob(await api.blob(path), filename)
}

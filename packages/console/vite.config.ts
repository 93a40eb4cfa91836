import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// In development, `vite` serves the console and proxies the API, the tracking API and the
// analytics.js bundle to a running Tessera (TESSERA_URL, default http://localhost:8080).
const target = process.env.TESSERA_URL ?? 'http://localhost:8080'
const proxied = ['/api', '/v1', '/analytics.js', '/analytics-next']

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target, changeOrigin: true }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
})

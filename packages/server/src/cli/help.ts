export const HELP = `tessera — an open-source customer data platform, compatible with Segment's APIs

Usage:
  tessera start [--config FILE] [--data-dir DIR] [--port N] [--host ADDR]
      Run the platform: tracking API, admin API and console on one port.
  tessera init [--out FILE] [--force]
      Write a commented starter config (default ./tessera.yaml).
  tessera demo [--url URL] [--write-key KEY] [--users N] [--events N] [--rate N]
      Send realistic sample traffic from simulated visitors and customers through
      @segment/analytics-node to a running Tessera.
  tessera plan validate FILE
      Check a tracking-plan file (YAML or JSON: one plan, or a trackingPlans: list)
      and print every problem; exit 0 valid, 1 invalid, 2 usage error.
  tessera typegen --plan ID --out FILE [--client node|browser] [--url URL]
                  [--token TOKEN] [--file PLANFILE]
      Write a TypeScript module with one typed function per planned event, over
      @segment/analytics-node (node, default) or analytics-next (browser). The plan
      comes from a running Tessera's admin API (--url, default http://127.0.0.1:8080;
      token from --token or TESSERA_ADMIN_TOKEN) or from a plan file (--file).
  tessera --help | --version

Environment (flags win over the environment, which wins over the config file):
  TESSERA_CONFIG        config file (YAML or JSON); default ./tessera.yaml when present
  TESSERA_DATA_DIR      data folder of the embedded store (default ./.tessera)
  TESSERA_PORT          HTTP port (default 8080)
  TESSERA_HOST          listen address (default 127.0.0.1)
  TESSERA_DATABASE_URL  a postgres:// URL selects PostgreSQL instead of the embedded store
  TESSERA_DATABASE_SCHEMA  PostgreSQL schema for the tables (default: the search path)
  TESSERA_ADMIN_TOKEN   an admin token for the API and console (added to adminTokens)
  TESSERA_LOG_LEVEL     fatal, error, warn, info (default), debug, trace or silent

Signals: SIGHUP (or saving the config file) reloads sources and admin tokens;
SIGINT/SIGTERM stop gracefully after flushing every acknowledged event.
`

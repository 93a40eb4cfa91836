#!/usr/bin/env node
// Entry point of the `tessera` command. The TypeScript sources are compiled to ../dist by
// `npm run build` (run automatically by `npm start`).
import { runCli } from '../dist/cli/run-cli.js'

process.exitCode = await runCli(process.argv.slice(2), process.env)

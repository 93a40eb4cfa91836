export { ConfigErrors, formatProblems, type ConfigProblem } from './config-error.js'
export { readConfigFile, validateConfig } from './load-config.js'

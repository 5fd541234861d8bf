#!/usr/bin/env node
/**
 * `certify-vc-server`: start the Institute's server, or rotate its signing key.
 *
 *   certify-vc-server [start]                 start (configuration from the environment)
 *   certify-vc-server rotate-key [--data-dir DIR]   add a new signing key (restart to use it)
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { buildServer } from './app.js'
import { loadConfig, type ServerConfig } from './config.js'
import { checkDevelopmentConfig, developmentBanner } from './development.js'
import { addKey } from './identity.js'
import { ensureWriteToken } from './token-file.js'

const USAGE = `Usage:
  certify-vc-server [start]                      start the server (see the README for the variables)
  certify-vc-server rotate-key [--data-dir DIR]  add a signing key to DIR/keys (default $DATA_DIR or ./data)
  certify-vc-server help`

async function start(): Promise<void> {
  const { tlsFiles, ...loaded } = loadConfig()
  // Before anything is created: development mode on a non-local setting never starts.
  const origin = loaded.development === true ? checkDevelopmentConfig(loaded) : undefined
  const { token, created } = await ensureWriteToken(loaded.dataDir, loaded.writeToken)
  const config: ServerConfig = {
    ...loaded,
    writeToken: token,
    ...(tlsFiles === undefined
      ? {}
      : {
          tls: {
            cert: await readFile(resolve(tlsFiles.cert), 'utf8'),
            key: await readFile(resolve(tlsFiles.key), 'utf8'),
          },
        }),
  }
  const app = await buildServer(config)
  if (created !== undefined) {
    // The path, never the token.
    app.log.info(`Generated a write token in ${created} (mode 0600).`)
  }
  const stop = (signal: string) => {
    app.log.info(`${signal}: closing`)
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  await app.listen({ port: config.port, host: config.host })
  const page = `${config.publicBaseUrl}/certify/verify`
  app.log.info(`Verification page: ${page}`)
  if (origin !== undefined) {
    // Loud on purpose, and whatever LOG_LEVEL says: a person reads this, not a log collector.
    process.stderr.write(
      developmentBanner({
        origin,
        publicBaseUrl: config.publicBaseUrl,
        did: (await app.inject({ url: '/certify/server-info' })).json<{ did: string }>().did,
        tokenFile: loaded.writeToken === '' ? join(config.dataDir, 'write-token') : undefined,
      }),
    )
  } else if (config.publicBaseUrl.startsWith('http:')) {
    app.log.warn(
      `PUBLIC_BASE_URL ${config.publicBaseUrl} is plain http: verifiers elsewhere fetch did:web documents and status lists over https only. For a local Institute, use development mode (CERTIFY_DEV=1, as the repository's pnpm start sets).`,
    )
  }
}

async function rotateKey(args: string[]): Promise<void> {
  let dataDir = loadConfig().dataDir
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir' && args[i + 1] !== undefined) {
      dataDir = resolve(args[++i] as string)
    } else {
      throw new TypeError(`Unknown argument ${JSON.stringify(args[i])}.\n${USAGE}`)
    }
  }
  const n = await addKey(dataDir)
  process.stdout.write(
    `Added signing key ${n} in ${join(dataDir, 'keys')}. Restart the server to sign with it; ` +
      'earlier keys stay in did.json while their credentials are outstanding.\n',
  )
}

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv
  if (command === 'start' && rest.length === 0) return start()
  if (command === 'rotate-key') return rotateKey(rest)
  if (command === 'help' || command === '--help') {
    process.stdout.write(USAGE + '\n')
    return
  }
  throw new TypeError(USAGE)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `certify-vc-server: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exitCode = 1
})

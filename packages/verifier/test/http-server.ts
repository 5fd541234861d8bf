/** A throwaway HTTP(S) server on 127.0.0.1 for the fetcher tests (loopback, tests only). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface TestServer {
  readonly port: number
  /** Requests seen, as `METHOD host path`. */
  readonly requests: string[]
  url(path: string, host?: string): string
  close(): Promise<void>
}

export async function startServer(
  handler: Handler,
  tls?: { key: string; cert: string },
): Promise<TestServer> {
  const requests: string[] = []
  const wrapped: Handler = (req, res) => {
    requests.push(`${req.method ?? ''} ${req.headers.host ?? ''} ${req.url ?? ''}`)
    handler(req, res)
  }
  const server: Server = tls === undefined ? createServer(wrapped) : createHttpsServer(tls, wrapped)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  const port = address.port
  const scheme = tls === undefined ? 'http' : 'https'
  return {
    port,
    requests,
    url: (path, host = '127.0.0.1') => `${scheme}://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Serves `body` as JSON. */
export function json(res: ServerResponse, body: unknown, type = 'application/json'): void {
  const text = JSON.stringify(body)
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

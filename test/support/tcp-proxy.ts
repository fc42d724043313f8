import { createConnection, createServer, type Socket } from 'node:net'

/**
 * A TCP relay in front of a server, so a test can make the server unreachable for one client without
 * stopping it for everyone: `stop()` stops accepting and destroys every relayed connection, so the
 * client's open connections die and new ones are refused.
 */
export async function startTcpProxy(target: {
  host: string
  port: number
}): Promise<{ port: number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    // A relayed connection torn down by stop() reports an error on the other side; it is expected.
    socket.on('error', () => socket.destroy())
  }
  const server = createServer((client) => {
    const upstream = createConnection(target)
    track(client)
    track(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port')
  let stopped: Promise<void> | undefined
  return {
    port: address.port,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      return stopped
    },
  }
}

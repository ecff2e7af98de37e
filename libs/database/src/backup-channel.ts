import { chmodSync, rmSync } from 'node:fs';
import { createConnection, createServer, Server, Socket } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PlatformConfig } from '@ps/config';

/**
 * The backup channel: how `npm run cli -- backup FILE` gets a snapshot of the embedded database while the platform
 * holds its data directory (a second process may not open it, data-dir-lock.ts). The process holding DATA_DIR listens
 * on the Unix socket DATA_DIR/backup.sock, mode 0600: only the data directory's owner (and root) can connect, who can
 * read the database files anyway. It answers one request, "backup", with the tarball of its data directory
 * (PgliteDriver's dumpDataDir: between two transactions, after a checkpoint) and nothing else: no path comes in, no
 * file is written by the platform, and nothing listens on the network. Never on the PostgreSQL server (pg_dump).
 */
export const BACKUP_SOCKET = 'backup.sock';
const REQUEST = 'backup\n';
/** Linux's limit for a Unix socket's path (sun_path, 108 bytes with the final NUL). */
const MAX_SOCKET_PATH = 107;
const CLIENT_TIMEOUT_MS = 120_000;

/** The socket's path as this process can bind or reach it: absolute, or relative to the working directory when shorter. */
function socketPath(dataDir: string): string | undefined {
  const absolute = join(resolve(dataDir), BACKUP_SOCKET);
  const shortest = [absolute, relative(process.cwd(), absolute)].sort((a, b) => Buffer.byteLength(a) - Buffer.byteLength(b))[0];
  return Buffer.byteLength(shortest) <= MAX_SOCKET_PATH ? shortest : undefined;
}

interface DumpingPool {
  dumpDataDir(): Promise<Buffer>;
}

@Injectable()
export class BackupChannel implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;
  private path?: string;

  constructor(
    private readonly config: PlatformConfig,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.embedded || this.config.DATA_DIR === 'memory') return;
    const pool = (this.dataSource.driver as unknown as { master?: Partial<DumpingPool> }).master;
    if (typeof pool?.dumpDataDir !== 'function') return;
    const path = socketPath(this.config.DATA_DIR);
    if (!path) {
      new Logger('Backup').warn(`no backup channel: the path of ${join(resolve(this.config.DATA_DIR), BACKUP_SOCKET)} is too long for a socket`);
      return;
    }
    try {
      this.server = await serveBackups(path, () => pool.dumpDataDir!());
      this.path = path;
    } catch (error) {
      // A file system without sockets, say: the platform runs on; `backup` then says the channel does not answer.
      new Logger('Backup').warn(`no backup channel at ${path}: ${(error as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(this.path!, { force: true });
  }
}

/** Listens on path (a socket left by a process that is gone is replaced: this process holds the data directory). */
async function serveBackups(path: string, dump: () => Promise<Buffer>): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer({ allowHalfOpen: true }, (socket) => answer(socket, dump));
  await new Promise<void>((listening, failed) => server.once('error', failed).listen(path, () => listening()));
  chmodSync(path, 0o600);
  server.unref(); // never keeps the process alive
  return server;
}

function answer(socket: Socket, dump: () => Promise<Buffer>): void {
  let request = '';
  socket.setTimeout(CLIENT_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    request += chunk.toString('latin1');
    if (request.length < REQUEST.length && REQUEST.startsWith(request)) return;
    socket.removeAllListeners('data');
    if (request !== REQUEST) return void socket.end(`${JSON.stringify({ error: 'unknown request' })}\n`);
    dump().then(
      (tar) => {
        socket.write(`${JSON.stringify({ bytes: tar.length })}\n`);
        socket.end(tar);
      },
      (error: Error) => socket.end(`${JSON.stringify({ error: error.message.split('\n')[0] })}\n`),
    );
  });
}

/** Asks the process holding dataDir for a snapshot; rejects with a one-line reason. */
export function requestBackup(dataDir: string): Promise<Buffer> {
  const path = socketPath(dataDir);
  if (!path) return Promise.reject(new Error(`the path of ${join(resolve(dataDir), BACKUP_SOCKET)} is too long for a socket`));
  return new Promise((resolveTar, reject) => {
    const chunks: Buffer[] = [];
    const socket = createConnection(path, () => socket.write(REQUEST));
    socket.setTimeout(CLIENT_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${CLIENT_TIMEOUT_MS / 1000} s`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => reject(new Error(error.code === 'ENOENT' ? `${path} does not exist` : error.message)));
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(0x0a);
      let header: { bytes?: number; error?: string };
      try {
        header = JSON.parse(all.subarray(0, newline).toString('utf8'));
      } catch {
        return reject(new Error('an answer that is not a backup'));
      }
      if (header.error !== undefined) return reject(new Error(header.error));
      const tar = all.subarray(newline + 1);
      if (tar.length !== header.bytes) return reject(new Error(`the backup broke off (${tar.length} of ${header.bytes} bytes)`));
      resolveTar(tar);
    });
  });
}

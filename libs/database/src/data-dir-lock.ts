import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Another live process holds the embedded database in this directory. */
export class DataDirInUse extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`De ingebedde databank in ${dir} is in gebruik door proces ${pid} (stop het platform eerst, of gebruik DATABASE_URL).`);
  }
}

const held = new Map<string, number>(); // lock file → how many holders in this process

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, but someone else's
  }
}

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function create(file: string): boolean {
  try {
    const fd = openSync(file, 'wx');
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function removeIfOurs(file: string): void {
  if (ownerOf(file) !== process.pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}

function unlinkStale(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // another process took it over first; the next round reads its pid
  }
}

let releasedAtExit = false;
function releaseAtExit(): void {
  if (releasedAtExit) return;
  releasedAtExit = true;
  process.once('exit', () => [...held.keys()].forEach(removeIfOurs));
}

/**
 * PGlite is one process's database: a second process writing the same directory loses its writes
 * silently. So the first process to open DATA_DIR writes its pid into DATA_DIR/pglite.lock
 * (atomically), every other process refuses with DataDirInUse, and a lock left by a dead process
 * is taken over. Returns the function that gives the lock back; it is also given back at exit.
 */
export function lockDataDir(dataDir: string): () => void {
  const dir = resolve(dataDir);
  const file = join(dir, 'pglite.lock');
  if (!held.has(file)) {
    mkdirSync(dir, { recursive: true });
    while (!create(file)) {
      const owner = ownerOf(file);
      if (owner === process.pid) break; // ours, from an earlier life of this pid (container restart)
      if (owner !== undefined && isAlive(owner)) throw new DataDirInUse(dir, owner);
      unlinkStale(file); // its process is gone
    }
  }
  held.set(file, (held.get(file) ?? 0) + 1);
  releaseAtExit();
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const count = (held.get(file) ?? 1) - 1;
    if (count > 0) return void held.set(file, count);
    held.delete(file);
    removeIfOurs(file);
  };
}

import { Response } from 'superagent';

/** A supertest parser that keeps a download's bytes: `.buffer(true).parse(binary)`, then `res.body` is a Buffer. */
export function binary(res: Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { FieldErrors } from '@ps/kernel';
import { ReportView } from '../report-view';
import type { ParsedWorkbook } from './workbook-parse';
import type { ZipCheck } from './workbook-zip';

const WORKER = join(__dirname, `workbook-worker${extname(__filename)}`);
/** Built, the worker is a .js file; under ts-jest it is the .ts source, which ts-node compiles in the worker (with the path aliases). */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const source = workerData.source;
if (source) {
  require(source.tsNode).register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
  require(source.tsconfigPaths).register({ baseUrl: source.root, paths: { '@ps/*': ['libs/*/src'] } });
}
require(workerData.entry);
`;
/** A parse that takes longer is stopped: the worker is ended and a new one started for the next file. */
const TIMEOUT_MS = 15_000;
const UNREADABLE = 'Het bestand kon niet gelezen worden. Controleer of het het ingevulde rapportbestand is.';

/** What the worker needs to load TypeScript sources (tests only; development dependencies). */
function sourceLoader() {
  return { tsNode: require.resolve('ts-node'), tsconfigPaths: require.resolve('tsconfig-paths'), root: join(__dirname, '..', '..', '..', '..') };
}

interface Job {
  id: number;
  file: Buffer;
  /** null: only the zip pre-check. */
  report: ReportView | null;
  resolve: (parsed: ParsedWorkbook | ZipCheck) => void;
  reject: (error: unknown) => void;
}

/**
 * Parses workbooks in one worker thread, one file at a time, so that reading a large file never blocks the event loop
 * that serves the other requests. The worker starts with the first upload and is kept for the next; when a parse
 * fails it (out of memory, a crash, too slow) the file is refused and a fresh worker takes the next one.
 */
@Injectable()
export class WorkbookParser implements OnModuleDestroy {
  private readonly logger = new Logger(WorkbookParser.name);
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: { job: Job; timer: NodeJS.Timeout | null } | null = null;
  private ready = false;
  private nextId = 1;

  /** The zip pre-check alone (workbook-zip.ts): cheap, so a hostile file is refused before the report is even read. */
  check(file: Buffer): Promise<ZipCheck> {
    return this.run(file, null) as Promise<ZipCheck>;
  }

  parse(file: Buffer, report: ReportView): Promise<ParsedWorkbook> {
    return this.run(file, report) as Promise<ParsedWorkbook>;
  }

  private run(file: Buffer, report: ReportView | null): Promise<ParsedWorkbook | ZipCheck> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, file, report, resolve, reject });
      this.next();
    });
  }

  async onModuleDestroy(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private next(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.current = { job, timer: null };
    this.started().postMessage({ id: job.id, file: job.file, report: job.report });
    if (this.ready) this.startTimer();
  }

  /** The time limit runs from when the worker can parse: its start (loading exceljs) is not the file's fault. */
  private startTimer(): void {
    if (!this.current || this.current.timer) return;
    this.current.timer = setTimeout(() => this.fail(new FieldErrors({ workbook: ['Het bestand is te groot of te ingewikkeld om in te lezen.'] })), TIMEOUT_MS);
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { entry: WORKER, source: WORKER.endsWith('.ts') ? sourceLoader() : null },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.on('message', (message: { ready?: true; id: number; parsed?: ParsedWorkbook | ZipCheck; failed?: string }) => {
      if (this.worker !== worker) return;
      if (!message.ready) return this.answered(message);
      this.ready = true;
      this.startTimer();
    });
    worker.on('error', (error) => {
      this.logger.warn(`workbook worker failed: ${error.message}`);
      if (this.worker === worker) this.fail(new FieldErrors({ workbook: [UNREADABLE] }));
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.logger.warn(`workbook worker stopped (exit code ${code})`);
      this.fail(new FieldErrors({ workbook: [UNREADABLE] }));
    });
    worker.unref();
    this.worker = worker;
    this.ready = false;
    return worker;
  }

  private answered(message: { id: number; parsed?: ParsedWorkbook | ZipCheck; failed?: string }): void {
    if (!this.current || this.current.job.id !== message.id) return;
    const { job, timer } = this.current;
    if (timer) clearTimeout(timer);
    this.current = null;
    if (message.parsed) job.resolve(message.parsed);
    else {
      this.logger.warn(`workbook parse failed: ${message.failed}`);
      job.reject(new FieldErrors({ workbook: [UNREADABLE] }));
    }
    this.next();
  }

  /** The current file is refused; the worker is ended (it may be stuck or broken) and the next file gets a new one. */
  private fail(refusal: FieldErrors): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    if (this.current) {
      if (this.current.timer) clearTimeout(this.current.timer);
      this.current.job.reject(refusal);
      this.current = null;
    }
    this.next();
  }
}

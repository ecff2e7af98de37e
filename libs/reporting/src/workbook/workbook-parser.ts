import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { FieldErrors } from '@ps/kernel';
import { ReportView } from '../report-view';
import type { ParsedWorkbook } from './workbook-parse';

const WORKER = join(__dirname, `workbook-worker${extname(__filename)}`);
/** Built, the worker is a .js file; under ts-jest it is the .ts source, which ts-node compiles in the worker. */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.tsNode) require(workerData.tsNode).register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
require(workerData.entry);
`;
/** A parse that takes longer is stopped: the worker is ended and a new one started for the next file. */
const TIMEOUT_MS = 15_000;
const UNREADABLE = 'Het bestand kon niet gelezen worden. Controleer of het het ingevulde rapportbestand is.';

interface Job {
  id: number;
  file: Buffer;
  report: ReportView;
  resolve: (parsed: ParsedWorkbook) => void;
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
  private current: { job: Job; timer: NodeJS.Timeout } | null = null;
  private nextId = 1;

  parse(file: Buffer, report: ReportView): Promise<ParsedWorkbook> {
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
    const timer = setTimeout(() => this.fail(new FieldErrors({ workbook: ['Het bestand is te groot of te ingewikkeld om in te lezen.'] })), TIMEOUT_MS);
    this.current = { job, timer };
    this.started().postMessage({ id: job.id, file: job.file, report: job.report });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: { entry: WORKER, tsNode: WORKER.endsWith('.ts') ? require.resolve('ts-node') : null },
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.on('message', (message: { id: number; parsed?: ParsedWorkbook; failed?: string }) => this.answered(message));
    worker.on('error', (error) => {
      this.logger.warn(`workbook worker failed: ${error.message}`);
      if (this.worker === worker) this.fail(new FieldErrors({ workbook: [UNREADABLE] }));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.fail(new FieldErrors({ workbook: [UNREADABLE] }));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private answered(message: { id: number; parsed?: ParsedWorkbook; failed?: string }): void {
    if (!this.current || this.current.job.id !== message.id) return;
    const { job, timer } = this.current;
    clearTimeout(timer);
    this.current = null;
    if (message.parsed) job.resolve(message.parsed);
    else job.reject(new FieldErrors({ workbook: [UNREADABLE] }));
    this.next();
  }

  /** The current file is refused; the worker is ended (it may be stuck or broken) and the next file gets a new one. */
  private fail(refusal: FieldErrors): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.job.reject(refusal);
      this.current = null;
    }
    this.next();
  }
}

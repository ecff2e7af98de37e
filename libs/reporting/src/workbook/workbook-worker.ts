import { parentPort } from 'node:worker_threads';
import type { ReportView } from '../report-view';
import { parseWorkbook } from './workbook-parse';

/** The worker thread's side of WorkbookParser: one parse per message, answered in order. */
parentPort?.on('message', async ({ id, file, report }: { id: number; file: Uint8Array; report: ReportView }) => {
  try {
    const parsed = await parseWorkbook(Buffer.from(file.buffer, file.byteOffset, file.byteLength), report);
    parentPort!.postMessage({ id, parsed });
  } catch (error) {
    parentPort!.postMessage({ id, failed: String((error as Error)?.message ?? error) });
  }
});

parentPort?.postMessage({ ready: true });

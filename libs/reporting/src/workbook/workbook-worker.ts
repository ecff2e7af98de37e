import { parentPort } from 'node:worker_threads';
import type { ReportView } from '../report-view';
import { parseWorkbook } from './workbook-parse';
import { checkZip } from './workbook-zip';

/** The worker thread's side of WorkbookParser: one check or parse per message, answered in order. */
parentPort?.on('message', async ({ id, file, report }: { id: number; file: Uint8Array; report: ReportView | null }) => {
  try {
    const content = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
    const parsed = report ? await parseWorkbook(content, report) : checkZip(content);
    parentPort!.postMessage({ id, parsed });
  } catch (error) {
    parentPort!.postMessage({ id, failed: String((error as Error)?.message ?? error) });
  }
});

parentPort?.postMessage({ ready: true });

import { createHmac, timingSafeEqual } from 'node:crypto';
import { FORMAT, WorkbookStamp } from './workbook-layout';

/**
 * The seal of a workbook's stamp: an HMAC with a key derived from the platform's secret, so that the version (and the
 * values the stale-upload message compares with) cannot be changed in the file without the upload noticing.
 */
export function sealOf(stamp: WorkbookStamp, secret: string): string {
  const key = createHmac('sha256', secret).update('report-workbook-seal').digest();
  return createHmac('sha256', key).update(canonical(stamp)).digest('hex');
}

export function sealMatches(stamp: WorkbookStamp, seal: string, secret: string): boolean {
  const expected = Buffer.from(sealOf(stamp, secret), 'utf8');
  const given = Buffer.from(seal, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// Excel may store a carriage return as a line feed; the seal does not depend on it.
const text = (value: string) => value.replace(/\r\n?/g, '\n');

function canonical(stamp: WorkbookStamp): string {
  return JSON.stringify([
    FORMAT,
    stamp.applicationId,
    stamp.kind,
    stamp.version,
    stamp.status,
    stamp.lines.map((line) => [line.kpiLineId, line.realisedQuantity, text(line.approach), text(line.partners), text(line.motivation), line.evidenceIds]),
  ]);
}

import { zipOf } from '../../../../test/support/hostile-workbook';
import { checkZip } from './workbook-zip';

const sheet = (rows: string) => zipOf({ 'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${rows}</sheetData></worksheet>` });

describe('checkZip', () => {
  it('lets a sheet of a thousand rows of fifty cells through', () => {
    const row = `<row r="1">${'<c r="A1" t="n"><v>1</v></c>'.repeat(50)}</row>`;
    expect(checkZip(sheet(row.repeat(1_000)))).toEqual({ ok: true });
  });

  it.each([
    ['a million empty rows', '<row/>'.repeat(1_000_000)],
    ['1,001 rows', '<row r="1"></row>'.repeat(1_001)],
    ['more than 50,000 cells', `<row>${'<c/>'.repeat(50_001)}</row>`],
  ])('refuses %s as too large', (_, rows) => {
    expect(checkZip(sheet(rows))).toEqual({ ok: false, tooLarge: true });
  });

  it('refuses more than 500,000 XML elements in the package, wherever they are', () => {
    expect(checkZip(zipOf({ 'xl/sharedStrings.xml': `<sst>${'<si/>'.repeat(500_001)}</sst>` }))).toEqual({ ok: false, tooLarge: true });
  });

  it('refuses what is no zip, or unpacks to more than it declares, as no workbook', () => {
    expect(checkZip(Buffer.from('KPI-lijn;Gerealiseerd\r\n'))).toEqual({ ok: false, tooLarge: false });
    const file = sheet('<row/>');
    const lying = Buffer.from(file);
    lying.writeUInt32LE(3, lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 24);
    expect(checkZip(lying)).toEqual({ ok: false, tooLarge: false });
  });
});

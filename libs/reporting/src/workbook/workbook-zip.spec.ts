import { crc32, deflateRawSync } from 'node:zlib';
import { checkZip } from './workbook-zip';

/** A zip of deflated entries; enough of an .xlsx for the pre-check, which looks at nothing else. */
function zipOf(files: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const content = Buffer.from(text);
    const packed = deflateRawSync(content);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(content), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(content.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(content), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(content.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, packed);
    directory.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(directory.length / 2, 8);
  end.writeUInt16LE(directory.length / 2, 10);
  end.writeUInt32LE(Buffer.concat(directory).length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...directory, end]);
}

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

/** RFC 4180 CSV: quoting, line ends, Cyrillic, formula guard, and reading it back. */
import { expect } from 'chai';
import { csvField, formatCsv, readCsv } from '../../../protocols/incident/index.ts';

describe('protocols/incident csv', () => {
  it('quotes fields holding a comma, a quote, CR or LF, and doubles inner quotes (RFC 4180 §2)', () => {
    expect(csvField('Shu district')).to.equal('Shu district');
    expect(csvField('Shu, Chuy region')).to.equal('"Shu, Chuy region"');
    expect(csvField('the "Big" Almaty lake')).to.equal('"the ""Big"" Almaty lake"');
    expect(csvField('line one\nline two')).to.equal('"line one\nline two"');
    expect(csvField('a\r\nb')).to.equal('"a\r\nb"');
  });

  it('passes Cyrillic through unchanged and unquoted', () => {
    expect(csvField('Подтопление в Шуском районе')).to.equal('Подтопление в Шуском районе');
    expect(csvField('Шу ауданы, Жамбыл облысы')).to.equal('"Шу ауданы, Жамбыл облысы"');
  });

  it('ends every record with CRLF, header first, empty cells for undefined', () => {
    expect(
      formatCsv(
        ['a', 'b'],
        [
          [1, undefined],
          ['x', 0],
        ],
      ),
    ).to.equal('a,b\r\n1,\r\nx,0\r\n');
  });

  it('adds a UTF-8 byte order mark only when asked', () => {
    expect(formatCsv(['a'], [])).to.equal('a\r\n');
    expect(formatCsv(['a'], [], { bom: true })).to.equal('\uFEFFa\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, never numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).to.equal(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).to.equal("'@SUM(A1)");
    expect(csvField(-1)).to.equal('-1');
    expect(csvField('=1+1', false)).to.equal('=1+1');
  });

  it('reads back what it writes, quotes, newlines and Cyrillic included', () => {
    const rows = [
      ['Shu, Chuy', 'the "Big" lake', 'line one\r\nline two', 'Подтопление', ''],
      ['', 'x', 'Жамбыл', 'a\nb', '"'],
    ];
    const text = formatCsv(['c1', 'c2', 'c3', 'c4', 'c5'], rows, { bom: true });
    const reading = readCsv(text);
    if (!reading.ok) expect.fail(reading.message);
    expect(reading.rows).to.deep.equal([['c1', 'c2', 'c3', 'c4', 'c5'], ...rows]);
  });

  it('reads RFC 4180 written by others: LF line ends, no final line end, empty quoted fields', () => {
    const reading = readCsv('a,b,c\n"",x,\n1,"2",3');
    if (!reading.ok) expect.fail(reading.message);
    expect(reading.rows).to.deep.equal([
      ['a', 'b', 'c'],
      ['', 'x', ''],
      ['1', '2', '3'],
    ]);
  });

  it('says where a quote is left open or misplaced', () => {
    expect(readCsv('a,b\n"open,x\n')).to.deep.include({
      ok: false,
      message: 'a quoted field is not closed',
    });
    expect(readCsv('a,b\nx"y,z\n')).to.deep.equal({
      ok: false,
      message: 'a quote inside an unquoted field',
      line: 2,
    });
    expect(readCsv('"a"b\n')).to.deep.include({ ok: false, message: 'text after a closing quote' });
  });
});

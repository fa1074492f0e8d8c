/**
 * The test-side XML writer (test/support/xml-writer.ts) must itself be right before it can judge the
 * server: it is checked against the XML files of test/fixtures/ics that were written and checked by
 * hand, and against the spec's rules one by one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { escapeXmlText, xmlWriter } from '../support/xml-writer';

const FIXTURES = join(__dirname, '..', 'fixtures', 'ics');
const read = (file: string) => readFileSync(join(FIXTURES, file), 'utf8');
const handChecked = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.xml'))
  .map((file) => file.slice(0, -'.xml'.length))
  .sort();

describe('xmlWriter (test support)', () => {
  it('writes summary_with_markup_characters.json exactly as its hand-checked .xml', () => {
    const expected = read('summary_with_markup_characters.xml').replace(/\n$/, '');
    expect(xmlWriter(JSON.parse(read('summary_with_markup_characters.json')))).toBe(expected);
  });

  it.each(handChecked)('writes %s.json exactly as its hand-checked .xml', (name) => {
    expect(xmlWriter(JSON.parse(read(`${name}.json`)))).toBe(read(`${name}.xml`).replace(/\n$/, ''));
  });

  it('writes arrays as repeated siblings, an empty array as nothing, in key order', () => {
    expect(xmlWriter({ status: 0, response: [{ a: 1 }, { a: 2 }], none: [], z: 'last' })).toBe(
      '<result><status>0</status><response><a>1</a></response><response><a>2</a></response><z>last</z></result>',
    );
  });

  it('writes booleans as True/False, numbers as decimal text and "" as an empty element with a space', () => {
    expect(xmlWriter({ yes: true, no: false, n: -1, zero: 0, empty: '', nested: { inner: '' } })).toBe(
      '<result><yes>True</yes><no>False</no><n>-1</n><zero>0</zero><empty /><nested><inner /></nested></result>',
    );
  });

  it('escapes &, < and > in text, keeps quotes, newlines and non-ASCII as they are', () => {
    expect(escapeXmlText(`a < b && c > d "q" 'a'\nשלום 🎉`)).toBe(`a &lt; b &amp;&amp; c &gt; d "q" 'a'\nשלום 🎉`);
    expect(escapeXmlText('&amp;')).toBe('&amp;amp;');
  });

  it('replaces characters XML 1.0 cannot carry by U+FFFD and keeps tab, LF and CR', () => {
    expect(escapeXmlText('a\u0000b\u0007c\u001fd\te\nf\rg\uFFFEh\uD800i')).toBe(
      'a\uFFFDb\uFFFDc\uFFFDd\te\nf\rg\uFFFDh\uFFFDi',
    );
  });

  it('has no XML declaration and no whitespace between elements', () => {
    const xml = xmlWriter({ status: 0, response: [] });
    expect(xml).toBe('<result><status>0</status></result>');
  });
});

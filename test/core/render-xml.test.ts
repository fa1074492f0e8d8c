/**
 * The server's XML writer reuses one xmlbuilder2 document per shape of envelope and only changes
 * its texts; these check that no text of one answer can leak into the next, whatever the order of
 * shapes, against the independent writer of test/support/xml-writer.ts.
 */
import type { Envelope } from '../../src/core/envelope';
import { renderXml } from '../../src/core/render-xml';
import { xmlWriter } from '../support/xml-writer';

/** A small envelope; the shape changes with the number of items and with which texts are empty. */
function envelope(title: string, description: string, items = 1): Envelope {
  const response = Array.from({ length: items }, (_, i) => ({
    objectId: String(i + 1),
    title,
    description,
    allDay: i % 2 === 0,
  }));
  return { status: 0, response } as unknown as Envelope;
}

describe('renderXml', () => {
  it('writes each answer of the same shape with its own texts, one after another', () => {
    const answers = [envelope('First', 'one'), envelope('Second & <last>', 'two'), envelope('First', 'one')];
    for (const answer of answers) expect(renderXml(answer)).toBe(xmlWriter(answer));
  });

  it('tells shapes apart by empty texts and by array lengths, in any order', () => {
    const answers = [
      envelope('A', ''),
      envelope('', 'B'),
      envelope('A', 'B', 3),
      envelope('', '', 2),
      envelope('A', ''),
      envelope('A', 'B', 3),
      envelope('', 'B'),
      { status: 0, response: [] } as unknown as Envelope,
    ];
    for (const answer of answers) expect(renderXml(answer)).toBe(xmlWriter(answer));
  });

  it('writes every & of a text as &amp;, also where it looks like a reference already', () => {
    const answer = envelope('Tom &amp; Jerry &#65; &#x263A; &lt;', 'a && b;');
    expect(renderXml(answer)).toBe(xmlWriter(answer));
    expect(renderXml(answer)).toContain('<title>Tom &amp;amp; Jerry &amp;#65; &amp;#x263A; &amp;lt;</title>');
  });

  it('replaces characters XML cannot carry by U+FFFD, and the next answer of that shape is clean again', () => {
    const broken = envelope('bell\u0007 and lone \uD800 surrogate', 'ok');
    expect(renderXml(broken)).toContain('<title>bell\uFFFD and lone \uFFFD surrogate</title>');
    expect(renderXml(envelope('clean', 'ok'))).toContain('<title>clean</title>');
  });

  it('writes envelopes too large to keep as a template the same way', () => {
    const large = envelope('Long recurrence', 'each occurrence', 600);
    expect(renderXml(large)).toBe(xmlWriter(large));
    expect(renderXml(envelope('after', 'it'))).toBe(xmlWriter(envelope('after', 'it')));
  });
});

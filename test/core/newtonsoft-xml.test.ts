import { writeNewtonsoftXml } from '../../src/core/newtonsoft-xml';

describe('writeNewtonsoftXml (Newtonsoft XmlNodeConverter, as the portal writes XML)', () => {
  it('F2 wraps the answer in <result>, members as elements in their order, no declaration (F6)', () => {
    expect(writeNewtonsoftXml({ count: 1, status: 0, statusCode: 201 })).toBe(
      '<result><count>1</count><status>0</status><statusCode>201</statusCode></result>',
    );
  });

  it('F3 writes an array as repeated elements named after the property', () => {
    expect(writeNewtonsoftXml({ actions: [{ id: 'read' }, { id: 'full_access' }] })).toBe(
      '<result><actions><id>read</id></actions><actions><id>full_access</id></actions></result>',
    );
  });

  it('F3 writes nothing for an empty array, so users: [] vanishes', () => {
    expect(writeNewtonsoftXml({ data: { items: [] }, users: [] })).toBe('<result><data /></result>');
  });

  it('F3 writes a one-item array exactly as an object', () => {
    expect(writeNewtonsoftXml({ response: [{ a: 1 }] })).toBe(writeNewtonsoftXml({ response: { a: 1 } }));
  });

  it('F4 writes null as an empty element, booleans lower-case, numbers as text', () => {
    expect(writeNewtonsoftXml({ defaultStyle: null, allDay: false, isShared: true, type: -1 })).toBe(
      '<result><defaultStyle /><allDay>false</allDay><isShared>true</isShared><type>-1</type></result>',
    );
  });

  it('F4 writes an empty object as an empty element (the silent {} answer)', () => {
    expect(writeNewtonsoftXml({ status: 0, response: {} })).toBe('<result><status>0</status><response /></result>');
  });

  it('F5 writes an empty string as <x></x> by default and as <x /> when set so', () => {
    expect(writeNewtonsoftXml({ repeatRule: '' })).toBe('<result><repeatRule></repeatRule></result>');
    expect(writeNewtonsoftXml({ repeatRule: '' }, 'self-closing')).toBe('<result><repeatRule /></result>');
  });

  it('escapes &, < and > in text, and every & once', () => {
    expect(writeNewtonsoftXml({ title: 'Tom &amp; <Jerry>' })).toBe(
      '<result><title>Tom &amp;amp; &lt;Jerry&gt;</title></result>',
    );
  });

  it('writes characters XML cannot carry as U+FFFD', () => {
    expect(writeNewtonsoftXml({ title: 'a\u0001b' })).toBe('<result><title>a\uFFFDb</title></result>');
  });
});

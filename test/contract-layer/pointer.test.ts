/**
 * The one JSON Pointer / `$ref` resolver (src/contract/pointer.ts) every reader of the document
 * uses: RFC 6901 escapes, the URI-fragment percent-encoding of `$ref`s, chains, cycles, dead ends.
 */
import { deref, nodeAt, pointerOf, refOf, resolve, segmentsOf } from '../../src/contract/pointer';

const doc = {
  paths: { '/api/{id}': { get: { responses: { '200': { $ref: '#/components/responses/Ok' } } } } },
  components: {
    responses: { Ok: { $ref: '#/components/responses/Alias' }, Alias: { description: 'ok' } },
    schemas: {
      'a/b~c': { type: 'string' },
      Loop: { $ref: '#/components/schemas/Loop2' },
      Loop2: { $ref: '#/components/schemas/Loop' },
      Dangling: { $ref: '#/components/schemas/Nowhere' },
      List: { items: [{ type: 'integer' }] },
    },
  },
};

describe('pointers', () => {
  it('escape ~ and / in segments (RFC 6901) and read them back', () => {
    expect(pointerOf(['components', 'schemas', 'a/b~c'])).toBe('#/components/schemas/a~1b~0c');
    expect(segmentsOf('#/components/schemas/a~1b~0c')).toEqual(['components', 'schemas', 'a/b~c']);
  });

  it('percent-encode for ajv and percent-decode a $ref (a URI fragment), keeping a lone %', () => {
    expect(refOf(['paths', '/api/{id}'])).toBe('openapi#/paths/~1api~1%7Bid%7D');
    expect(segmentsOf('#/paths/~1api~1%7Bid%7D')).toEqual(['paths', '/api/{id}']);
    expect(segmentsOf('#/a/100%')).toEqual(['a', '100%']);
  });

  it('walk objects and lists', () => {
    expect(nodeAt(doc, ['components', 'schemas', 'List', 'items', 0])).toEqual({ type: 'integer' });
    expect(nodeAt(doc, ['components', 'nothing', 'here'])).toBeUndefined();
  });
});

describe('resolve and deref', () => {
  it('follow a chain of references to what it names', () => {
    const response = nodeAt(doc, ['paths', '/api/{id}', 'get', 'responses', '200']);
    expect(deref(doc, response)).toEqual({ description: 'ok' });
    expect(resolve(doc, segmentsOf('#/components/responses/Ok'))).toEqual({
      segments: ['components', 'responses', 'Alias'],
      node: { description: 'ok' },
    });
  });

  it('stop at a cycle and at a dead end, saying which', () => {
    expect(resolve(doc, ['components', 'schemas', 'Loop']).problem).toBe('is part of a cycle of references');
    expect(resolve(doc, ['components', 'schemas', 'Dangling']).problem).toBe('does not resolve');
    expect(deref(doc, { $ref: '#/components/schemas/Loop' })).toBeUndefined();
    expect(deref(doc, { $ref: '#/components/schemas/Dangling' })).toBeUndefined();
  });

  it('leave a node without a local $ref as it is', () => {
    const external = { $ref: 'other.yaml#/x' };
    expect(deref(doc, external)).toBe(external);
    expect(deref(doc, 'text')).toBe('text');
  });
});

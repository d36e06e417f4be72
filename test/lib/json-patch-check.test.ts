import { jsonPatchProblem } from '../../lib/json-patch-check';

const doc = { spec: { replicas: 2, 'a/b': { '~x': 1 }, containers: [{ name: 'app' }] } };

describe('jsonPatchProblem', () => {
  it.each([
    [{ op: 'add', path: '/spec/paused', value: true }],
    [{ op: 'add', path: '/spec/containers/-', value: {} }],
    [{ op: 'add', path: '/spec/containers/1', value: {} }],
    [{ op: 'add', path: '/spec/containers/0', value: {} }],
    [{ op: 'add', path: '', value: {} }],
    [{ op: 'replace', path: '/spec/replicas', value: 3 }],
    [{ op: 'replace', path: '/spec/a~1b/~0x', value: 3 }],
    [{ op: 'remove', path: '/spec/containers/0' }],
    [{ op: 'test', path: '/spec/containers', value: [{ name: 'app' }] }],
    [{ op: 'move', from: '/spec/replicas', path: '/spec/count' }],
    [{ op: 'copy', from: '/spec/containers/0', path: '/spec/containers/-' }],
  ])('accepts %j', (operation) => {
    expect(jsonPatchProblem(doc, operation)).toBeUndefined();
  });

  it.each([
    [
      { op: 'replace', path: '/spec/paused', value: true },
      '/spec/paused does not exist: /spec has no field "paused" (it has: replicas, a/b, containers); use an add to create it',
    ],
    [{ op: 'remove', path: '/spec/a~1b/y' }, '/spec/a~1b/y does not exist: /spec/a~1b has no field "y" (it has: ~x); there is nothing to remove'],
    [{ op: 'remove', path: '/spec/containers/01' }, '/spec/containers is a list of 1 item(s), which has no item "01"'],
    [{ op: 'test', path: '/spec/replicas/x', value: 1 }, '/spec/replicas is 2, not an object or a list'],
    [{ op: 'test', path: '/spec/containers', value: [{ name: 'other' }] }, 'the test fails: /spec/containers is [{"name":"app"}], not [{"name":"other"}]'],
    [{ op: 'add', path: '/spec/x/y', value: 1 }, 'the parent /spec/x of /spec/x/y does not exist: /spec has no field "x"'],
    [{ op: 'add', path: '/spec/containers/2', value: {} }, 'an add goes at an index from 0 to 1, or "-" to append, got "2"'],
    [{ op: 'move', from: '/spec', path: '/spec/inner' }, 'cannot move /spec into itself (/spec/inner)'],
    [{ op: 'copy', from: '/status', path: '/spec/x' }, 'from /status does not exist: (the object) has no field "status"'],
    [{ op: 'copy', from: 'status', path: '/spec/x' }, 'from must be a JSON pointer such as "/spec/replicas", got "status"'],
    [{ op: 'add', path: '/spec/x' }, 'an add needs a value'],
    [{ op: 'merge', path: '/spec' }, 'op must be one of add, remove, replace, move, copy, test, got "merge"'],
    [{ op: 'remove', path: 7 }, 'path must be a JSON pointer such as "/spec/replicas" (starting with "/"), got 7'],
    ['remove', 'must be a JSON patch operation ({ op, path, ... }), got "remove"'],
  ])('refuses %j', (operation, message) => {
    expect(jsonPatchProblem(doc, operation)).toContain(message);
  });
});
